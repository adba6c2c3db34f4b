"""The loop to the executive: a summary's sent date and answer term in working days, overdue
answers and unanswered ideas counted on the dashboard widget, and the form's bad input."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.raadsgesprekken.models import ConversationReport, ExecutiveSummary, ReportIdea
from plugins.raadsgesprekken.views.passing_on import executive_loop_counts

BASE = "/zwolle/raadsgesprekken"


def _summary_of_first_report() -> int:
    """A summary holding the first demo report and its ideas (as the 'nieuw' page makes it)."""
    zwolle = municipalities.by_slug("zwolle")
    report = (
        db.session.execute(
            select(ConversationReport)
            .where(ConversationReport.municipality_id == zwolle.id)
            .order_by(ConversationReport.id)
        )
        .scalars()
        .first()
    )
    summ = ExecutiveSummary(
        municipality_id=zwolle.id,
        title="Wat we hoorden",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        created_by="griffier",
        report_ids=[report.id],
    )
    db.session.add(summ)
    db.session.flush()
    for idea in report.ideas:
        idea.summary_id = summ.id
    db.session.commit()
    return summ.id


def test_answer_term_counts_working_days_around_holidays(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summ = db.session.get(ExecutiveSummary, _summary_of_first_report())
        assert summ.answer_due is None and not summ.is_overdue(date(2030, 1, 1))
        # Wednesday 22 April 2026 + 5 working days skips the weekend and King's Day (Mon 27)
        summ.sent_on, summ.answer_term_days = date(2026, 4, 22), 5
        assert summ.answer_due == date(2026, 4, 30)
        # Christmas: Tue 22 Dec 2026 + 5 skips 25, 26, 27 December
        summ.sent_on = date(2026, 12, 22)
        assert summ.answer_due == date(2026, 12, 30)
        assert not summ.is_overdue(date(2026, 12, 30))
        assert summ.is_overdue(date(2026, 12, 31))
        for idea in summ.ideas:
            idea.answer = "Overgenomen."
        assert not summ.is_overdue(date(2026, 12, 31))


def test_recording_the_sending_counts_overdue_answers_on_the_widget(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        summary_id = _summary_of_first_report()
        before = executive_loop_counts(municipalities.by_slug("zwolle"))
        assert before.overdue_ideas == 0 and before.unanswered >= 1
        n_ideas = len(db.session.get(ExecutiveSummary, summary_id).ideas)
    page = griffier.get(f"{BASE}/doorgeefluik/{summary_id}").get_data(as_text=True)
    assert "Nog niet vastgelegd wanneer" in page and 'name="answer_term_days"' in page
    response = post(
        griffier,
        f"{BASE}/doorgeefluik/{summary_id}/verstuurd",
        {"sent_on": "2026-04-22", "answer_term_days": "5"},
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with demo.app_context():
        summ = db.session.get(ExecutiveSummary, summary_id)
        assert summ.sent_on == date(2026, 4, 22) and summ.answer_term_days == 5
        assert summ.answer_due == date(2026, 4, 30)
        counts = executive_loop_counts(municipalities.by_slug("zwolle"))
        assert counts.overdue_summaries == 1 and counts.overdue_ideas == n_ideas
        assert counts.unanswered == before.unanswered
        events = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "raadsgesprekken.summary.sent")
            )
            .scalars()
            .all()
        )
        assert [e.object_id for e in events] == [str(summary_id)]
    page = griffier.get(f"{BASE}/doorgeefluik/{summary_id}").get_data(as_text=True)
    assert "Het antwoord is te laat" in page
    assert "antwoord te laat" in griffier.get(f"{BASE}/doorgeefluik").get_data(as_text=True)
    dashboard = griffier.get("/zwolle/").get_data(as_text=True)
    ideas = "1 idee" if n_ideas == 1 else f"{n_ideas} ideeën"
    assert f"Te late antwoorden van het college: {ideas} in 1 samenvatting" in dashboard

    # answering every idea takes the summary off the overdue count
    with demo.app_context():
        idea_ids = [
            i.id
            for i in db.session.execute(
                select(ReportIdea).where(ReportIdea.summary_id == summary_id)
            ).scalars()
        ]
    for idea_id in idea_ids:
        response = post(
            griffier,
            f"{BASE}/doorgeefluik/ideeen/{idea_id}/antwoord",
            {"answer": "Het college neemt dit over."},
        )
        assert response.status_code == 302
    dashboard = griffier.get("/zwolle/").get_data(as_text=True)
    assert "Te late antwoorden van het college: 0 ideeën in 0 samenvattingen" in dashboard


def test_bad_input_is_refused_next_to_the_field(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        summary_id = _summary_of_first_report()
    url = f"{BASE}/doorgeefluik/{summary_id}/verstuurd"
    for data, expected in (
        ({"sent_on": "", "answer_term_days": "30"}, "datum"),
        ({"sent_on": "31-02-2026", "answer_term_days": "30"}, "datum"),
        ({"sent_on": "2099-01-01", "answer_term_days": "30"}, "toekomst"),
        ({"sent_on": "2026-04-22", "answer_term_days": "0"}, "1 tot en met 250"),
        ({"sent_on": "2026-04-22", "answer_term_days": "9999"}, "1 tot en met 250"),
        ({"sent_on": "2026-04-22", "answer_term_days": "dertig"}, ""),
        ({"sent_on": "2026-04-22\x00", "answer_term_days": "30"}, ""),
    ):
        response = post(griffier, url, data)
        assert response.status_code == 400, data
        errors = form_errors(response.get_data(as_text=True))
        assert errors and expected in " ".join(errors).lower(), (data, errors)
    with demo.app_context():
        summ = db.session.get(ExecutiveSummary, summary_id)
        assert summ.sent_on is None and summ.answer_term_days is None
    # without a CSRF token nothing is saved either
    response = griffier.post(url, data={"sent_on": "2026-04-22", "answer_term_days": "5"})
    assert response.status_code == 400
    with demo.app_context():
        assert db.session.get(ExecutiveSummary, summary_id).sent_on is None


def test_only_the_clerk_records_the_sending(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summary_id = _summary_of_first_report()
    for username in ("raadslid2", "beleid"):
        other = signed_in(demo, "zwolle", username)
        response = post(
            other,
            f"{BASE}/doorgeefluik/{summary_id}/verstuurd",
            {"sent_on": "2026-04-22", "answer_term_days": "5"},
        )
        assert response.status_code == 403, username
        assert "Te late antwoorden" not in other.get("/zwolle/").get_data(as_text=True)
    with demo.app_context():
        assert db.session.get(ExecutiveSummary, summary_id).sent_on is None
