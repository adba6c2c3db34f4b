"""Sign-in and sign-out. The directory is asked only here; afterwards the session carries on."""

from __future__ import annotations

import logging

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..access.permissions import public
from ..access.service import sync_group_roles
from ..audit.service import kept_after_commit, record, record_now, write_pending_events
from ..extensions import db, limiter
from ..municipalities.models import Municipality
from ..tenancy import current_municipality
from ..timeutil import utcnow
from ..web.redirects import safe_next
from . import sso
from .directory import DirectoryUnavailable, DirectoryUser, InvalidCredentials, directory_for
from .forms import LoginForm
from .limits import username_limit_key
from .models import Employee

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = _l("Onjuiste gebruikersnaam of wachtwoord.")


def _upsert_employee(municipality, found: DirectoryUser) -> Employee:  # type: ignore[no-untyped-def]
    employee = db.session.execute(
        select(Employee).where(
            Employee.municipality_id == municipality.id, Employee.username == found.username
        )
    ).scalar_one_or_none()
    if employee is None:
        employee = Employee(municipality_id=municipality.id, username=found.username)
        db.session.add(employee)
    operator_groups = set(current_app.extensions["intranet"].deployment.operator_groups)
    employee.dn = found.dn
    employee.display_name = found.display_name
    employee.email = found.email
    employee.groups = list(found.groups)
    employee.is_platform_operator = bool(operator_groups & set(found.groups))
    employee.last_login_at = utcnow()
    db.session.flush()
    return employee


@bp.route("/<municipality>/inloggen", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_USERNAME"],
    methods=["POST"],
    key_func=username_limit_key,
)
def login():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    if settings.directory is None:
        return render_template("auth/login.html", form=form, not_configured=True), 503
    if request.method == "GET" and sso.signed_out_under_sso():
        return render_template("auth/login.html", form=form, sso_signed_out=True)
    # The sign-on of this request (or a recent one) found the directory unreachable: say so,
    # and do not make the employee wait for another attempt.
    unavailable = sso.directory_unavailable()
    if settings.sso is not None and settings.sso.required:
        # employees sign in through the proxy only; no password is ever asked here
        status = 503 if unavailable else 403 if request.method == "POST" else 200
        return render_template(
            "auth/login.html", form=form, sso_required=True, unavailable=unavailable
        ), status
    if request.method == "GET" and unavailable:
        return render_template("auth/login.html", form=form, unavailable=True), 503
    if not form.validate_on_submit():
        return render_template(
            "auth/login.html", form=form
        ), 400 if request.method == "POST" else 200
    username = form.username.data or ""
    try:
        found = directory_for(municipality.slug, settings.directory).authenticate(
            username, form.password.data or ""
        )
    except InvalidCredentials as exc:
        record_now(
            "auth.login",
            result="failure",
            actor=username[:200],
            details={"reason": exc.reason},
            municipality=municipality,
        )
        form.password.errors = [WRONG_CREDENTIALS]
        return render_template("auth/login.html", form=form), 401
    except DirectoryUnavailable as exc:
        log.warning("directory of %s unavailable: %s", municipality.slug, exc)
        record_now(
            "auth.login",
            result="failure",
            actor=username[:200],
            details={"reason": "directory_unavailable"},
            municipality=municipality,
        )
        return render_template("auth/login.html", form=form, unavailable=True), 503
    slug = municipality.slug
    employee = complete_sign_in(municipality, found, method="password")
    if employee is None:
        form.password.errors = [WRONG_CREDENTIALS]
        return render_template("auth/login.html", form=form), 401
    return redirect(safe_next(form.next.data) or url_for("core.dashboard", municipality=slug))


def complete_sign_in(municipality, found: DirectoryUser, method: str) -> Employee | None:  # type: ignore[no-untyped-def]
    """Record the employee as the directory describes them and start a fresh session."""
    employee = _upsert_employee(municipality, found)
    if not employee.active:
        record(
            "auth.login",
            result="failure",
            actor=employee.username,
            details={"reason": "disabled", "method": method},
            municipality=municipality,
        )
        db.session.commit()
        return None
    sync_group_roles(municipality, employee)
    # a language chosen on the sign-in page (kept in the session until now) is the employee's
    chosen = session.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        employee.language = chosen
    record(
        "auth.login",
        actor=employee.username,
        actor_id=employee.id,
        municipality=municipality,
        details={"method": method},
    )
    # One commit for the employee, the roles and the audit event. The rows just written are
    # what the database holds, so they are not expired: the session cookie below would
    # otherwise read the employee and the municipality back with two more queries.
    # Unless the roles changed, the audit event is all that is left to write: one INSERT
    # instead of a second flush (the employee's row went out with the role look-up).
    write_pending_events(db.session)
    with kept_after_commit():
        db.session.commit()
    session.clear()  # a fresh session at sign-in: nothing from before survives
    if employee.language:
        session["locale"] = employee.language  # but the language the employee chose does
    login_user(employee, remember=False)
    session["login_at"] = session["last_seen"] = session["directory_checked"] = utcnow().timestamp()
    return employee


@bp.route("/uitloggen", methods=["POST"])
@public
def logout():  # type: ignore[no-untyped-def]
    slug = None
    username = None
    if current_user.is_authenticated:
        employee = db.session.get(Employee, current_user.id)
        municipality = db.session.get(Municipality, employee.municipality_id) if employee else None
        if employee is not None:
            employee.session_version += 1  # ends this employee's sessions everywhere
            record(
                "auth.logout",
                object_type="employee",
                object_id=employee.id,
                municipality=municipality,
            )
            db.session.commit()
            slug = municipality.slug if municipality else None
            username = employee.username
    logout_user()
    session.clear()
    if slug and username and sso.remember_sign_out(slug, username):
        return redirect(url_for("auth.signed_out", municipality=slug))
    flash(_("U bent uitgelogd."), "info")
    if slug:
        return redirect(url_for("auth.login", municipality=slug))
    return redirect(url_for("platform.home"))


@bp.route("/<municipality>/uitgelogd")
@public
def signed_out():  # type: ignore[no-untyped-def]
    """After signing out under single sign-on: the workstation still vouches for the employee,
    so say that they are signed out here and how to continue."""
    _require_sso()
    return render_template("auth/signed_out.html")


def _require_sso() -> None:
    """These pages exist only where single sign-on is configured."""
    slug = current_municipality().slug
    if current_app.extensions["intranet"].deployment.for_municipality(slug).sso is None:
        abort(404)


@bp.route("/<municipality>/opnieuw-aanmelden", methods=["POST"])
@public
def sign_in_again():  # type: ignore[no-untyped-def]
    """The employee chose to sign in again through single sign-on (the next page does it)."""
    municipality = current_municipality()
    _require_sso()
    sso.sign_in_again()
    return redirect(
        safe_next(request.form.get("next", ""))
        or url_for("core.dashboard", municipality=municipality.slug)
    )
