"""The personal calendar feed address of an employee (only a hash of its token is stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import Employee
from ..extensions import db
from ..tenancy import TenantMixin
from ..timeutil import utcnow


class CalendarFeed(TenantMixin, db.Model):
    """One employee's subscribable feed: revoking deletes the row, regenerating replaces the
    hash, so an old address stops working at once."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("employee.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    #: SHA-256 (hex) of the token in the address; the token itself is shown once
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: the last fetch that was written to the audit log (at most one per hour is)
    last_audited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    employee: Mapped[Employee] = relationship(Employee)
