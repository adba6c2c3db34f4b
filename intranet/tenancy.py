"""The one place where queries are scoped to the current municipality.

Every ORM SELECT, UPDATE and DELETE that touches a :class:`TenantMixin` model is limited to the
current municipality by SQLAlchemy's global-criteria recipe (a ``do_orm_execute`` listener
adding ``with_loader_criteria``), so a view, a join or a bulk statement cannot reach another
municipality's rows even when it forgets to filter. The current municipality is

* the one set with :func:`tenant_scope` (jobs and CLI commands that work for one
  municipality set it explicitly), else
* the one resolved from the URL (``g.municipality``) during a request.

With neither (the CLI, jobs across municipalities, platform pages) nothing is added. The escape
hatch is explicit and greppable: :func:`all_tenants` (a context manager), or the
execution option ``intranet_all_tenants=True`` on one statement.

A tenant row can also not *reference* another municipality's row: a ``before_flush`` listener
refuses (:class:`CrossTenantReference`) any new or changed tenant row whose many-to-one
reference points at a tenant row of another municipality (see docs/architecture.md).

:func:`scoped` and :func:`get_scoped_or_404` stay: they also work outside a request, for an
explicitly given municipality.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort, g, has_request_context
from sqlalchemy import ForeignKey, Integer, Select, event, inspect, select
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from .extensions import db

if TYPE_CHECKING:
    from .municipalities.models import Municipality

M = TypeVar("M")

#: Ids are 32-bit integers on PostgreSQL.
MAX_ID = 2**31 - 1

#: execution option that lifts the tenant criteria from one statement
ALL_TENANTS = "intranet_all_tenants"

_ALL = object()
#: the explicit scope: a municipality id, ``_ALL`` (no scope), or None (follow the request)
_scope: ContextVar[Any] = ContextVar("intranet_tenant_scope", default=None)


class TenantMixin:
    """Columns every row that belongs to one municipality carries."""

    @declared_attr
    def municipality_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer, ForeignKey("municipality.id", ondelete="CASCADE"), index=True, nullable=False
        )


class CrossTenantReference(ValueError):
    """A tenant row pointed at another municipality's row; the views answer 404."""


def current_tenant_id() -> int | None:
    """The municipality every ORM statement is limited to now, or None for no limit."""
    scope = _scope.get()
    if scope is _ALL:
        return None
    if scope is not None:
        return scope
    if has_request_context():
        municipality = g.get("municipality")
        if municipality is not None:
            return municipality.id
    return None


@contextmanager
def tenant_scope(municipality: Municipality | int) -> Iterator[None]:
    """Limit every ORM statement in this block to one municipality (jobs, CLI commands)."""
    ident = municipality if isinstance(municipality, int) else municipality.id
    token = _scope.set(ident)
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def all_tenants() -> Iterator[None]:
    """Escape hatch: no tenant criteria in this block (platform work across municipalities)."""
    token = _scope.set(_ALL)
    try:
        yield
    finally:
        _scope.reset(token)


@event.listens_for(Session, "do_orm_execute")
def _limit_to_current_municipality(state: ORMExecuteState) -> None:
    """Add ``municipality_id = <current>`` for every TenantMixin entity of the statement.

    Column loads (deferred/expired attributes) and relationship lazy loads are skipped as in
    SQLAlchemy's recipe: the loader criteria travel with the objects loaded under them.
    """
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_select and (state.is_column_load or state.is_relationship_load):
        return
    if state.execution_options.get(ALL_TENANTS):
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantMixin,
            lambda cls: cls.municipality_id == tenant_id,
            include_aliases=True,
        )
    )


@event.listens_for(Session, "before_flush")
def _refuse_cross_tenant_references(
    session: Session, _flush_context: object, _instances: object
) -> None:
    """A new or changed tenant row may only reference rows of its own municipality."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, TenantMixin):
            check_references(session, obj)


#: mapper -> (models in its registry when computed, its references): every flush asks.
_references: dict[Any, tuple[int, list[tuple[str, str | None, type]]]] = {}


def tenant_references(mapper: Any) -> list[tuple[str, str | None, type]]:
    """Each reference from ``mapper``'s table to a tenant model's primary key:
    (attribute of the foreign-key column, attribute of the many-to-one relationship or None,
    the tenant model referred to).

    Computed once per mapper, and again when a model joined the registry since (a plugin
    imported later): the flush of every write asks for it."""
    mappers = mapper.registry.mappers
    cached = _references.get(mapper)
    if cached is not None and cached[0] == len(mappers):
        return cached[1]
    references = _compute_references(mapper, mappers)
    _references[mapper] = (len(mappers), references)
    return references


def _compute_references(mapper: Any, mappers: Any) -> list[tuple[str, str | None, type]]:
    tenant_tables = {
        m.local_table: m.class_
        for m in mappers
        if issubclass(m.class_, TenantMixin) and m.local_table is not None
    }
    out = []
    for column in mapper.local_table.columns:
        for fk in column.foreign_keys:
            target = tenant_tables.get(fk.column.table)
            if target is None or not fk.column.primary_key:
                continue
            relationship = next(
                (
                    rel.key
                    for rel in mapper.relationships
                    if rel.direction.name == "MANYTOONE"
                    and any(local is column for local, _remote in rel.local_remote_pairs)
                ),
                None,
            )
            out.append((mapper.get_property_by_column(column).key, relationship, target))
    return out


def check_references(session: Session, obj: Any) -> None:
    """Raise :class:`CrossTenantReference` when ``obj`` points at another municipality's row.

    Checks what is new or changed only, and looks the referred rows up in the session's
    identity map first, so a flush of rows whose parents are loaded costs no queries.
    """
    state = inspect(obj)
    own = obj.municipality_id
    if own is None:
        return
    moved = state.attrs.municipality_id.history.has_changes()
    for column_key, relationship, target in tenant_references(state.mapper):
        changed = state.pending or moved or state.attrs[column_key].history.has_changes()
        other = None
        if relationship is not None:
            rel_state = state.attrs[relationship]
            if rel_state.history.has_changes():
                changed = True
            loaded = rel_state.loaded_value
            if loaded is not None and isinstance(loaded, TenantMixin):
                other = loaded.municipality_id
        if not changed:
            continue
        if other is None:
            ident = getattr(obj, column_key)
            if ident is None:
                continue
            with session.no_autoflush:
                row = session.get(target, ident, execution_options={ALL_TENANTS: True})
            other = row.municipality_id if row is not None else None
        if other is not None and other != own:
            raise CrossTenantReference(
                f"{type(obj).__name__}.{relationship or column_key} points at a row of "
                "another municipality"
            )


def tenant_models() -> list[type]:
    """Every mapped TenantMixin model (core and installed plugins)."""
    return sorted(
        (m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, TenantMixin)),
        key=lambda cls: cls.__name__,
    )


def current_municipality() -> Municipality:
    """The municipality resolved from the URL; a 404 outside a municipality's pages."""
    municipality = g.get("municipality") if has_request_context() else None
    if municipality is None:
        abort(404)
    return municipality


def scoped(model: type[M], municipality: Municipality | None = None) -> Select[tuple[M]]:
    """``select(model)`` limited to one municipality (the current one by default).

    Within a request the ORM criteria limit it already; the explicit filter keeps it right
    for a municipality given outside a request (CLI, jobs).
    """
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
