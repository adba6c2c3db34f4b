"""One resident per municipality, referenced by every plugin instead of its own person table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tenancy import TenantMixin
from ..timeutil import local_today, utcnow

RESIDENT_KINDS = {
    "client": _l("Cliënt"),
    "carer": _l("Mantelzorger"),
    "expert": _l("Ervaringsdeskundige"),
    "other": _l("Anders"),
}


def consent_valid_on(columns: Any, on: date) -> ColumnElement[bool]:
    """:meth:`Consent.valid_on` as SQL, on the mapped class or on the table's columns."""
    return and_(
        columns.given_on <= on, or_(columns.withdrawn_on.is_(None), columns.withdrawn_on > on)
    )


CONSENT_METHODS = {
    "verbal": _l("Mondeling (telefonisch of in gesprek)"),
    "written": _l("Schriftelijk"),
    "email": _l("Per e-mail"),
    "form": _l("Via een formulier"),
}


class Resident(TenantMixin, db.Model):
    __tablename__ = "resident"
    #: the registry lists a municipality's residents by name, a page at a time: with this
    #: index that is a range scan, not a sort of every resident on each page
    __table_args__ = (Index("ix_resident_municipality_name", "municipality_id", "name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="client")
    neighbourhood: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="resident", cascade="all, delete-orphan", order_by="Consent.given_on"
    )

    @property
    def kind_label(self) -> str:
        from ..web.i18n import text

        return text(RESIDENT_KINDS.get(self.kind, self.kind))

    def has_consent(self, purpose: str, on: date | None = None) -> bool:
        """True while a consent for this purpose is given and not withdrawn."""
        on = on or local_today()
        return any(c.purpose == purpose and c.valid_on(on) for c in self.consents)


class Consent(TenantMixin, db.Model):
    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )
    purpose: Mapped[str] = mapped_column(String(200), nullable=False)
    scope: Mapped[str] = mapped_column(Text, default="", nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    given_on: Mapped[date] = mapped_column(Date, nullable=False)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
    resident: Mapped[Resident] = relationship(back_populates="consents")

    @property
    def method_label(self) -> str:
        return str(CONSENT_METHODS.get(self.method, self.method))

    @property
    def purpose_label(self) -> str:
        from flask import current_app

        known = current_app.extensions["intranet"].consent_purposes.get(self.purpose)
        return known[1].label if known else self.purpose

    @hybrid_method
    def valid_on(self, on: date) -> bool:
        """The one consent-validity rule: given on or before ``on`` and not withdrawn by then
        (a withdrawal counts from its date). Works on a row and, as ``Consent.valid_on(day)``,
        in a query, so Python checks and SQL filters can never disagree."""
        return self.given_on <= on and (self.withdrawn_on is None or self.withdrawn_on > on)

    @valid_on.inplace.expression
    @classmethod
    def _valid_on_expression(cls, on: date) -> ColumnElement[bool]:
        return consent_valid_on(cls, on)

    @property
    def is_active(self) -> bool:
        return self.valid_on(local_today())
