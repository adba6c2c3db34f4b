"""Employees as the directory last described them."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..tenancy import TenantMixin
from ..timeutil import utcnow


class Employee(TenantMixin, UserMixin, db.Model):
    __tablename__ = "employee"
    __table_args__ = (UniqueConstraint("municipality_id", "username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(200), nullable=False)
    dn: Mapped[str] = mapped_column(String(500), nullable=False)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    #: directory group DNs at the last sign-in, lower-cased
    groups: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    is_platform_operator: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    #: bumped to end every session of this employee at once
    session_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: the language the employee chose ("nl", "en"), kept across sessions; None: not chosen
    language: Mapped[str | None] = mapped_column(String(8))

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<Employee {self.username}@{self.municipality_id}>"
