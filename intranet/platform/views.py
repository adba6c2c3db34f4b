"""The start page, the language switch, a health check, and /beheer for platform operators."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..access.permissions import platform_only, public
from ..extensions import db
from ..municipalities import service
from ..municipalities.models import Municipality
from ..themes import DEFAULT_THEME, SHIPPED
from ..themes import service as themes
from ..web.health import database_answers
from ..web.i18n import remember_choice
from ..web.pages import form_page
from ..web.redirects import safe_next
from .forms import MunicipalityForm, PluginToggleForm, ThemeForm

bp = Blueprint("platform", __name__)


@bp.route("/")
@public
def home():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        municipality = db.session.get(Municipality, current_user.municipality_id)
        if municipality is not None:
            return redirect(url_for("core.dashboard", municipality=municipality.slug))
    municipalities = [m for m in service.all_municipalities() if m.active]
    return render_template("platform/home.html", municipalities=municipalities)


@bp.route("/taal/<code>", methods=["GET", "POST"])
@public
def set_language(code: str):  # type: ignore[no-untyped-def]
    """Switch the language. The footer's button posts here: for a signed-in employee the
    choice is stored on the employee, so it holds after signing in again and on every device.
    A plain link (GET) changes only this session: a GET never changes stored data."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    if request.method == "POST":
        remember_choice(code)
    else:
        session["locale"] = code
    target = request.form.get("next") if request.method == "POST" else request.args.get("next")
    return redirect(safe_next(target) or url_for(".home"))


@bp.route("/health")
@public
def health():  # type: ignore[no-untyped-def]
    """For the load balancer: 200 when the database answers, 503 within HEALTH_TIMEOUT."""
    if not database_answers(current_app._get_current_object()):  # type: ignore[attr-defined]
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}


@bp.route("/beheer/", methods=["GET", "POST"])
@platform_only
def municipalities():  # type: ignore[no-untyped-def]
    form = MunicipalityForm()
    if form.validate_on_submit():
        try:
            municipality = service.add_municipality(form.slug.data, form.name.data)
        except service.MunicipalityError as exc:
            form.slug.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("%(name)s is toegevoegd.", name=municipality.name), "success")
            return redirect(url_for(".municipalities"))
    host = current_app.extensions["intranet"].plugins
    rows = [
        (m, sorted(n for n, on in service.plugin_states(m).items() if on))
        for m in service.all_municipalities()
    ]
    return form_page("platform/municipalities.html", form=form, rows=rows, host=host)


@bp.route("/beheer/<slug>/plugins", methods=["GET", "POST"])
@platform_only
def plugins(slug: str):  # type: ignore[no-untyped-def]
    municipality = service.by_slug(slug)
    if municipality is None:
        abort(404)
    host = current_app.extensions["intranet"].plugins
    form = PluginToggleForm()
    if form.validate_on_submit():
        if form.action.data not in ("enable", "disable"):
            abort(400)
        if (
            form.action.data == "disable"
            and request.form.get("bevestigd") != "ja"
            and host.is_known(form.plugin.data)
        ):
            # switching a plugin off hits every employee of the municipality: first say what
            # will happen, and only a second, explicit submit does it
            return render_template(
                "platform/plugin_disable.html",
                target=municipality,
                info=host.infos[form.plugin.data],
                consequences=disable_consequences(municipality, form.plugin.data),
                form=form,
            )
        try:
            changed = service.set_plugin_enabled(
                municipality,
                form.plugin.data,
                form.action.data == "enable",
                actor=current_user.username,
            )
        except service.MunicipalityError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            if changed:
                title = host.infos[form.plugin.data].title
                if form.action.data == "enable":
                    message = _("%(plugin)s is aangezet voor %(name)s.")
                else:
                    message = _("%(plugin)s is uitgezet voor %(name)s (gegevens blijven bewaard).")
                flash(message % {"plugin": title, "name": municipality.name}, "success")
        return redirect(url_for(".plugins", slug=slug))
    states = service.plugin_states(municipality)
    return render_template(
        "platform/plugins.html", target=municipality, host=host, states=states, form=form
    )


@bp.route("/beheer/<slug>/thema", methods=["GET", "POST"])
@platform_only
def theme(slug: str):  # type: ignore[no-untyped-def]
    """The municipality's NL Design System theme: a shipped one, its own tokens, its logo."""
    municipality = service.by_slug(slug)
    if municipality is None:
        abort(404)
    stored = themes.current(municipality)
    form = ThemeForm(base=stored.base if stored is not None else DEFAULT_THEME)
    if form.validate_on_submit():
        themes.set_theme(
            municipality,
            form.base.data,
            tokens_css=form.tokens_css,
            logo_png=form.logo_png,
            remove_tokens=form.remove_tokens.data and form.tokens_css is None,
            remove_logo=form.remove_logo.data and form.logo_png is None,
            actor=current_user.username,
        )
        db.session.commit()
        flash(_("Het thema van %(name)s is opgeslagen.", name=municipality.name), "success")
        return redirect(url_for(".theme", slug=slug))
    return form_page(
        "platform/theme.html",
        form=form,
        target=municipality,
        stored=stored,
        shipped=SHIPPED,
        assets=themes.page_assets(municipality) if stored is not None else None,
    )


def disable_consequences(municipality, plugin: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """What switching ``plugin`` off for ``municipality`` changes, for the confirmation page."""
    from sqlalchemy import func, select

    from ..access.models import RoleAssignment, RolePermission
    from ..plugin_manager import flatten

    state = current_app.extensions["intranet"]
    host = state.plugins
    menu = [i.label for i in flatten(host.call_plugin(plugin, "intranet_navigation"))]
    codes = [code for code, (owner, _p) in state.permissions.items() if owner == plugin]
    employees = 0
    if codes:
        employees = db.session.execute(
            select(func.count(func.distinct(RoleAssignment.employee_id))).where(
                RoleAssignment.municipality_id == municipality.id,
                RoleAssignment.role_id.in_(
                    select(RolePermission.role_id).where(RolePermission.code.in_(codes))
                ),
            )
        ).scalar_one()
    public = bool(flatten(host.call_plugin(plugin, "intranet_public_blueprints")))
    return {"menu": menu, "employees": employees, "public": public}
