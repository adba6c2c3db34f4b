"""Terms in calendar days, moved to the next working day; overdue; the annual report figures."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from plugins.adviescommissie import deadlines
from plugins.adviescommissie.report import annual_figures


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # an ordinary weekday stays where it is
        (date(2026, 3, 2), 42, date(2026, 4, 13)),
        # ends on a Saturday -> Monday
        (date(2026, 1, 3), 42, date(2026, 2, 16)),
        # ends on Christmas Day (Friday 25-12-2026) -> Boxing Day is a holiday, weekend -> Monday 28th
        (date(2026, 11, 13), 42, date(2026, 12, 28)),
        # ends on Boxing Day 2025 (Friday) -> Monday 29 December
        (date(2025, 11, 14), 42, date(2025, 12, 29)),
        # ends on Saturday 31 December 2022 -> New Year's Day (Sunday) -> Monday 2 January 2023
        (date(2022, 11, 19), 42, date(2023, 1, 2)),
        # ends on New Year's Day 2027 (Friday) -> Monday 4 January 2027
        (date(2026, 11, 20), 42, date(2027, 1, 4)),
        # a term of zero days from a Sunday moves to Monday
        (date(2026, 3, 1), 0, date(2026, 3, 2)),
    ],
)
def test_term_end_moves_to_next_working_day(start: date, days: int, expected: date) -> None:
    assert deadlines.term_end(start, days) == expected


def test_default_terms_and_configuration(ctx) -> None:  # type: ignore[no-untyped-def]
    assert deadlines.advice_deadline(date(2026, 3, 2)) == date(2026, 4, 13)
    ctx.config["ADVIESCOMMISSIE_ADVICE_TERM_DAYS"] = 14
    ctx.config["ADVIESCOMMISSIE_RESPONSE_TERM_DAYS"] = "bad"
    try:
        assert deadlines.advice_deadline(date(2026, 3, 2)) == date(2026, 3, 16)
        # an unusable setting falls back to the default of 42 days
        assert deadlines.response_due(date(2026, 3, 2)) == date(2026, 4, 13)
    finally:
        del ctx.config["ADVIESCOMMISSIE_ADVICE_TERM_DAYS"]
        del ctx.config["ADVIESCOMMISSIE_RESPONSE_TERM_DAYS"]


def test_overdue_from_the_day_after_the_deadline() -> None:
    deadline = date(2026, 12, 28)
    assert not deadlines.is_overdue(deadline, date(2026, 12, 28))
    assert deadlines.is_overdue(deadline, date(2026, 12, 29))
    assert not deadlines.is_overdue(deadline, date(2027, 1, 5), done_on=date(2026, 12, 28))
    assert deadlines.is_overdue(deadline, date(2026, 12, 1), done_on=date(2027, 1, 4))
    assert not deadlines.is_overdue(None, date(2030, 1, 1))


def test_working_days_late_skips_weekend_and_holidays() -> None:
    # Wednesday 23 Dec 2026 -> Monday 4 Jan 2027: 24, 28, 29, 30, 31 Dec and 4 Jan = 6
    assert deadlines.working_days_late(date(2026, 12, 23), date(2027, 1, 4)) == 6
    assert deadlines.working_days_late(date(2026, 12, 23), date(2026, 12, 20)) == 0


def test_term_end_reminder() -> None:
    today = date(2026, 11, 1)
    assert deadlines.term_ends_soon(date(2026, 12, 31), today, 60)
    assert not deadlines.term_ends_soon(date(2027, 1, 1), today, 60)
    assert not deadlines.term_ends_soon(date(2026, 10, 31), today, 60)  # already ended
    assert not deadlines.term_ends_soon(None, today, 60)


def _rec(response: str | None) -> SimpleNamespace:
    return SimpleNamespace(response=response)


def _file(**kw) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    base = dict(
        solicited=True,
        deadline=None,
        sent_on=None,
        response_due=None,
        response_received_on=None,
        recommendations=[],
    )
    base.update(kw)
    return SimpleNamespace(**base)


def test_annual_figures() -> None:
    files = [
        # on time (sent on the deadline), response 35 days later, on time; 2 adopted, 1 partly
        _file(
            deadline=date(2026, 3, 2),
            sent_on=date(2026, 3, 2),
            response_due=date(2026, 4, 13),
            response_received_on=date(2026, 4, 6),
            recommendations=[_rec("adopted"), _rec("adopted"), _rec("partly")],
        ),
        # late, response late (51 days)
        _file(
            deadline=date(2026, 5, 1),
            sent_on=date(2026, 5, 4),
            response_due=date(2026, 6, 15),
            response_received_on=date(2026, 6, 24),
            recommendations=[_rec("rejected")],
        ),
        # unsolicited, no deadline, response overdue and still open
        _file(
            solicited=False,
            sent_on=date(2026, 10, 1),
            response_due=date(2026, 11, 12),
            recommendations=[_rec(None), _rec(None), _rec("adopted"), _rec("partly")],
        ),
        # sent at the end of the year before: not counted
        _file(sent_on=date(2025, 12, 31), recommendations=[_rec("adopted")]),
        # not sent: not counted
        _file(recommendations=[_rec(None)]),
    ]
    f = annual_figures(files, 2026, today=date(2026, 12, 1))
    assert (f.solicited, f.unsolicited, f.total) == (2, 1, 3)
    assert (f.on_time, f.late, f.no_deadline) == (1, 1, 1)
    assert f.recommendations == 8
    assert f.responses == {"adopted": 3, "partly": 2, "rejected": 1, "": 2}
    assert (f.share("adopted"), f.share("partly"), f.share("rejected"), f.share("")) == (
        38,
        25,
        12,
        25,
    )
    assert f.response_days == [35, 51]
    assert (f.average_response_days, f.median_response_days, f.longest_response_days) == (
        43.0,
        43.0,
        51,
    )
    assert (f.responses_on_time, f.responses_late, f.responses_overdue) == (1, 1, 1)
    assert f.responses_pending == 0


def test_annual_figures_of_an_empty_year() -> None:
    f = annual_figures([], 2026, today=date(2026, 6, 1))
    assert f.total == 0
    assert f.share("adopted") == 0
    assert f.average_response_days is None
