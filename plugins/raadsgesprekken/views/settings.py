"""The municipality's own lists (kinds of care, themes) and settings (the clerk's contact
details). Retention periods are set on the core's page ``/<municipality>/privacy/bewaartermijnen``."""

from __future__ import annotations

from flask import flash, redirect, url_for
from sqlalchemy import func, select

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    record,
    requires,
    scoped,
)

from ..forms import ListItemForm, SettingsForm
from ..models import ChoiceListItem
from ..service import ensure_defaults
from ..service import settings as get_settings
from . import bp


def _render(item_form: ListItemForm, settings_form: SettingsForm):  # type: ignore[no-untyped-def]
    items = db.session.execute(
        scoped(ChoiceListItem).order_by(
            ChoiceListItem.kind, ChoiceListItem.position, ChoiceListItem.label
        )
    ).scalars()
    return form_page(
        "raadsgesprekken/settings.html",
        items=list(items),
        item_form=item_form,
        settings_form=settings_form,
    )


@bp.route("/instellingen")
@requires("raadsgesprekken.manage")
def settings_page():  # type: ignore[no-untyped-def]
    ensure_defaults(current_municipality())
    s = get_settings()
    db.session.commit()
    return _render(ListItemForm(prefix="item"), SettingsForm(prefix="s", obj=s))


@bp.route("/instellingen/lijst", methods=["POST"])
@requires("raadsgesprekken.manage")
def add_list_item():  # type: ignore[no-untyped-def]
    form = ListItemForm(prefix="item")
    s = get_settings()
    if form.validate_on_submit():
        label = form.label.data.strip()
        exists = db.session.execute(
            scoped(ChoiceListItem).where(
                ChoiceListItem.kind == form.kind.data,
                func.lower(ChoiceListItem.label) == label.lower(),
            )
        ).scalar_one_or_none()
        if exists is not None:
            if not exists.active:
                exists.active = True
                db.session.commit()
                flash(_("De waarde is weer in gebruik genomen."), "success")
                return redirect(url_for(".settings_page"))
            form.label.errors = [_("Deze waarde staat al in de lijst.")]
        else:
            position = db.session.execute(
                select(func.coalesce(func.max(ChoiceListItem.position), 0)).where(
                    ChoiceListItem.kind == form.kind.data  # this municipality's: the ORM's
                )
            ).scalar_one()
            item = ChoiceListItem(
                municipality_id=current_municipality().id,
                kind=form.kind.data,
                label=label,
                position=position + 1,
            )
            db.session.add(item)
            record(
                "raadsgesprekken.list.changed",
                object_type="raadsgesprekken_list",
                details={"kind": item.kind},
            )
            db.session.commit()
            flash(_("De waarde is toegevoegd."), "success")
            return redirect(url_for(".settings_page"))
    return _render(form, SettingsForm(prefix="s", obj=s))


@bp.route("/instellingen/lijst/<int:item_id>/wisselen", methods=["POST"])
@requires("raadsgesprekken.manage")
def toggle_list_item(item_id: int):  # type: ignore[no-untyped-def]
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".settings_page"))
    item = get_scoped_or_404(ChoiceListItem, item_id)
    item.active = not item.active
    record(
        "raadsgesprekken.list.changed",
        object_type="raadsgesprekken_list",
        details={"kind": item.kind},
    )
    db.session.commit()
    flash(_("De lijst is bijgewerkt."), "success")
    return redirect(url_for(".settings_page"))


@bp.route("/instellingen/algemeen", methods=["POST"])
@requires("raadsgesprekken.manage")
def save_settings():  # type: ignore[no-untyped-def]
    s = get_settings()
    form = SettingsForm(prefix="s")
    if form.validate_on_submit():
        s.clerk_email = (form.clerk_email.data or "").strip() or None
        s.clerk_phone = (form.clerk_phone.data or "").strip() or None
        record("raadsgesprekken.settings.changed", object_type="raadsgesprekken_settings")
        db.session.commit()
        flash(_("De instellingen zijn opgeslagen."), "success")
        return redirect(url_for(".settings_page"))
    return _render(ListItemForm(prefix="item"), form)
