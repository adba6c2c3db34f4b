"""A municipality's choice of theme (NL Design System design tokens and a logo)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..caching import watch
from ..extensions import db
from ..tenancy import TenantMixin
from ..timeutil import utcnow


class MunicipalityTheme(TenantMixin, db.Model):
    """One row per municipality that chose something else than the default theme.

    Uploaded files live in the database, not on a web server's disk: every worker on every
    machine serves the same theme. ``version`` is a hash of what is served, so the addresses
    change with the content and browsers may keep each version for a year.
    """

    __tablename__ = "municipality_theme"
    __table_args__ = (UniqueConstraint("municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: a theme shipped with the product (``intranet.themes.SHIPPED``)
    base: Mapped[str] = mapped_column(String(40), nullable=False)
    #: uploaded design tokens, used instead of the shipped theme's
    tokens_css: Mapped[str | None] = mapped_column(Text)
    #: uploaded logo (PNG, checked), used instead of the shipped theme's
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[str] = mapped_column(String(64), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by: Mapped[str | None] = mapped_column(String(200))


watch(MunicipalityTheme)
