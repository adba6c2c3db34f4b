"""The request pipeline of DESIGN.md, in one place and in one order.

Every request to a view passes these steps, each a small function that can be tested alone:

1. :func:`resolve_municipality` – the ``<municipality>`` of the URL, or a 404;
2. :func:`gate_plugin` – a plugin switched off here has no pages; the gate looks at the
   *top-level* blueprint, so a blueprint nested inside a plugin's blueprint is gated too;
3. :func:`authenticate` – the session's employee, or nobody (expired sessions end here);
4. :func:`tenant_matches` – the employee belongs to this municipality (platform operators only
   on the platform's own pages);
5. :func:`municipality_side_effects` – only now, and only for this municipality's own
   employees (or anonymous visitors), the single sign-on header and the directory re-check;
6. :func:`check_permission` – public, platform-only, or a permission (``@requires`` on the view
   does the final check; the meta-test ``tests/test_every_view_is_guarded.py`` makes sure no
   view goes without one).

A step that changes rows (sign-on, re-check) therefore never runs for an employee of another
municipality: visiting ``/zwolle/...`` as a Zaanstad employee changes nothing anywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from ..access.permissions import PERMISSION_ATTR, PLATFORM_ATTR, PUBLIC_ATTR
from ..auth.models import Employee
from ..auth.recheck import recheck_in_directory
from ..auth.sso import single_sign_on
from ..extensions import db, login_manager
from ..municipalities.models import Municipality
from ..municipalities.service import active_by_slug
from ..tenancy import ALL_TENANTS


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_pull_municipality)
    app.url_defaults(_add_municipality)
    app.before_request(run_pipeline)
    login_manager.user_loader(_load_employee)
    login_manager.unauthorized_handler(_unauthorized)


def _load_employee(user_id: str) -> Employee | None:
    """Sessions carry ``id:version``; a bumped version (logout, disabling) ends them all."""
    try:
        ident, version = (int(part) for part in user_id.split(":", 1))
    except ValueError:
        return None
    # the signed-in employee may belong to another municipality than the URL's: the tenant
    # match in the guard decides what happens then, so load without the tenant criteria
    employee = db.session.get(Employee, ident, execution_options={ALL_TENANTS: True})
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


# -- step 1: the municipality ------------------------------------------------------------


def resolve_municipality(slug: str) -> Municipality:
    """The active municipality ``slug`` names (from the process's cache); 404 for any other."""
    municipality = active_by_slug(slug)
    if municipality is None:
        abort(404)
    return municipality


def _pull_municipality(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Step 1 runs as Flask's URL value preprocessor: views never see the slug argument."""
    if not values or "municipality" not in values:
        return
    g.municipality = resolve_municipality(values.pop("municipality"))


def _add_municipality(endpoint: str, values: dict[str, Any]) -> None:
    if "municipality" in values:
        return
    municipality = g.get("municipality")
    if municipality is not None and current_app.url_map.is_endpoint_expecting(
        endpoint, "municipality"
    ):
        values["municipality"] = municipality.slug


# -- step 2: the plugin gate -------------------------------------------------------------


def plugin_of(blueprints: Sequence[str]) -> str | None:
    """The plugin that owns a request, from its blueprint chain (innermost first).

    The top-level blueprint decides: a plugin's nested blueprint is named ``outer.inner``
    and belongs to the plugin that registered ``outer``.
    """
    if not blueprints:
        return None
    plugins = current_app.extensions["intranet"].blueprint_plugins
    return plugins.get(blueprints[-1])


def gate_plugin(blueprints: Sequence[str], municipality: Municipality | None) -> None:
    """404 when the request belongs to a plugin that is not enabled in this municipality."""
    plugin = plugin_of(blueprints)
    if plugin is None:
        return
    host = current_app.extensions["intranet"].plugins
    if municipality is None or plugin not in host.enabled_names(municipality):
        abort(404)  # a switched-off plugin has no pages at all, public ones included


# -- step 3: authentication ----------------------------------------------------------------

#: How precisely the idle timeout is kept: the session cookie is rewritten at most this often.
LAST_SEEN_RESOLUTION_S = 30


def _session_expired() -> bool:
    """Idle for too long, or signed in too long ago: the employee signs in again."""
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    now = time.time()
    if now - session.get("last_seen", 0) > idle or now - session.get("login_at", 0) > absolute:
        return True
    if now - session.get("last_seen", 0) >= LAST_SEEN_RESOLUTION_S:
        session["last_seen"] = now  # re-signing the cookie on every request costs more
    return False


def authenticate() -> Employee | None:
    """The signed-in employee of this session, or None; an expired session ends here."""
    if not current_user.is_authenticated:
        return None
    if _session_expired():
        logout_user()
        session.clear()
        return None
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def follow_sso_header() -> Employee | None:
    """Step 3b: where a trusted reverse proxy names the person (``[sso]``), the session follows
    its header on every page: another name ends this session and signs that person in (or is
    refused with 403). Without SSO configured for the municipality nothing happens. This is
    authentication, so it comes before the tenant match: the header names someone of *this*
    municipality's directory, whoever the browser's old session belonged to."""
    single_sign_on()
    if not current_user.is_authenticated:
        return None
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


# -- step 4: tenant match ------------------------------------------------------------------


def tenant_matches(employee: Employee | None, municipality: Municipality | None) -> bool:
    """May this request act for ``employee`` in ``municipality``?

    True for anonymous visitors and outside a municipality's pages (the platform's pages
    check for platform operators in step 6); otherwise only for the municipality's own
    employees. Platform operators have no rights in a municipality they do not belong to.
    """
    if employee is None or municipality is None:
        return True
    return employee.municipality_id == municipality.id


# -- step 5: per-municipality side effects ---------------------------------------------------


def municipality_side_effects(employee: Employee | None, municipality: Municipality) -> None:
    """The directory re-check, for this municipality's own people only.

    It may write rows (synced roles, an ended session) and asks this municipality's
    directory, so the pipeline calls it only after the tenant matched.
    """
    if employee is not None and not recheck_in_directory():
        logout_user()
        session.clear()


# -- step 6: permission --------------------------------------------------------------------


def check_permission(view: Callable[..., Any], municipality: Municipality | None) -> Any:
    """Public, platform-only, or a municipality view with a permission; None lets it run."""
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
    return None  # ``@requires`` on the view checks the permission itself


# -- the pipeline ----------------------------------------------------------------------------


def run_pipeline() -> Any:
    """Steps 2 to 6 for every request to a view (step 1 ran while matching the URL)."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is None:
        return None
    municipality: Municipality | None = g.get("municipality")
    gate_plugin(request.blueprints, municipality)
    authenticate()
    employee = follow_sso_header()
    matched = tenant_matches(employee, municipality)
    if matched and municipality is not None:
        municipality_side_effects(employee, municipality)
    return check_permission(view, municipality)
