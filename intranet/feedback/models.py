"""A municipality's own feedback term per kind of contribution, in working days."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..caching import watch
from ..extensions import db
from ..tenancy import TenantMixin


class FeedbackTerm(TenantMixin, db.Model):
    """How many working days after a contribution its contributors must hear back."""

    __tablename__ = "feedback_term"
    __table_args__ = (UniqueConstraint("municipality_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    working_days: Mapped[int] = mapped_column(Integer, nullable=False)


watch(FeedbackTerm)
