"""Counting reach: distinct participants per plugin and reach group, with small cells hidden.

A figure of 1 to 4 people (under :data:`THRESHOLD`) could point at one resident, so it is
never shown (a 0 points at nobody and is shown),
on the page or in the CSV; a second cell is hidden as well where the first could otherwise
be worked out by subtracting the shown cells from the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..web.formatting import local_date
from .models import ReachGroup, ResidentReachGroup

THRESHOLD = 5
SUPPRESSED = "< 5"
TOTAL = "__total__"
ALL = "__all__"


def participants_per_plugin(municipality, start: date, end: date) -> dict[str, set[int]]:  # type: ignore[no-untyped-def]
    """Resident ids per enabled plugin that took part in ``[start, end)``, from the hook."""
    host = current_app.extensions["intranet"].plugins
    result: dict[str, set[int]] = {}
    for r in host.call_for_page(municipality, "intranet_participants", start=start, end=end):
        ids = {int(i) for i in (r.value or []) if i is not None}
        result.setdefault(r.plugin, set()).update(ids)
    return result


def group_members(municipality_id: int) -> dict[int, set[int]]:
    """Resident ids per reach group of the municipality."""
    members: dict[int, set[int]] = {}
    rows = db.session.execute(
        select(ResidentReachGroup.group_id, ResidentReachGroup.resident_id).where(
            ResidentReachGroup.municipality_id == municipality_id
        )
    )
    for group_id, resident_id in rows:
        members.setdefault(group_id, set()).add(resident_id)
    return members


@dataclass
class ReachTable:
    """Rows are reach groups plus ``ALL`` (everyone who took part); columns are plugins plus
    ``TOTAL`` (distinct over all plugins). ``cells`` holds exact counts, ``hidden`` the cells
    that must not be shown."""

    groups: list[ReachGroup]
    plugins: list[str]
    cells: dict[tuple[object, str], int] = field(default_factory=dict)
    hidden: set[tuple[object, str]] = field(default_factory=set)

    def shown(self, row: object, column: str) -> str:
        """The cell as it may be shown: the number, or ``< 5``."""
        key = (row, column)
        return SUPPRESSED if key in self.hidden else str(self.cells.get(key, 0))


def build_table(
    groups: list[ReachGroup],
    participation: dict[str, set[int]],
    members: dict[int, set[int]],
) -> ReachTable:
    plugins = sorted(participation)
    table = ReachTable(groups=groups, plugins=plugins)
    everyone: set[int] = set().union(*participation.values()) if participation else set()
    for plugin in plugins:
        table.cells[(ALL, plugin)] = len(participation[plugin])
    table.cells[(ALL, TOTAL)] = len(everyone)
    for group in groups:
        people = members.get(group.id, set())
        for plugin in plugins:
            table.cells[(group.id, plugin)] = len(participation[plugin] & people)
        table.cells[(group.id, TOTAL)] = len(everyone & people)
    table.hidden = suppress(table.cells, [g.id for g in groups], plugins)
    return table


def suppress(
    cells: dict[tuple[object, str], int], rows: Iterable[object], columns: Iterable[str]
) -> set[tuple[object, str]]:
    """Which cells to hide: every cell of 1 to 4 people (primary; a 0 points at nobody), and in each row (a group,
    or everyone, over the plugins and its total) another cell wherever exactly one cell of the
    row is hidden, so that it cannot be worked out from the row's total and its other cells.

    Columns need no second cell: reach groups overlap and do not cover everyone, so a
    plugin's figure for everyone is no sum of its group cells."""
    rows = list(rows)
    columns = list(columns)
    hidden = {key for key, value in cells.items() if 0 < value < THRESHOLD}
    lines: list[tuple[list[tuple[object, str]], tuple[object, str]]] = []
    for row in [*rows, ALL]:
        lines.append(([(row, c) for c in columns], (row, TOTAL)))
    changed = True
    while changed:
        changed = False
        for parts, total in lines:
            members = [*parts, total]
            hidden_here = [k for k in members if k in hidden]
            if len(hidden_here) != 1:
                continue
            # hide the smallest other cell of the line (a part, else the total)
            candidates = sorted(
                (k for k in members if k not in hidden), key=lambda k: (k == total, cells[k])
            )
            if candidates:
                hidden.add(candidates[0])
                changed = True
    return hidden


def utc_window(start: date, end: date) -> tuple[datetime, datetime]:
    """For a plugin's SQL on a datetime column: a UTC window that surely holds every moment of
    the Amsterdam days ``[start, end)``; filter the rows with :func:`on_local_days` after."""
    return (
        datetime.combine(start - timedelta(days=1), time.min, tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
    )


def on_local_days(value: datetime | None, start: date, end: date) -> bool:
    """Did this stored (UTC) moment fall on an Amsterdam day in ``[start, end)``?"""
    if value is None:
        return False
    day = local_date(value)
    return start <= day < end
