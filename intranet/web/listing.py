"""One way to sort, filter and page a list, with everything kept in the URL's query string.

A view declares its :class:`Listing` once (the sortable columns with the SQL expression each
sorts on, the filters and the page size) and calls :meth:`Listing.run` with its tenant-scoped
``select``. Only declared column keys reach ``ORDER BY`` (a whitelist: no SQL from the URL),
and any parameter that does not make sense (an unknown column, page ``-1``, ``10**40``, NUL
bytes, an unknown choice) quietly falls back to the default, so a hand-edited or stale link
never gives a 500. Two queries per page, whatever the number of rows: a count and the page.

The templates use the macros in ``macros/listing.html``: ``filter_form`` (a GET form that
works without JavaScript), ``sort_header`` (a header link with ``aria-sort``), ``pagination``
(NL Design System pagination) and ``empty_state`` (what to do when nothing is shown).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, select

from ..extensions import db

#: query string names; Dutch, like the rest of the URLs
SORT_ARG = "sorteer"
ORDER_ARG = "volgorde"
PAGE_ARG = "pagina"
ASCENDING, DESCENDING = "op", "af"
#: the longest value a filter reads from the URL; longer input is cut, not refused
MAX_VALUE = 100
MAX_PAGE = 100_000


def clean_arg(value: str | None, limit: int = MAX_VALUE) -> str:
    """A query string value without control characters (NUL included), trimmed and cut."""
    if not value:
        return ""
    return "".join(ch for ch in value if ch.isprintable()).strip()[:limit]


def parse_page(value: str | None) -> int:
    """A page number from the URL: a positive number of at most six digits, otherwise 1."""
    text = clean_arg(value, 12)
    if not text.isdigit() or not text.isascii() or len(text) > 6:
        return 1
    return min(max(1, int(text)), MAX_PAGE)


def parse_id(value: str | None) -> int | None:
    """A record's id from the URL or a form, or None.

    ``str.isdigit`` alone lets through "²" and "①", which ``int`` refuses; nine ASCII digits at
    most fit every integer column on both databases.
    """
    text = clean_arg(value, 12)
    if text.isdigit() and text.isascii() and len(text) <= 9:
        return int(text)
    return None


def parse_ids(values: Iterable[str]) -> list[int]:
    """The ids among ticked boxes or a comma-separated list, in order; the rest is dropped."""
    return [ident for ident in map(parse_id, values) if ident is not None]


def like_pattern(value: str) -> str:
    """``%value%`` for ILIKE, with the user's ``%`` and backslashes taken out.

    An underscore stays: it is part of e-mail addresses and user names people search for. As
    a LIKE wildcard it matches itself too, so at worst a search finds one character more
    leniently; no escape clause is needed, which keeps the pattern the same on both databases.
    """
    cleaned = value.replace("\\", "").replace("%", "").strip()
    return f"%{cleaned}%"


@dataclass(frozen=True)
class Column:
    """A sortable column: the URL key, the header label and what it sorts on."""

    key: str
    label: Any
    expression: Any
    #: the direction a first click on the header sorts in
    first: str = ASCENDING


@dataclass(frozen=True)
class Filter:
    """A filter of the list: a text search (no ``choices``) or a choice among ``choices``.

    ``apply(stmt, value)`` narrows the statement; it is only called with a non-empty value
    that, for a choice filter, is one of the choices' codes.
    """

    key: str
    label: Any
    apply: Callable[[Select, str], Select]
    choices: Sequence[tuple[str, Any]] | None = None
    hint: Any = ""
    #: the label of the empty choice ("Alle" when not given), for a list whose unfiltered
    #: view is narrowed by the view itself (e.g. upcoming conversations)
    blank: Any = ""

    def value_from(self, args: Mapping[str, str]) -> str:
        value = clean_arg(args.get(self.key))
        if self.choices is not None and value not in {code for code, _ in self.choices}:
            return ""
        return value


@dataclass
class ListPage:
    """One rendered page of a list and the links that change its state."""

    listing: Listing
    items: list[Any]
    total: int
    page: int
    pages: int
    sort: str
    order: str
    values: dict[str, str]
    per_page: int
    url_values: dict[str, Any] = field(default_factory=dict)

    @property
    def filtered(self) -> bool:
        """Whether a filter narrows the list (the empty state then offers to clear it)."""
        return any(self.values.values())

    def state(self, **changes: Any) -> dict[str, Any]:
        """The query string of this page with ``changes`` (``None`` drops a key); defaults
        stay out of the URL."""
        params: dict[str, Any] = {k: v for k, v in self.values.items() if v}
        if self.sort != self.listing.default_sort or self.order != self.listing.default_order:
            params[SORT_ARG], params[ORDER_ARG] = self.sort, self.order
        if self.page != 1:
            params[PAGE_ARG] = self.page
        params.update(changes)
        if params.get(PAGE_ARG) == 1:
            params.pop(PAGE_ARG)
        return {k: v for k, v in params.items() if v is not None}

    def url(self, **changes: Any) -> str:
        return url_for(self.listing.endpoint, **self.url_values, **self.state(**changes))

    def page_url(self, page: int) -> str:
        return self.url(**{PAGE_ARG: page})

    def clear_filters_url(self) -> str:
        """The same sort order without any filter, from page 1."""
        return self.url(**dict.fromkeys(self.values), **{PAGE_ARG: None})

    def clear_url(self) -> str:
        return url_for(self.listing.endpoint, **self.url_values)

    def sort_url(self, key: str) -> str:
        """The header link: the other direction when sorted on ``key``, else its first."""
        column = self.listing.column(key)
        if key == self.sort:
            order = DESCENDING if self.order == ASCENDING else ASCENDING
        else:
            order = column.first
        return self.url(**{SORT_ARG: key, ORDER_ARG: order, PAGE_ARG: None})

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "ascending" if self.order == ASCENDING else "descending"

    @property
    def hidden_state(self) -> dict[str, Any]:
        """Sort fields the filter form carries along (a new filter starts on page 1)."""
        state = self.state(**{PAGE_ARG: None})
        return {k: v for k, v in state.items() if k in (SORT_ARG, ORDER_ARG)}

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.items) - 1 if self.items else 0


def _count_of(stmt: Select) -> Select:
    """``SELECT count(*)`` of ``stmt``'s rows.

    Counting the statement as a subquery made the database build every column of every row
    (ten thousand residents' rows on the residents list); a plain statement is counted
    directly on its own tables and conditions. With grouping, DISTINCT or a limit only the
    subquery counts right.
    """
    if stmt._group_by_clauses or stmt._distinct or stmt._limit_clause is not None:
        return select(func.count()).select_from(stmt.order_by(None).subquery())
    return stmt.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)


class Listing:
    """The declaration of one list: columns that may be sorted on, filters and page size."""

    def __init__(
        self,
        endpoint: str,
        columns: Sequence[Column],
        default_sort: str,
        default_order: str = ASCENDING,
        filters: Sequence[Filter] = (),
        per_page: int = 25,
        tiebreak: Any = None,
    ) -> None:
        self.endpoint = endpoint
        self.columns = {c.key: c for c in columns}
        if default_sort not in self.columns:
            raise ValueError(f"default sort {default_sort!r} is not a declared column")
        self.default_sort, self.default_order = default_sort, default_order
        self.filters = list(filters)
        self.per_page = per_page
        self.tiebreak = tiebreak

    def column(self, key: str) -> Column:
        return self.columns[key]

    def filtered(
        self, stmt: Select, args: Mapping[str, str] | None = None
    ) -> tuple[Select, dict[str, str]]:
        """``stmt`` narrowed by the filters in the query string, and their values: what an
        export of the same list needs, without sorting or paging."""
        args = request.args if args is None else args
        values = {f.key: f.value_from(args) for f in self.filters}
        for f in self.filters:
            if values[f.key]:
                stmt = f.apply(stmt, values[f.key])
        return stmt, values

    def run(
        self,
        stmt: Select,
        args: Mapping[str, str] | None = None,
        per_page: int | None = None,
        **url_values: Any,
    ) -> ListPage:
        """Filter, count, sort and page ``stmt`` as the query string asks (two queries)."""
        args = request.args if args is None else args
        per_page = per_page or self.per_page
        stmt, values = self.filtered(stmt, args)
        sort = clean_arg(args.get(SORT_ARG), 40)
        order = clean_arg(args.get(ORDER_ARG), 4)
        if sort not in self.columns:
            sort, order = self.default_sort, self.default_order
        if order not in (ASCENDING, DESCENDING):
            order = self.columns[sort].first if sort != self.default_sort else self.default_order
        total = db.session.execute(_count_of(stmt)).scalar_one()
        pages = max(1, -(-total // per_page))
        page = min(parse_page(args.get(PAGE_ARG)), pages)
        expression = self.columns[sort].expression
        ordering = [expression.asc() if order == ASCENDING else expression.desc()]
        if self.tiebreak is not None:
            ordering.append(self.tiebreak)
        rows = (
            db.session.execute(
                stmt.order_by(None)
                .order_by(*ordering)
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
            .scalars()
            .all()
            if total
            else []
        )
        return ListPage(
            self, list(rows), total, page, pages, sort, order, values, per_page, url_values
        )
