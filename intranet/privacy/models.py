"""What the privacy functions keep: erasure requests and per-municipality retention periods."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin
from ..timeutil import utcnow


class ErasureRequest(TenantMixin, db.Model):
    """The fact of an erasure, without the erased data: the resident is known by id only."""

    __tablename__ = "erasure_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    handled_by: Mapped[str] = mapped_column(String(200), nullable=False)
    handled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: per plugin: erased, anonymised, kept (what, why)
    outcome: Mapped[list] = mapped_column(JSON, default=list, nullable=False)


class RetentionOverride(TenantMixin, db.Model):
    """A municipality's own retention period for one plugin's data category."""

    __tablename__ = "retention_override"
    __table_args__ = (UniqueConstraint("municipality_id", "plugin", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plugin: Mapped[str] = mapped_column(String(80), nullable=False)
    category: Mapped[str] = mapped_column(String(120), nullable=False)
    days: Mapped[int] = mapped_column(Integer, nullable=False)
