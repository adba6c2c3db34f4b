"""Roles are per municipality; a role is a set of permission codes declared by core and plugins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..caching import watch
from ..extensions import db
from ..tenancy import TenantMixin
from ..timeutil import utcnow

SOURCE_GROUP = "group"
SOURCE_MANUAL = "manual"


class Role(TenantMixin, db.Model):
    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    permissions: Mapped[list[RolePermission]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def permission_codes(self) -> set[str]:
        return {p.code for p in self.permissions}


class RolePermission(db.Model):
    __tablename__ = "role_permission"
    __table_args__ = (UniqueConstraint("role_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role_id: Mapped[int] = mapped_column(
        ForeignKey("role.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code: Mapped[str] = mapped_column(String(120), nullable=False)


class GroupRoleMapping(TenantMixin, db.Model):
    """A directory group whose members get a role at sign-in."""

    __tablename__ = "group_role_mapping"
    __table_args__ = (UniqueConstraint("municipality_id", "group_dn", "role_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_dn: Mapped[str] = mapped_column(String(500), nullable=False)  # lower-cased
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[Role] = relationship(lazy="joined")


class RoleAssignment(TenantMixin, db.Model):
    """One employee holding one role, and why: a directory group or a manual grant."""

    __tablename__ = "role_assignment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # group | manual
    group_dn: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    granted_by: Mapped[str | None] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    role: Mapped[Role] = relationship(lazy="joined")


watch(Role, RolePermission, RoleAssignment, GroupRoleMapping)
