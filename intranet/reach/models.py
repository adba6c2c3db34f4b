"""Reach groups as characteristics of residents (given with consent), and outreach actions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy import TenantMixin
from ..timeutil import utcnow


class ReachGroup(TenantMixin, db.Model):
    """A group the municipality wants to reach, e.g. young carers or people in debt."""

    __tablename__ = "reach_group"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: membership reveals health (e.g. a mild intellectual disability): special-category data
    special: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ResidentReachGroup(TenantMixin, db.Model):
    """A resident belongs to a reach group, as they said themselves and agreed to record."""

    __tablename__ = "resident_reach_group"
    __table_args__ = (UniqueConstraint("resident_id", "group_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("reach_group.id", ondelete="CASCADE"), nullable=False, index=True
    )
    consent_method: Mapped[str] = mapped_column(String(20), nullable=False)
    consent_given_on: Mapped[date] = mapped_column(Date, nullable=False)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    group: Mapped[ReachGroup] = relationship()


class OutreachAction(TenantMixin, db.Model):
    """What the municipality did to reach a group (a visit, a flyer, a partner's meeting)."""

    __tablename__ = "outreach_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    done_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("reach_group.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    group: Mapped[ReachGroup | None] = relationship()
