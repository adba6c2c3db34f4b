"""Who holds a role: employees with an assignment, and the members of the directory groups
mapped to it, including people who never signed in (they get the role at their first
sign-in, so an administrator must be able to see them before that)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.directory import DirectoryUnavailable, directory_for
from ..auth.dn import normalize_dn_lenient
from ..auth.models import Employee
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import scoped
from .models import GroupRoleMapping, Role, RoleAssignment

log = logging.getLogger(__name__)


@dataclass
class Holder:
    display_name: str
    username: str
    #: how they hold it, in Dutch: "handmatig", "via groep griffie"
    via: list[str]
    signed_in: bool
    employee_id: int | None = None


@dataclass
class RoleHolders:
    holders: list[Holder]
    groups: list[str]
    directory_down: bool = False


def mapped_groups(municipality: Municipality, role: Role) -> list[str]:
    """Group DNs that give this role: mappings made in the app and in the deployment file."""
    dns = [
        m.group_dn
        for m in db.session.execute(
            scoped(GroupRoleMapping, municipality).where(GroupRoleMapping.role_id == role.id)
        ).scalars()
    ]
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    dns += [dn for dn, names in settings.group_roles.items() if role.name in names]
    out: dict[str, str] = {}
    for dn in dns:
        out.setdefault(normalize_dn_lenient(dn), dn)
    return sorted(out.values())


def _group_name(dn: str) -> str:
    first = dn.split(",", 1)[0]
    return first.split("=", 1)[1] if "=" in first else dn


def role_holders(municipality: Municipality, role: Role) -> RoleHolders:
    """Everyone who holds ``role`` now or will at their next sign-in, sorted by name."""
    by_username: dict[str, Holder] = {}
    rows = db.session.execute(
        select(RoleAssignment, Employee)
        .join(Employee, Employee.id == RoleAssignment.employee_id)
        .where(RoleAssignment.role_id == role.id, Employee.municipality_id == municipality.id)
    ).all()
    for assignment, employee in rows:
        holder = by_username.setdefault(
            employee.username.lower(),
            Holder(
                employee.display_name or employee.username, employee.username, [], True, employee.id
            ),
        )
        if assignment.source == "manual":
            holder.via.append(str(_l("handmatig toegekend")))
        else:
            holder.via.append(
                str(_l("via groep %(name)s", name=_group_name(assignment.group_dn or "")))
            )
    groups = mapped_groups(municipality, role)
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    down = False
    if groups and settings.directory is not None:
        known = {
            e.username.lower(): e
            for e in db.session.execute(
                select(Employee).where(Employee.municipality_id == municipality.id)
            ).scalars()
        }
        directory = directory_for(municipality.slug, settings.directory)
        for dn in groups:
            try:
                members = directory.members_of(dn)
            except DirectoryUnavailable:
                log.warning("directory unavailable listing members of %s", dn, exc_info=True)
                down = True
                break
            label = str(_l("via groep %(name)s", name=_group_name(dn)))
            for member in members:
                key = member.username.lower()
                employee = known.get(key)
                holder = by_username.setdefault(
                    key,
                    Holder(
                        employee.display_name if employee else member.display_name,
                        member.username,
                        [],
                        employee is not None,
                        employee.id if employee else None,
                    ),
                )
                if label not in holder.via:
                    holder.via.append(label)
    holders = sorted(by_username.values(), key=lambda h: h.display_name.lower())
    return RoleHolders(holders, groups, down)
