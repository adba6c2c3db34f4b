"""The one place where queries are scoped to the current municipality.

Views and plugins never filter on ``municipality_id`` by hand: they call :func:`scoped`
or :func:`get_scoped_or_404`, so an id guessed from another municipality is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, g, has_request_context
from sqlalchemy import ForeignKey, Integer, Select, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .extensions import db

if TYPE_CHECKING:
    from .municipalities.models import Municipality

M = TypeVar("M")

#: Ids are 32-bit integers on PostgreSQL.
MAX_ID = 2**31 - 1


class TenantMixin:
    """Columns every row that belongs to one municipality carries."""

    @declared_attr
    def municipality_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer, ForeignKey("municipality.id", ondelete="CASCADE"), index=True, nullable=False
        )


def current_municipality() -> Municipality:
    """The municipality resolved from the URL; a 404 outside a municipality's pages."""
    municipality = g.get("municipality") if has_request_context() else None
    if municipality is None:
        abort(404)
    return municipality


def scoped(model: type[M], municipality: Municipality | None = None) -> Select[tuple[M]]:
    """``select(model)`` limited to one municipality (the current one by default)."""
    municipality = municipality or current_municipality()
    return select(model).where(model.municipality_id == municipality.id)  # type: ignore[attr-defined]


def get_scoped_or_404(model: type[M], ident: Any, municipality: Municipality | None = None) -> M:
    """Fetch one row by primary key, but only if it belongs to the municipality."""
    municipality = municipality or current_municipality()
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < ident <= MAX_ID:
        abort(404)  # beyond any id column: PostgreSQL would refuse the query
    row = db.session.execute(
        scoped(model, municipality).where(model.id == ident)  # type: ignore[attr-defined]
    ).scalar_one_or_none()
    if row is None:
        abort(404)
    return row
