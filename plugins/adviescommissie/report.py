"""Figures of the annual report, computed from advice files as a pure function.

An advice counts in the year it was **sent** (for unsent files: not at all). A solicited advice
is on time when it was sent on or before its deadline. Response times are calendar days from
sending to the municipality's response; a response is late when it came after its due date,
and still-open responses past their due date count as overdue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from . import deadlines
from .models import RESPONSES


@dataclass
class AnnualFigures:
    year: int
    solicited: int = 0
    unsolicited: int = 0
    on_time: int = 0
    late: int = 0
    no_deadline: int = 0
    recommendations: int = 0
    #: response code (adopted/partly/rejected, or "" for none yet) -> count
    responses: dict[str, int] = field(default_factory=dict)
    response_days: list[int] = field(default_factory=list)
    responses_on_time: int = 0
    responses_late: int = 0
    responses_overdue: int = 0
    responses_pending: int = 0
    #: solicited advice: was the committee asked early enough (judged against the decision)?
    asked_early: int = 0
    asked_late: int = 0
    asked_unjudged: int = 0

    @property
    def total(self) -> int:
        return self.solicited + self.unsolicited

    def share(self, code: str) -> int:
        """Percentage (rounded) of recommendations with this response, of all recommendations."""
        if not self.recommendations:
            return 0
        return round(100 * self.responses.get(code, 0) / self.recommendations)

    @property
    def average_response_days(self) -> float | None:
        if not self.response_days:
            return None
        return round(sum(self.response_days) / len(self.response_days), 1)

    @property
    def median_response_days(self) -> float | None:
        return median(self.response_days) if self.response_days else None

    @property
    def longest_response_days(self) -> int | None:
        return max(self.response_days) if self.response_days else None


def annual_figures(files: Iterable, year: int, today: date) -> AnnualFigures:  # type: ignore[type-arg]
    """``files`` are AdviceFile rows (or objects with the same attributes)."""
    figures = AnnualFigures(year=year, responses={code: 0 for code in (*RESPONSES, "")})
    for advice in files:
        if advice.sent_on is None or advice.sent_on.year != year:
            continue
        if advice.solicited:
            figures.solicited += 1
            timeliness = getattr(advice, "timeliness", "")
            if timeliness == "early":
                figures.asked_early += 1
            elif timeliness == "late":
                figures.asked_late += 1
            else:
                figures.asked_unjudged += 1
        else:
            figures.unsolicited += 1
        if advice.deadline is None:
            figures.no_deadline += 1
        elif deadlines.is_overdue(advice.deadline, today, done_on=advice.sent_on):
            figures.late += 1
        else:
            figures.on_time += 1
        for rec in advice.recommendations:
            figures.recommendations += 1
            figures.responses[rec.response or ""] = figures.responses.get(rec.response or "", 0) + 1
        if advice.response_received_on is not None:
            figures.response_days.append((advice.response_received_on - advice.sent_on).days)
            if deadlines.is_overdue(advice.response_due, today, advice.response_received_on):
                figures.responses_late += 1
            else:
                figures.responses_on_time += 1
        elif deadlines.is_overdue(advice.response_due, today):
            figures.responses_overdue += 1
        else:
            figures.responses_pending += 1
    return figures
