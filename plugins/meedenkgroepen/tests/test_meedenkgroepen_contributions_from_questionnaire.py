"""Step 4: answers to an open question of a questionnaire become trajectory contributions
linked to the questionnaire (``Contribution.questionnaire_id``), once each."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, municipality

from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import (
    Answer,
    Contribution,
    Panel,
    Question,
    Questionnaire,
    Response,
    Trajectory,
)


def _setup(app, answers: list[str], status: str = "verzonden") -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = municipality("zaanstad")
        panel = Panel(municipality_id=m.id, name="Bijdragenpanel")
        db.session.add(panel)
        db.session.flush()
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel.id,
            title="Mantelzorg in Zaanstad",
            opens_on=local_today() - timedelta(days=10),
            closes_on=local_today() - timedelta(days=1),
            status=status,
        )
        q.questions.append(
            Question(municipality_id=m.id, position=1, kind="open", text="Wat zou u helpen?")
        )
        db.session.add(q)
        db.session.flush()
        question = q.questions[0]
        for text in answers:
            resp = Response(municipality_id=m.id, questionnaire_id=q.id)
            resp.answers.append(Answer(municipality_id=m.id, question_id=question.id, text=text))
            db.session.add(resp)
        t = Trajectory(
            municipality_id=m.id, topic="Mantelzorgwaardering", origin="gemeente", step=4
        )
        db.session.add(t)
        db.session.commit()
        return t.id, q.id, question.id


def test_open_answers_become_contributions_once(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    tid, qid, question_id = _setup(
        app, ["Een vaste contactpersoon.", "  ", "Respijtzorg in het weekend."]
    )
    c = signed_in(app, "zaanstad", "ambtenaar")
    page = c.get(f"{BASE}/trajecten/{tid}").get_data(as_text=True)
    assert "Mantelzorg in Zaanstad: Wat zou u helpen?" in page
    for _ in range(2):  # the second time adds nothing
        r = post(
            c,
            f"{BASE}/trajecten/{tid}/bijdragen/uit-vragenlijst",
            {"question_id": str(question_id)},
        )
        assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    with app.app_context():
        rows = (
            db.session.execute(
                select(Contribution)
                .where(Contribution.trajectory_id == tid)
                .order_by(Contribution.position)
            )
            .scalars()
            .all()
        )
        assert [(c.text, c.questionnaire_id, c.source, c.complete) for c in rows] == [
            ("Een vaste contactpersoon.", qid, "vragenlijst", False),
            ("Respijtzorg in het weekend.", qid, "vragenlijst", False),
        ]
    page = c.get(f"{BASE}/trajecten/{tid}").get_data(as_text=True)
    assert "Respijtzorg in het weekend." in page and "vragenlijst: Mantelzorg in Zaanstad" in page


def test_bad_choices_are_refused_next_to_the_field(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    tid, _qid, question_id = _setup(app, [])
    _tid2, _q2, draft_question = _setup(app, ["Iets"], status="concept")
    c = signed_in(app, "zaanstad", "ambtenaar")
    url = f"{BASE}/trajecten/{tid}/bijdragen/uit-vragenlijst"
    for value, message in (
        ("", "Kies een vraag uit de lijst."),
        ("0", "Kies een vraag uit de lijst."),
        ("abc", "Kies een vraag uit de lijst."),
        ("999999", "Kies een vraag uit de lijst."),
        (str(draft_question), "Kies een vraag uit de lijst."),
        (str(question_id), "Op deze vraag is nog geen antwoord ingevuld."),
    ):
        r = post(c, url, {"question_id": value})
        assert r.status_code == 400, value
        assert message in form_errors(r.get_data(as_text=True)), value
    assert (
        post(
            signed_in(app, "zaanstad", "medewerker"), url, {"question_id": str(question_id)}
        ).status_code
        == 403
    )
    with app.app_context():
        assert db.session.get(Trajectory, tid).contributions == []
