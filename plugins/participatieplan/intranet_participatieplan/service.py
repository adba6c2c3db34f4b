"""Queries the pages, the dashboard widget and the calendar share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from intranet.plugin_api import (
    ParticipationStatus,
    db,
    participation_target_status,
    plugin_availability,
    scoped,
)

from .models import Milestone, Moment, Workstream
from .rules import moment_is_late, needs_report_back

UPCOMING_DAYS = 60


def late_milestones(municipality: Any, today: date) -> list[Milestone]:
    return list(
        db.session.execute(
            scoped(Milestone, municipality)
            .where(Milestone.done_on.is_(None), Milestone.due_on < today)
            .order_by(Milestone.due_on)
        ).scalars()
    )


def upcoming_moments(municipality: Any, today: date, days: int = UPCOMING_DAYS) -> list[Moment]:
    return list(
        db.session.execute(
            scoped(Moment, municipality)
            .where(
                Moment.status == "gepland",
                Moment.planned_on >= today,
                Moment.planned_on < today + timedelta(days=days),
            )
            .order_by(Moment.planned_on)
        ).scalars()
    )


def late_moments(municipality: Any, today: date) -> list[Moment]:
    rows = db.session.execute(
        scoped(Moment, municipality).where(Moment.status == "gepland").order_by(Moment.planned_on)
    ).scalars()
    return [m for m in rows if moment_is_late(m.status, m.planned_on, today)]


def unreported_moments(municipality: Any) -> list[Moment]:
    rows = db.session.execute(
        scoped(Moment, municipality).where(Moment.status == "gehouden").order_by(Moment.planned_on)
    ).scalars()
    return [m for m in rows if needs_report_back(m.status, m.outcome_reported_on)]


@dataclass(frozen=True)
class LinkState:
    """How a stored link to another plugin's activity stands right now."""

    title: str
    availability: str  # enabled / disabled / not_installed
    status: ParticipationStatus | None

    @property
    def url(self) -> str | None:
        return self.status.url if self.status else None


def link_state(
    municipality: Any, plugin: str | None, key: str | None, title: str | None
) -> LinkState | None:
    """None without a link; else the stored title and, when the plugin can say, its state."""
    if not plugin or not key:
        return None
    availability = plugin_availability(municipality, plugin)
    status = participation_target_status(municipality, plugin, key)
    return LinkState(title or key, availability, status)


def public_workstreams(municipality: Any) -> list[Workstream]:
    return list(
        db.session.execute(
            scoped(Workstream, municipality)
            .where(Workstream.status != "concept")
            .order_by(Workstream.title)
        ).scalars()
    )
