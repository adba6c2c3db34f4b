"""The question bank with its QueZ-spirit starter set, and how meedenkgroepen's questionnaire
builder offers it when both plugins are enabled (and simply does not when this one is off)."""

from __future__ import annotations

from datetime import timedelta

from intranet_participatieplan.models import BankQuestion
from intranet_participatieplan.questionbank import STARTER_SET
from participatieplan_fixtures import EDITOR, READER, enable, load_plan
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, post, signed_in

BASE = "/zwolle/participatieplan/vragenbank"


def _count(app, slug: str = "zwolle") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = municipalities.by_slug(slug)
        return db.session.execute(
            select(func.count())
            .select_from(BankQuestion)
            .where(BankQuestion.municipality_id == m.id)
        ).scalar_one()


def test_switching_on_seeds_the_starter_set_once(plan) -> None:  # type: ignore[no-untyped-def]
    assert _count(plan) == len(STARTER_SET)
    client = signed_in(plan, "zwolle", EDITOR)
    assert post(client, f"{BASE}/startset").status_code == 302
    assert _count(plan) == len(STARTER_SET)  # not twice
    body = client.get(BASE).get_data(as_text=True)
    assert "Wat wilt u zelf bereiken in uw dagelijks leven?" in body
    assert "Eigen regie (in de geest van QueZ)" in body


def test_add_a_question_and_refuse_bad_input(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    before = _count(plan)
    response = post(
        client, f"{BASE}/nieuw", {"theme": "Wonen", "kind": "single", "text": "", "options": "Ja"}
    )
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul de vraag in." in errors
    assert "Geef minstens twee antwoordmogelijkheden, één per regel." in errors
    assert 'value="Wonen"' in response.get_data(as_text=True)
    assert post(client, f"{BASE}/nieuw", {"kind": "raadsel", "text": "Vraag?"}).status_code == 400
    assert _count(plan) == before
    response = post(
        client,
        f"{BASE}/nieuw",
        {"theme": "Wonen", "kind": "single", "text": "Woont u naar wens?", "options": "Ja\nNee"},
    )
    assert response.status_code == 302
    assert _count(plan) == before + 1
    reader = signed_in(plan, "zwolle", READER)
    assert reader.get(BASE).status_code == 200
    assert post(reader, f"{BASE}/nieuw", {"kind": "open", "text": "x"}).status_code == 403
    assert post(reader, f"{BASE}/startset").status_code == 403


def _questionnaire(app) -> int:  # type: ignore[no-untyped-def]
    from plugins.meedenkgroepen.models import Panel, Questionnaire

    with app.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        panel = (
            db.session.execute(select(Panel).where(Panel.municipality_id == zaanstad.id))
            .scalars()
            .first()
        )
        q = Questionnaire(
            municipality_id=zaanstad.id,
            panel_id=panel.id,
            title="Eigen regie in de wijk",
            opens_on=local_today(),
            closes_on=local_today() + timedelta(days=14),
            status="concept",
        )
        db.session.add(q)
        db.session.commit()
        return q.id


def test_meedenkgroepen_builder_copies_a_bank_question_when_both_are_on(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.meedenkgroepen.models import Question

    load_plan(demo, "zaanstad")  # meedenkgroepen is on in Zaanstad already
    qid = _questionnaire(demo)
    client = signed_in(demo, "zaanstad", "coordinator")
    url = f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}"
    body = client.get(url).get_data(as_text=True)
    assert (
        "Vraag uit de vragenbank" in body
        and "Hoeveel heeft u zelf te zeggen over de hulp die u krijgt?" in body
    )
    with demo.app_context():
        bank = db.session.execute(
            select(BankQuestion).where(
                BankQuestion.text == "Hoeveel heeft u zelf te zeggen over de hulp die u krijgt?"
            )
        ).scalar_one()
    response = post(
        client,
        f"{url}/vragen/uit-de-vragenbank",
        {"bank_question": "participatieplan|question:999999"},
    )
    assert response.status_code == 400
    assert "Kies een vraag uit de vragenbank." in form_errors(response.get_data(as_text=True))
    response = post(
        client,
        f"{url}/vragen/uit-de-vragenbank",
        {"bank_question": f"participatieplan|question:{bank.id}"},
    )
    assert response.status_code == 302
    with demo.app_context():
        copied = db.session.execute(
            select(Question).where(Question.questionnaire_id == qid)
        ).scalar_one()
        assert (copied.kind, copied.scale_min, copied.scale_max, copied.scale_min_label) == (
            "scale",
            1,
            5,
            "niets",
        )

    # switched off: no bank in the builder, and the builder works as before
    enable(demo, "zaanstad", "participatieplan", on=False)
    response = client.get(url)
    assert response.status_code == 200
    assert "Vraag uit de vragenbank" not in response.get_data(as_text=True)
    response = post(
        client,
        f"{url}/vragen/uit-de-vragenbank",
        {"bank_question": f"participatieplan|question:{bank.id}"},
    )
    assert response.status_code == 400
