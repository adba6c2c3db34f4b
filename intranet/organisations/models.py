"""Organisations in the registry: participants next to residents, with residents as contacts."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..residents.models import Resident
from ..tenancy import TenantMixin
from ..timeutil import utcnow

ORGANISATION_KINDS = {
    "client_organisation": _l("Cliëntorganisatie"),
    "care_provider": _l("Zorgaanbieder"),
    "volunteer_organisation": _l("Vrijwilligersorganisatie"),
    "citizens_platform": _l("Burgerplatform van de gemeente"),
    "other": _l("Anders"),
}


class Organisation(TenantMixin, db.Model):
    __tablename__ = "organisation"
    __table_args__ = (Index("ix_organisation_municipality_name", "municipality_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False, default="other")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    contacts: Mapped[list[OrganisationContact]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="OrganisationContact.id",
    )

    @property
    def kind_label(self) -> str:
        return str(ORGANISATION_KINDS.get(self.kind, self.kind))


class OrganisationContact(TenantMixin, db.Model):
    """A resident who speaks for an organisation; their consent is the resident's own."""

    __tablename__ = "organisation_contact"
    __table_args__ = (UniqueConstraint("organisation_id", "resident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(120), default="", nullable=False)
    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
    resident: Mapped[Resident] = relationship()
