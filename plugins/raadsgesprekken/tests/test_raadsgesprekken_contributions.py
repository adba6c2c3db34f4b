"""The ideas from council conversations in the core's contributions ledger: received when the
report is written, considered once passed on to the executive (with the answer as the reason),
and fed back once every resident who asked to hear back got the answers. Sending the feedback
mail itself is covered by test_raadsgesprekken_app; here the feedback rows are recorded the
way that view records them."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import event, select

from intranet.extensions import db
from intranet.feedback import service as feedback
from intranet.municipalities import service
from intranet.testing.helpers import post, signed_in
from intranet.workdays import add_working_days
from plugins.raadsgesprekken.models import (
    ConversationReport,
    ExecutiveSummary,
    ReportIdea,
    ResidentFeedback,
)

BASE = "/zwolle/raadsgesprekken"


def _ideas(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    with app.test_request_context("/zwolle/"):
        return {
            c.key: c
            for c in feedback.contributions(service.by_slug("zwolle"))
            if c.plugin == "raadsgesprekken"
        }


def _owed_only(app) -> tuple[set[str], int]:  # type: ignore[no-untyped-def]
    """What the ledger reports when only the owed ideas are asked for (the start page, the
    Terugkoppeling list), and how many ideas it loaded for that."""
    loaded: list[object] = []

    def count(target, _context) -> None:  # type: ignore[no-untyped-def]
        loaded.append(target)

    event.listen(ReportIdea, "load", count)
    try:
        with app.test_request_context("/zwolle/"):
            items = feedback.contributions(service.by_slug("zwolle"), owed_only=True)
            keys = {c.key for c in items if c.plugin == "raadsgesprekken"}
    finally:
        event.remove(ReportIdea, "load", count)
    return keys, len(loaded)


def _check_owed_only(app, ideas: dict) -> None:  # type: ignore[no-untyped-def]
    """The database's choice of owed ideas is the ledger's own rule, and no other idea loads."""
    owed = {key for key, c in ideas.items() if c.owed}
    keys, loaded = _owed_only(app)
    assert keys == owed
    assert loaded == len(owed) < len(ideas)


def _told_by_letter(app, summary, requests) -> None:  # type: ignore[no-untyped-def]
    """Record that these residents were told the executive's answers, as the view does."""
    with app.app_context():
        for r in requests:
            db.session.add(
                ResidentFeedback(
                    municipality_id=summary.municipality_id,
                    summary_id=summary.id,
                    request_id=r.id,
                    method="letter",
                    sent_by="griffier",
                )
            )
        db.session.commit()


def test_hook_intranet_contributions_raadsgesprekken_loop(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    before = _ideas(demo)
    _check_owed_only(demo, before)
    owed = [c for c in before.values() if c.owed]
    assert owed and all(c.status == "received" for c in owed)
    assert all(c.resident_ids and c.url.startswith(f"{BASE}/gesprekken/") for c in owed)
    idea_id = int(owed[0].key.removeprefix("idea-"))
    with demo.app_context():
        idea = db.session.get(ReportIdea, idea_id)
        report = db.session.get(ConversationReport, idea.report_id)
        day = report.appointment.starts_at.date()
        requests = [r for r in report.appointment.requests if r.wants_feedback and r.resident_id]
    response = post(
        clerk,
        f"{BASE}/doorgeefluik/nieuw",
        {
            "title": "Voor het college",
            "period_start": day.isoformat(),
            "period_end": day.isoformat(),
        },
    )
    assert response.status_code == 302
    with demo.app_context():
        summary = db.session.execute(
            select(ExecutiveSummary).where(ExecutiveSummary.title == "Voor het college")
        ).scalar_one()
        passed_on = summary.created_at.date()
    item = _ideas(demo)[f"idea-{idea_id}"]
    assert item.status == "considered" and item.owed
    _check_owed_only(demo, _ideas(demo))
    assert item.url == f"{BASE}/doorgeefluik/{summary.id}#idee-{idea_id}"
    # the term runs from the day it was passed on, in working days
    assert item.feedback_due == add_working_days(passed_on, feedback.DEFAULT_TERM)
    assert (
        post(
            clerk,
            f"{BASE}/doorgeefluik/ideeen/{idea_id}/antwoord",
            {"answer": "Wij nemen dit over."},
        ).status_code
        == 302
    )
    item = _ideas(demo)[f"idea-{idea_id}"]
    assert item.status_reason == "Antwoord college: Wij nemen dit over." and item.owed
    assert len(requests) >= 1
    _told_by_letter(demo, summary, requests[:-1])  # some of them only: still owed to the last
    assert _ideas(demo)[f"idea-{idea_id}"].owed
    _check_owed_only(demo, _ideas(demo))
    _told_by_letter(demo, summary, requests[-1:])
    item = _ideas(demo)[f"idea-{idea_id}"]
    assert not item.owed and item.feedback_how == "letter"
    _check_owed_only(demo, _ideas(demo))
    assert item.feedback_sent_at is not None and item.feedback_sent_at >= date(2000, 1, 1)
    page = clerk.get("/zwolle/terugkoppeling/?plugin=raadsgesprekken").get_data(as_text=True)
    assert f"#idee-{idea_id}" not in page


def test_owed_only_tells_the_answers_of_one_summary_from_another(demo) -> None:  # type: ignore[no-untyped-def]
    """Two ideas of one conversation passed on in two summaries: the residents were told the
    first summary's answers only, so the second idea is still owed to them."""
    owed = [c for c in _ideas(demo).values() if c.owed]
    first_id = int(owed[0].key.removeprefix("idea-"))
    with demo.app_context():
        first = db.session.get(ReportIdea, first_id)
        report = db.session.get(ConversationReport, first.report_id)
        requests = [r for r in report.appointment.requests if r.wants_feedback and r.resident_id]
        second = ReportIdea(
            municipality_id=first.municipality_id, report_id=report.id, text="Tweede idee"
        )
        day = report.appointment.starts_at.date()
        summaries = [
            ExecutiveSummary(
                municipality_id=first.municipality_id,
                title=title,
                period_start=day,
                period_end=day,
                created_by="griffier",
            )
            for title in ("Eerste doorgeefluik", "Tweede doorgeefluik")
        ]
        db.session.add_all([second, *summaries])
        db.session.flush()
        first.summary_id, second.summary_id = summaries[0].id, summaries[1].id
        db.session.commit()
        second_id = second.id
        told = SimpleNamespace(id=summaries[0].id, municipality_id=first.municipality_id)
        wanting = [SimpleNamespace(id=r.id) for r in requests]
    _told_by_letter(demo, told, wanting)
    ideas = _ideas(demo)
    assert not ideas[f"idea-{first_id}"].owed and ideas[f"idea-{second_id}"].owed
    _check_owed_only(demo, ideas)
