"""Roles and assignments: the operations shared by the CLI, sign-in and the admin UI."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from ..audit.service import record
from ..auth.dn import normalize_dn, normalize_dn_lenient
from ..caching import cached
from ..extensions import db
from ..tenancy import scoped
from .models import (
    SOURCE_GROUP,
    SOURCE_MANUAL,
    GroupRoleMapping,
    Role,
    RoleAssignment,
    RolePermission,
)

if TYPE_CHECKING:
    from ..auth.models import Employee
    from ..municipalities.models import Municipality


class AccessError(ValueError):
    """A role, permission or group that does not exist; the message is for the operator."""


def role_by_name(municipality: Municipality, name: str) -> Role:
    role = db.session.execute(
        scoped(Role, municipality).where(Role.name == name)
    ).scalar_one_or_none()
    if role is None:
        raise AccessError(
            _(
                "Rol '%(name)s' bestaat niet in %(municipality)s.",
                name=name,
                municipality=municipality.name,
            )
        )
    return role


def known_permissions() -> dict[str, tuple[str, object]]:
    return current_app.extensions["intranet"].permissions


def create_role(
    municipality: Municipality,
    name: str,
    title: str,
    permissions: Iterable[str],
    description: str = "",
) -> Role:
    existing = db.session.execute(
        scoped(Role, municipality).where(Role.name == name)
    ).scalar_one_or_none()
    if existing is not None:
        raise AccessError(
            _(
                "Rol '%(name)s' bestaat al in %(municipality)s.",
                name=name,
                municipality=municipality.name,
            )
        )
    codes = set(permissions)
    unknown = sorted(codes - set(known_permissions()))
    if unknown:
        raise AccessError(_("Onbekende rechten: %(codes)s", codes=", ".join(unknown)))
    role = Role(municipality_id=municipality.id, name=name, title=title, description=description)
    role.permissions = [RolePermission(code=c) for c in sorted(codes)]
    db.session.add(role)
    db.session.flush()
    record(
        "access.role_created",
        object_type="role",
        object_id=role.id,
        municipality=municipality,
        details={"name": name, "permissions": sorted(codes)},
    )
    return role


def grant_permissions(municipality: Municipality, role: Role, codes: Iterable[str]) -> None:
    codes = set(codes)
    unknown = sorted(codes - set(known_permissions()))
    if unknown:
        raise AccessError(_("Onbekende rechten: %(codes)s", codes=", ".join(unknown)))
    before = sorted(role.permission_codes)
    for code in sorted(codes - role.permission_codes):
        role.permissions.append(RolePermission(code=code))
    record(
        "access.role_changed",
        object_type="role",
        object_id=role.id,
        municipality=municipality,
        details={"before": before, "after": sorted(role.permission_codes | codes)},
    )


def map_group(municipality: Municipality, group_dn: str, role: Role) -> GroupRoleMapping:
    try:
        # one spelling for every way of writing the DN (case, escapes, spaces): see auth.dn
        group_dn = normalize_dn(group_dn)
    except ValueError:
        raise AccessError(
            _(
                "Geef de volledige DN van de directorygroep op, bijvoorbeeld cn=griffie,ou=groups,dc=..."
            )
        ) from None
    existing = db.session.execute(
        scoped(GroupRoleMapping, municipality).where(
            GroupRoleMapping.group_dn == group_dn, GroupRoleMapping.role_id == role.id
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    mapping = GroupRoleMapping(municipality_id=municipality.id, group_dn=group_dn, role_id=role.id)
    db.session.add(mapping)
    record(
        "access.group_mapped",
        object_type="role",
        object_id=role.id,
        municipality=municipality,
        details={"group": group_dn, "role": role.name},
    )
    return mapping


def roles_for_groups(municipality: Municipality, groups: Iterable[str]) -> dict[int, str]:
    """Role id -> the group DN that grants it, from the database and the config file."""
    groups = {normalize_dn_lenient(g) for g in groups}
    result: dict[int, str] = {}
    if not groups:
        return result
    for group_dn, role_id in _group_role_map(municipality):
        if group_dn in groups:
            result.setdefault(role_id, group_dn)
    return result


def _group_role_map(municipality: Municipality) -> list[tuple[str, int]]:
    """Every (group DN, role id) pair of the municipality: its mappings first, then the
    config file's. Read once per process until roles or mappings change (sign-in's hot path)."""

    def load() -> list[tuple[str, int]]:
        pairs = [
            (m.group_dn, m.role_id)
            for m in db.session.execute(
                scoped(GroupRoleMapping, municipality).order_by(GroupRoleMapping.id)
            ).scalars()
        ]
        deployment = current_app.extensions["intranet"].deployment
        configured = deployment.for_municipality(municipality.slug).group_roles
        if configured:
            role_ids = dict(
                db.session.execute(
                    select(Role.name, Role.id).where(Role.municipality_id == municipality.id)
                ).all()
            )
            pairs += [
                (dn, role_ids[name])
                for dn, names in configured.items()
                for name in names
                if name in role_ids
            ]
        return pairs

    return cached(("group_roles", municipality.id), load)


def sync_group_roles(municipality: Municipality, employee: Employee) -> None:
    """Make group-sourced assignments match the employee's groups; manual grants stay."""
    wanted = roles_for_groups(municipality, employee.groups)
    # Only the role ids are compared: the roles and their permissions are not loaded (the
    # relationship's join and its permissions' second query cost every sign-in).
    current = {
        a.role_id: a
        for a in db.session.execute(
            scoped(RoleAssignment, municipality)
            .where(RoleAssignment.employee_id == employee.id, RoleAssignment.source == SOURCE_GROUP)
            .options(lazyload(RoleAssignment.role))
        ).scalars()
    }
    added = sorted(set(wanted) - set(current))
    removed = sorted(set(current) - set(wanted))
    for role_id in removed:
        db.session.delete(current[role_id])
    for role_id in added:
        db.session.add(
            RoleAssignment(
                municipality_id=municipality.id,
                employee_id=employee.id,
                role_id=role_id,
                source=SOURCE_GROUP,
                group_dn=wanted[role_id],
                granted_by="directory",
            )
        )
    if added or removed:
        record(
            "access.group_roles_synced",
            object_type="employee",
            object_id=employee.id,
            municipality=municipality,
            # the directory changed the roles, on the employee's sign-in or re-check: before
            # sign-in completes nobody is "current_user", which logged it as anonymous
            actor="directory",
            actor_id=None,
            details={"added_roles": added, "removed_roles": removed},
        )


