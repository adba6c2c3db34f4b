"""Checking permissions: every view says which one it needs, and the meta-test holds us to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g
from flask_login import current_user
from sqlalchemy import or_, select

from ..audit.service import record_now
from ..caching import cached
from ..extensions import db
from ..tenancy import current_municipality
from ..timeutil import as_utc, utcnow
from .models import RoleAssignment, RolePermission

F = TypeVar("F", bound=Callable[..., Any])

#: Attribute names set on view functions, read by the request guard and the meta-test.
PERMISSION_ATTR = "required_permission"
PUBLIC_ATTR = "is_public_view"
PLATFORM_ATTR = "is_platform_view"


def effective_permissions(employee: Any, municipality: Any) -> frozenset[str]:
    """Permission codes the employee holds here now, from roles that have not expired.

    Computed per request, so a role change takes effect on the employee's next request.
    Permissions of plugins that are not enabled in the municipality do not count.
    """
    if employee is None or not getattr(employee, "is_authenticated", False):
        return frozenset()
    if employee.municipality_id != municipality.id:
        return frozenset()
    cache = g.setdefault("_permissions", {})
    if municipality.id in cache:
        return cache[municipality.id]
    now = utcnow()
    held, next_expiry = cached(
        ("permissions", employee.id, municipality.id),
        lambda: _held_permissions(employee.id, municipality.id, now),
    )
    if next_expiry is not None and next_expiry <= now:
        # A grant ran out since this process cached it: read the assignments again.
        held, _ = _held_permissions(employee.id, municipality.id, now)
    host = current_app.extensions["intranet"].plugins
    registry = current_app.extensions["intranet"].permissions
    enabled = host.enabled_names(municipality)
    result = frozenset(c for c in held if c in registry and registry[c][0] in enabled)
    cache[municipality.id] = result
    return result


def _held_permissions(
    employee_id: int, municipality_id: int, now: datetime
) -> tuple[frozenset[str], datetime | None]:
    """The codes of the employee's unexpired roles, and when the first of those grants ends."""
    rows = db.session.execute(
        select(RolePermission.code, RoleAssignment.expires_at)
        .join(RoleAssignment, RoleAssignment.role_id == RolePermission.role_id)
        .where(
            RoleAssignment.employee_id == employee_id,
            RoleAssignment.municipality_id == municipality_id,
            or_(RoleAssignment.expires_at.is_(None), RoleAssignment.expires_at > now),
        )
    ).all()
    expiries = [as_utc(expires) for _, expires in rows if expires is not None]
    return frozenset(code for code, _ in rows), min(expiries, default=None)


def has_permission(code: str) -> bool:
    """For templates and views: may the signed-in employee do this here?"""
    municipality = g.get("municipality")
    if municipality is None:
        return False
    return code in effective_permissions(current_user, municipality)


def requires(code: str) -> Callable[[F], F]:
    """Decorate a municipality view: 403 (audited) unless the employee holds ``code``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            municipality = current_municipality()
            if code not in effective_permissions(current_user, municipality):
                record_now(
                    "permission.denied",
                    result="denied",
                    details={"permission": code},
                    municipality=municipality,
                )
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, PERMISSION_ATTR, code)
        return wrapped  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a view that needs no sign-in (login page, health check)."""
    setattr(view, PUBLIC_ATTR, True)
    return view


def platform_only(view: F) -> F:
    """Mark a view for platform operators (technisch beheer); the guard enforces it."""
    setattr(view, PLATFORM_ATTR, True)
    return view
