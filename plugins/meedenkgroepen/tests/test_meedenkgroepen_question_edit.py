"""Questions of a draft questionnaire can be edited and moved up or down with plain form
posts (issue 14, defects); a sent questionnaire's questions are refused with 400 and a
Dutch reason, and stay as the panel received them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from test_meedenkgroepen_support import BASE, municipality

from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import Panel, Question, Questionnaire


def _draft(app, slug: str = "zaanstad") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = municipality(slug)
        panel = Panel(municipality_id=m.id, name="Vragenpanel", themes=[], mailbox="")
        db.session.add(panel)
        db.session.flush()
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel.id,
            title="Volgorde",
            intro="",
            themes=[],
            opens_on=local_today(),
            closes_on=local_today() + timedelta(days=7),
        )
        db.session.add(q)
        db.session.flush()
        for pos, text in enumerate(["Eerste?", "Tweede?", "Derde?"], start=1):
            q.questions.append(Question(municipality_id=m.id, position=pos, kind="open", text=text))
        db.session.commit()
        return q.id


def _texts(app, qid: int) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(
                select(Question.text)
                .where(Question.questionnaire_id == qid)
                .order_by(Question.position)
            ).scalars()
        )


def _ids(app, qid: int) -> list[int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(
                select(Question.id)
                .where(Question.questionnaire_id == qid)
                .order_by(Question.position)
            ).scalars()
        )


def test_moving_a_question_down_and_up(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    first, second, third = _ids(demo, qid)
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert f"/vragen/{first}/omlaag" in page and f"/vragen/{first}/omhoog" not in page
    assert f"/vragen/{third}/omhoog" in page and f"/vragen/{third}/omlaag" not in page
    r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{first}/omlaag")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"#vraag-{first}")
    assert _texts(demo, qid) == ["Tweede?", "Eerste?", "Derde?"]
    post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{third}/omhoog")
    assert _texts(demo, qid) == ["Tweede?", "Derde?", "Eerste?"]
    post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{first}/omlaag")  # already last: stays
    assert _texts(demo, qid) == ["Tweede?", "Derde?", "Eerste?"]
    assert "De vraag is verplaatst naar plaats 3." in c.get(f"{BASE}/vragenlijsten/{qid}").get_data(
        as_text=True
    )
    assert second


def test_editing_a_question(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    first = _ids(demo, qid)[0]
    url = f"{BASE}/vragenlijsten/{qid}/vragen/{first}/bewerken"
    form = c.get(url).get_data(as_text=True)
    assert "Vraag 1 bewerken" in form and 'value="Eerste?"' in form
    refused = post(c, url, {"kind": "single", "text": "Ja of nee?", "options": "Alleen ja"})
    assert refused.status_code == 400 and form_errors(refused.get_data(as_text=True))
    assert _texts(demo, qid)[0] == "Eerste?"
    r = post(c, url, {"kind": "single", "text": "Ja of nee?", "options": "Ja\nNee"})
    assert r.status_code == 302
    with demo.app_context():
        question = db.session.get(Question, first)
        assert (question.kind, question.text, question.options) == (
            "single",
            "Ja of nee?",
            ["Ja", "Nee"],
        )
    again = c.get(url).get_data(as_text=True)
    assert "Ja\nNee</textarea>" in again


def test_a_sent_questionnaire_is_refused_with_a_reason(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    with demo.app_context():
        db.session.execute(
            update(Questionnaire).where(Questionnaire.id == qid).values(status="verzonden")
        )
        db.session.commit()
    c = signed_in(demo, "zaanstad", "coordinator")
    first = _ids(demo, qid)[0]
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "/bewerken" not in page and "/omlaag" not in page
    for action, data in (
        ("omlaag", {}),
        ("omhoog", {}),
        ("verwijderen", {}),
        ("bewerken", {"kind": "open", "text": "Anders?"}),
    ):
        r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{first}/{action}", data)
        assert r.status_code == 400, action
        assert "Deze vragenlijst is al verstuurd" in r.get_data(as_text=True)
    assert c.get(f"{BASE}/vragenlijsten/{qid}/vragen/{first}/bewerken").status_code == 400
    r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen", {"kind": "open", "text": "Nog een?"})
    assert r.status_code == 400
    assert _texts(demo, qid) == ["Eerste?", "Tweede?", "Derde?"]


def test_questions_of_another_questionnaire_or_municipality_are_404(demo) -> None:  # type: ignore[no-untyped-def]
    mine, other = _draft(demo), _draft(demo, "zwolle")
    c = signed_in(demo, "zaanstad", "coordinator")
    foreign = _ids(demo, other)[0]
    assert post(c, f"{BASE}/vragenlijsten/{mine}/vragen/{foreign}/omhoog").status_code == 404
    assert c.get(f"{BASE}/vragenlijsten/{mine}/vragen/{foreign}/bewerken").status_code == 404
    second = _draft(demo)
    assert (
        post(c, f"{BASE}/vragenlijsten/{mine}/vragen/{_ids(demo, second)[1]}/omhoog").status_code
        == 404
    )
    assert _texts(demo, other) == ["Eerste?", "Tweede?", "Derde?"]


def test_a_queued_send_shows_its_progress_at_once(demo) -> None:  # type: ignore[no-untyped-def]
    """Between "Versturen" and the job's start the questionnaire is still a draft; the page
    already shows the send's live progress, and no longer offers to edit or send again."""
    from intranet.jobs.models import Job

    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    before = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert 'id="versturen"' in before and "-omlaag" in before
    with demo.app_context():
        job = Job(
            municipality_id=municipality("zaanstad").id,
            function="prepare_and_send_invitations",
            title="Versturen vragenlijst: Volgorde",
            params={},
        )
        db.session.add(job)
        db.session.flush()
        db.session.execute(
            update(Questionnaire).where(Questionnaire.id == qid).values(send_job_id=job.id)
        )
        db.session.commit()
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "Verzending" in page and "hx-trigger" in page  # the progress polls by itself
    assert 'id="versturen"' not in page and "-omlaag" not in page
