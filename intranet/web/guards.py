"""The request flow of DESIGN.md in one place: municipality, sign-in, tenant, plugin gate.

The permission check itself sits on each view (``@requires``); the meta-test
``tests/test_every_view_is_guarded.py`` makes sure no view goes without one.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select

from ..access.permissions import PERMISSION_ATTR, PLATFORM_ATTR, PUBLIC_ATTR
from ..auth.models import Employee
from ..auth.recheck import recheck_in_directory
from ..auth.sso import try_single_sign_on
from ..extensions import db, login_manager
from ..municipalities.models import Municipality


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_pull_municipality)
    app.url_defaults(_add_municipality)
    app.before_request(_guard)
    login_manager.user_loader(_load_employee)
    login_manager.unauthorized_handler(_unauthorized)


def _load_employee(user_id: str) -> Employee | None:
    """Sessions carry ``id:version``; a bumped version (logout, disabling) ends them all."""
    try:
        ident, version = (int(part) for part in user_id.split(":", 1))
    except ValueError:
        return None
    employee = db.session.get(Employee, ident)
    if employee is None or not employee.active or employee.session_version != version:
        return None
    return employee


def _unauthorized() -> Any:
    municipality = g.get("municipality")
    if municipality is None:
        abort(404)
    return redirect(
        url_for("auth.login", municipality=municipality.slug, next=request.full_path.rstrip("?"))
    )


def _pull_municipality(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if not values or "municipality" not in values:
        return
    slug = values.pop("municipality")
    municipality = db.session.execute(
        select(Municipality).where(Municipality.slug == slug, Municipality.active.is_(True))
    ).scalar_one_or_none()
    if municipality is None:
        abort(404)
    g.municipality = municipality


def _add_municipality(endpoint: str, values: dict[str, Any]) -> None:
    if "municipality" in values:
        return
    municipality = g.get("municipality")
    if municipality is not None and current_app.url_map.is_endpoint_expecting(
        endpoint, "municipality"
    ):
        values["municipality"] = municipality.slug


def _session_expired() -> bool:
    """Idle for too long, or signed in too long ago: the employee signs in again."""
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    now = time.time()
    if now - session.get("last_seen", 0) > idle or now - session.get("login_at", 0) > absolute:
        return True
    session["last_seen"] = now
    return False


def _guard() -> Any:
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is None:
        return None
    if current_user.is_authenticated and _session_expired():
        logout_user()
        session.clear()
    state = current_app.extensions["intranet"]
    plugin = state.blueprint_plugins.get(request.blueprint or "")
    municipality = g.get("municipality")
    if plugin and (municipality is None or plugin not in state.plugins.enabled_names(municipality)):
        abort(404)  # a switched-off plugin has no pages at all, public ones included
    try_single_sign_on()  # the session follows a trusted proxy's header, on every page
    if municipality is not None and current_user.is_authenticated and not recheck_in_directory():
        logout_user()
        session.clear()
    if getattr(view, PUBLIC_ATTR, False):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if getattr(view, PLATFORM_ATTR, False):
        if not current_user.is_platform_operator:
            abort(403)
        return None
    if municipality is None or not hasattr(view, PERMISSION_ATTR):
        abort(404)  # every municipality view declares a permission; anything else is not served
    if current_user.municipality_id != municipality.id:
        abort(404)  # another municipality's pages do not exist for this employee
    return None
