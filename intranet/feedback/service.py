"""The contributions ledger: collected per page from the enabled plugins through a hook.

Nothing is stored in the core but each municipality's feedback terms: the plugins own their
data and report it through ``intranet_contributions``, one call per plugin per page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import timeutil
from ..caching import cached
from ..contract import CONTRIBUTION_KINDS, Contribution
from ..dashboard.calendar import month_bounds
from ..extensions import db
from ..plugin_manager import flatten
from ..tenancy import scoped, tenant_scope
from ..workdays import add_working_days, working_days_between
from .models import FeedbackTerm

if TYPE_CHECKING:
    from ..municipalities.models import Municipality

log = logging.getLogger(__name__)

#: the term in working days when the municipality has not set its own (about four weeks)
DEFAULT_TERM = 20
#: the choices of the term filter on the Terugkoppeling page
TERMS = {"te-laat": _l("Te laat"), "deze-week": _l("Deze week"), "later": _l("Later")}


def feedback_terms(municipality: Municipality) -> dict[str, int]:
    """The municipality's term per kind of contribution, defaults filled in (cached)."""

    def load() -> dict[str, int]:
        own = {
            t.kind: t.working_days
            for t in db.session.execute(scoped(FeedbackTerm, municipality)).scalars()
        }
        return {kind: own.get(kind, DEFAULT_TERM) for kind in CONTRIBUTION_KINDS}

    return cached(("feedback_terms", municipality.id), load)


def feedback_due(municipality: Municipality, kind: str, start: date) -> date:
    """The date feedback on a contribution of ``kind`` made (or passed on) on ``start`` is due:
    the municipality's term in working days, skipping weekends and Dutch public holidays."""
    days = feedback_terms(municipality).get(kind, DEFAULT_TERM)
    return add_working_days(start, days)


def set_feedback_term(municipality: Municipality, kind: str, working_days: int) -> None:
    """Store the municipality's own term for one kind (the caller commits)."""
    row = db.session.execute(
        scoped(FeedbackTerm, municipality).where(FeedbackTerm.kind == kind)
    ).scalar_one_or_none()
    if row is None:
        db.session.add(
            FeedbackTerm(municipality_id=municipality.id, kind=kind, working_days=working_days)
        )
    else:
        row.working_days = working_days


def contributions(
    municipality: Municipality,
    resident: Any = None,
    since: date | None = None,
    *,
    installed: bool = False,
    owed_only: bool = False,
) -> list[Contribution]:
    """Every contribution the plugins report, oldest due date first.

    By default only plugins enabled in the municipality answer, and a failing one becomes a
    notice on the page. With ``installed`` (an access request) every installed plugin answers,
    enabled or not, because a disabled plugin still holds the resident's data. With
    ``owed_only`` only those still owed feedback (plugins may then skip their history).
    """
    host = current_app.extensions["intranet"].plugins
    asked = {"resident": resident, "since": since, "owed_only": owed_only}
    with tenant_scope(municipality):
        if installed:
            results = host.call_all("intranet_contributions", municipality=municipality, **asked)
        else:
            results = host.call_for_page(municipality, "intranet_contributions", **asked)
    items = [c for c in flatten(results) if isinstance(c, Contribution)]
    if owed_only:
        items = [c for c in items if c.owed]
    if resident is not None:
        items = [c for c in items if resident.id in c.resident_ids]
    if since is not None:
        items = [c for c in items if c.contributed_at >= since]
    items.sort(key=lambda c: (c.feedback_due or date.max, c.contributed_at, c.plugin, c.key))
    return items


def term_of(item: Contribution, now: date) -> str:
    """``te-laat``, ``deze-week`` (due today up to Sunday) or ``later``."""
    assert item.feedback_due is not None
    if item.feedback_due < now:
        return "te-laat"
    if item.feedback_due <= now + timedelta(days=6 - now.weekday()):
        return "deze-week"
    return "later"


def working_days_late(item: Contribution, now: date) -> int:
    """How many working days past its due date the feedback is (0 when not late)."""
    if item.feedback_due is None or item.feedback_due >= now:
        return 0
    return working_days_between(item.feedback_due, now)


@dataclass
class OwedRow:
    item: Contribution
    term: str
    late: int
    plugin_title: str


def owed(items: Iterable[Contribution], now: date | None = None) -> list[OwedRow]:
    """The contributions still owed feedback, overdue first (most overdue on top)."""
    now = now or timeutil.today()
    host = current_app.extensions["intranet"].plugins
    rows = [
        OwedRow(
            c,
            term_of(c, now),
            working_days_late(c, now),
            host.title_of(c.plugin),
        )
        for c in items
        if c.owed
    ]
    rows.sort(key=lambda r: (r.item.feedback_due, r.item.plugin, r.item.key))
    return rows


def counts(rows: Iterable[OwedRow]) -> dict[str, int]:
    out = dict.fromkeys(TERMS, 0)
    for r in rows:
        out[r.term] += 1
    return out


def month_overview(items: Iterable[Contribution], year: int, month: int) -> dict[str, Any]:
    """For management: contributions received in the month and feedback given in it, and
    what is still open, per plugin and kind."""
    start, end = month_bounds(year, month)
    items = list(items)
    received = [c for c in items if start <= c.contributed_at < end]
    fed_back = [c for c in items if c.feedback_sent_at and start <= c.feedback_sent_at < end]
    on_time = [c for c in fed_back if c.feedback_due and c.feedback_sent_at <= c.feedback_due]
    overdue_at_end = [
        c
        for c in items
        if c.feedback_due
        and c.feedback_due < end
        and (c.feedback_sent_at is None or c.feedback_sent_at >= end)
        and c.contributed_at < end
    ]
    return {
        "start": start,
        "end": end,
        "received": received,
        "fed_back": fed_back,
        "on_time": on_time,
        "overdue_at_end": overdue_at_end,
    }
