"""Reading and changing a municipality's theme; what the page layout links to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import inspect, select

from ..audit.service import record
from ..caching import cached
from ..extensions import db
from ..municipalities.models import Municipality
from ..tenancy import ALL_TENANTS
from ..timeutil import utcnow
from . import DEFAULT_THEME, SHIPPED
from .models import MunicipalityTheme


@dataclass(frozen=True)
class ThemeInfo:
    """What a page needs to link a municipality's theme: kept in the per-process cache."""

    base: str
    version: str
    has_tokens: bool
    has_logo: bool


def _row(municipality_id: int) -> MunicipalityTheme | None:
    # explicit filter and no request criteria: the platform pages have no current municipality
    return db.session.execute(
        select(MunicipalityTheme)
        .where(MunicipalityTheme.municipality_id == municipality_id)
        .execution_options(**{ALL_TENANTS: True})
    ).scalar_one_or_none()


def _info(row: MunicipalityTheme | None) -> ThemeInfo | None:
    if row is None:
        return None
    shipped = SHIPPED.get(row.base, SHIPPED[DEFAULT_THEME])
    return ThemeInfo(
        base=shipped.key,
        version=row.version,
        has_tokens=bool(row.tokens_css) or shipped.tokens is not None,
        has_logo=bool(row.logo_png) or shipped.logo is not None,
    )


def theme_info(municipality_id: int) -> ThemeInfo | None:
    """The municipality's theme, or None for the default (from the per-process cache)."""
    return cached(("theme", municipality_id), lambda: _info(_row(municipality_id)))


def tokens_of(municipality_id: int) -> bytes | None:
    """The tokens file served on top of the Utrecht tokens, or None."""
    row = _row(municipality_id)
    if row is None:
        return None
    if row.tokens_css:
        return row.tokens_css.encode("utf-8")
    return SHIPPED.get(row.base, SHIPPED[DEFAULT_THEME]).read(
        SHIPPED.get(row.base, SHIPPED[DEFAULT_THEME]).tokens
    )


def logo_of(municipality_id: int) -> bytes | None:
    """The PNG logo, or None."""
    row = _row(municipality_id)
    if row is None:
        return None
    if row.logo_png:
        return row.logo_png
    shipped = SHIPPED.get(row.base, SHIPPED[DEFAULT_THEME])
    return shipped.read(shipped.logo)


def page_assets(municipality: Municipality | None) -> dict[str, str | None]:
    """The addresses base.html links: the theme's tokens (after Utrecht's) and its logo."""
    info = theme_info(municipality.id) if municipality is not None else None
    if info is None:
        return {"tokens_url": None, "logo_url": None}
    slug = municipality.slug  # type: ignore[union-attr]
    return {
        "tokens_url": url_for("theme.tokens", municipality=slug, version=info.version)
        if info.has_tokens
        else None,
        "logo_url": url_for("theme.logo", municipality=slug, version=info.version)
        if info.has_logo
        else None,
    }


def current(municipality: Municipality) -> MunicipalityTheme | None:
    """The stored choice, for the platform page."""
    return _row(municipality.id)


def set_theme(
    municipality: Municipality,
    base: str,
    *,
    tokens_css: str | None = None,
    logo_png: bytes | None = None,
    remove_tokens: bool = False,
    remove_logo: bool = False,
    actor: str | None = None,
) -> MunicipalityTheme | None:
    """Store the municipality's theme; the caller commits. Files must be checked already
    (:mod:`intranet.themes.validation`). The default theme without uploads removes the row."""
    if base not in SHIPPED:
        raise ValueError(f"unknown theme {base!r}")
    row = _row(municipality.id)
    if row is None:
        row = MunicipalityTheme(municipality_id=municipality.id, base=base, version="")
        db.session.add(row)
    row.base = base
    if tokens_css is not None:
        row.tokens_css = tokens_css
    elif remove_tokens:
        row.tokens_css = None
    if logo_png is not None:
        row.logo_png = logo_png
    elif remove_logo:
        row.logo_png = None
    digest = hashlib.sha256()
    for part in (
        base.encode(),
        (row.tokens_css or "").encode("utf-8"),
        row.logo_png or b"",
    ):
        digest.update(hashlib.sha256(part).digest())
    row.version = digest.hexdigest()[:20]
    row.changed_at = utcnow()
    row.changed_by = actor
    record(
        "municipality.theme_changed",
        object_type="municipality",
        object_id=municipality.slug,
        municipality=municipality,
        actor=actor,
        details={
            "theme": base,
            "own_tokens": bool(row.tokens_css),
            "own_logo": bool(row.logo_png),
        },
    )
    if base == DEFAULT_THEME and not row.tokens_css and not row.logo_png:
        if inspect(row).persistent:
            db.session.delete(row)
        else:
            db.session.expunge(row)
        db.session.flush()
        return None
    db.session.flush()
    return row