def roles_of(municipality: Municipality) -> list[Role]:
    return list(db.session.execute(scoped(Role, municipality).order_by(Role.name)).scalars())


def assignments_of(employee: Employee) -> list[RoleAssignment]:
    return list(
        db.session.execute(
            select(RoleAssignment).where(RoleAssignment.employee_id == employee.id)
        ).scalars()
    )


def _end_sessions(employee_ids: Iterable[int]) -> None:
    """A role change ends the sessions concerned: the next request signs them out."""
    from ..auth.models import Employee

    ids = list(employee_ids)
    if ids:
        db.session.execute(
            Employee.__table__.update()
            .where(Employee.id.in_(ids))
            .values(session_version=Employee.session_version + 1)
        )


def holders_of(role: Role) -> list[int]:
    return list(
        db.session.execute(
            select(RoleAssignment.employee_id).where(RoleAssignment.role_id == role.id)
        ).scalars()
    )


def update_role(
    municipality: Municipality,
    role: Role,
    *,
    name: str,
    title: str,
    description: str,
    permissions: Iterable[str],
) -> None:
    codes = set(permissions)
    unknown = sorted(codes - set(known_permissions()))
    if unknown:
        raise AccessError(_("Onbekende rechten: %(codes)s", codes=", ".join(unknown)))
    clash = db.session.execute(
        scoped(Role, municipality).where(Role.name == name, Role.id != role.id)
    ).scalar_one_or_none()
    if clash is not None:
        raise AccessError(_("Er is al een rol met de naam '%(name)s'.", name=name))
    before = {"name": role.name, "title": role.title, "permissions": sorted(role.permission_codes)}
    removed = role.permission_codes - codes
    role.name, role.title, role.description = name, title, description
    role.permissions = [p for p in role.permissions if p.code in codes] + [
        RolePermission(code=c) for c in sorted(codes - role.permission_codes)
    ]
    after = {"name": name, "title": title, "permissions": sorted(codes)}
    if removed:
        _end_sessions(holders_of(role))
    record(
        "access.role_changed",
        object_type="role",
        object_id=role.id,
        municipality=municipality,
        details={"before": before, "after": after},
    )


def delete_role(municipality: Municipality, role: Role) -> None:
    holders = holders_of(role)
    record(
        "access.role_deleted",
        object_type="role",
        object_id=role.id,
        municipality=municipality,
        details={
            "before": {"name": role.name, "permissions": sorted(role.permission_codes)},
            "holders": holders,
        },
    )
    _end_sessions(holders)
    db.session.delete(role)


def unmap_group(municipality: Municipality, mapping: GroupRoleMapping) -> None:
    record(
        "access.group_unmapped",
        object_type="role",
        object_id=mapping.role_id,
        municipality=municipality,
        details={"group": mapping.group_dn, "role": mapping.role.name},
    )
    db.session.delete(mapping)


def grant_manual(
    municipality: Municipality,
    employee: Employee,
    role: Role,
    reason: str,
    granted_by: str,
    expires_at: datetime | None = None,
) -> RoleAssignment:
    if isinstance(expires_at, datetime) and expires_at.tzinfo is not None:
        # stored as UTC: SQLite keeps a datetime's wall-clock fields and drops the offset, so
        # the end of 31 March in Amsterdam was read back as 01:59 on 1 April
        expires_at = expires_at.astimezone(UTC)
    assignment = RoleAssignment(
        municipality_id=municipality.id,
        employee_id=employee.id,
        role_id=role.id,
        source=SOURCE_MANUAL,
        reason=reason,
        granted_by=granted_by,
        expires_at=expires_at,
    )
    db.session.add(assignment)
    db.session.flush()
    _end_sessions([employee.id])
    record(
        "access.granted",
        object_type="employee",
        object_id=employee.id,
        municipality=municipality,
        details={
            "role": role.name,
            "assignment": assignment.id,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return assignment


def revoke(municipality: Municipality, assignment: RoleAssignment) -> None:
    record(
        "access.revoked",
        object_type="employee",
        object_id=assignment.employee_id,
        municipality=municipality,
        details={
            "role": assignment.role.name,
            "assignment": assignment.id,
            "source": assignment.source,
        },
    )
    _end_sessions([assignment.employee_id])
    db.session.delete(assignment)


def set_employee_active(municipality: Municipality, employee: Employee, active: bool) -> None:
    if employee.active == active:
        return
    employee.active = active
    employee.session_version += 1
    record(
        "access.employee_enabled" if active else "access.employee_disabled",
        object_type="employee",
        object_id=employee.id,
        municipality=municipality,
    )


SOURCE_LABELS = {SOURCE_GROUP: _l("Directorygroep"), SOURCE_MANUAL: _l("Handmatig toegekend")}


def access_overview(municipality: Municipality) -> list[tuple[Employee, list[RoleAssignment]]]:
    """Every employee with their role assignments and where each comes from."""
    from ..auth.models import Employee

    employees = list(
        db.session.execute(scoped(Employee, municipality).order_by(Employee.display_name)).scalars()
    )
    by_employee: dict[int, list[RoleAssignment]] = {e.id: [] for e in employees}
    for a in db.session.execute(scoped(RoleAssignment, municipality)).scalars():
        by_employee.setdefault(a.employee_id, []).append(a)
    return [(e, sorted(by_employee[e.id], key=lambda a: a.role.name)) for e in employees]


def ensure_roles(
    municipality: Municipality,
    roles: dict[str, tuple[str, list[str], list[str]]],
    *,
    group_base: str | None = None,
) -> None:
    """Create or extend roles from permission patterns and map directory groups to them.

    ``roles`` maps a role name to ``(title, permission patterns, group names)``; a pattern
    ending in ``*`` matches every registered code with that prefix. Plugins seed their roles
    with it (demo data, ``intranet_plugin_enabled``) without touching the access internals.
    A group name is taken under ``group_base`` (default: the demo directory's
    ``ou=groups,dc=<slug>,dc=demo``); a name that is already a DN is used as it is.
    """
    registry = known_permissions()
    base = group_base or f"ou=groups,dc={municipality.slug},dc=demo"
    for name, (title, patterns, groups) in roles.items():
        codes = sorted(
            code
            for code in registry
            for pattern in patterns
            if code == pattern or (pattern.endswith("*") and code.startswith(pattern[:-1]))
        )
        try:
            role = role_by_name(municipality, name)
            grant_permissions(municipality, role, codes)
        except AccessError:
            role = create_role(municipality, name, title, codes)
        for group in groups:
            map_group(municipality, group if "=" in group else f"cn={group},{base}", role)
    db.session.flush()
