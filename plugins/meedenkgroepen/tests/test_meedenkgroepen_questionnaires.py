"""Panels and questionnaires: builder, sending to 1,000 through a real SMTP server, answering
through the single-use link, one-click unsubscribe, yearly limit, reminders, results, exports,
paper answers, public pages and bad input."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from itsdangerous import TimestampSigner
from openpyxl import load_workbook
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import func, select
from test_meedenkgroepen_support import BASE, link, municipality

from intranet.extensions import db
from intranet.jobs.models import Job
from intranet.jobs.runner import run_job
from intranet.municipalities.service import set_plugin_enabled
from intranet.plugin_api import local_today
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import count_queries, form_errors, post, signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import (
    PANEL_CONSENT,
    SENT,
    SKIPPED,
    Answer,
    Invitation,
    Panel,
    PanelMember,
    Question,
    Questionnaire,
    Response,
)
from plugins.meedenkgroepen.service import start_of_year
from plugins.meedenkgroepen.tokens import make_answer_token

PUBLIC = "/publiek/zaanstad/meedenkgroepen"

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


def _panel(app, n: int, themes=("Wmo", "Jeugdwet")) -> int:  # type: ignore[no-untyped-def]
    """A panel with ``n`` members with e-mail; odd members chose Jeugdwet, even ones Wmo."""
    with app.app_context():
        m = municipality("zaanstad")
        panel = Panel(
            municipality_id=m.id,
            name=f"Testpanel {n}",
            themes=list(themes),
            mailbox="p@zaanstad.nl",
        )
        db.session.add(panel)
        db.session.flush()
        residents = [
            Resident(
                municipality_id=m.id,
                name=f"Panellid {i}",
                email=f"lid{i}@example.org",
                kind="client",
            )
            for i in range(n)
        ]
        db.session.add_all(residents)
        db.session.flush()
        db.session.add_all(
            PanelMember(
                municipality_id=m.id,
                panel_id=panel.id,
                resident_id=r.id,
                themes=[themes[i % 2]],
                joined_on=local_today(),
            )
            for i, r in enumerate(residents)
        )
        db.session.add_all(  # signing up for the panel is the consent the mailings rest on
            Consent(
                municipality_id=m.id,
                resident_id=r.id,
                purpose=PANEL_CONSENT,
                method="form",
                given_on=local_today(),
            )
            for r in residents
        )
        db.session.commit()
        return panel.id


def _questionnaire(app, panel_id: int, themes=(), closes=21) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = municipality("zaanstad")
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel_id,
            title="Hoe gaat het met de Wmo?",
            intro="Vijf minuten.",
            themes=list(themes),
            opens_on=local_today(),
            closes_on=local_today() + timedelta(days=closes),
        )
        db.session.add(q)
        db.session.flush()
        for pos, (kind, text, options) in enumerate(
            [
                ("single", "Kent u het wijkteam?", ["Ja", "Nee"]),
                ("multiple", "Hoe zoekt u hulp?", ["Telefoon", "Internet", "Buren"]),
                ("scale", "Hoe tevreden bent u?", []),
                ("open", "Wat kan beter?", []),
            ],
            start=1,
        ):
            q.questions.append(
                Question(municipality_id=m.id, position=pos, kind=kind, text=text, options=options)
            )
        db.session.commit()
        return q.id


def _question_ids(app, qid: int) -> list[int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            q.id
            for q in db.session.execute(
                select(Question).where(Question.questionnaire_id == qid).order_by(Question.position)
            ).scalars()
        ]


def test_builder_and_sending_to_a_panel_of_1000_through_smtp(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    panel_id = _panel(app, 1000)
    c = signed_in(app, "zaanstad", "coordinator")
    r = post(
        c,
        f"{BASE}/vragenlijsten/nieuw",
        {
            "title": "Duizend",
            "intro": "Doe mee",
            "panel_id": str(panel_id),
            "opens_on": local_today().isoformat(),
            "closes_on": (local_today() + timedelta(days=14)).isoformat(),
        },
    )
    assert r.status_code == 302
    qid = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    for data in (
        {"kind": "open", "text": "Wat vindt u?"},
        {"kind": "single", "text": "Ja of nee?", "options": "Ja\nNee"},
        {"kind": "multiple", "text": "Welke?", "options": "A\nB\nC"},
        {"kind": "scale", "text": "Cijfer?", "scale_min": "1", "scale_max": "10"},
    ):
        assert post(c, f"{BASE}/vragenlijsten/{qid}/vragen", data).status_code == 302
    preview = c.get(f"{BASE}/vragenlijsten/{qid}/verzenden").get_data(as_text=True)
    assert 'id="te-versturen">1000<' in preview

    started = time.monotonic()
    r = post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    elapsed = time.monotonic() - started
    assert r.status_code == 302
    messages = smtp.messages
    assert len(messages) == 1000
    assert len({m["To"] for m in messages}) == 1000
    assert smtp.connections <= 12  # one connection per batch of 100, not one per mail
    links = {link(m, "vragenlijst") for m in messages}
    assert len(links) == 1000  # personal links
    first = messages[0]
    assert first["List-Unsubscribe"].startswith("<http") and "afmelden" in first["List-Unsubscribe"]
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # about 6 s on an idle machine; generous because the test machine is shared
    assert elapsed < 120, elapsed
    with app.app_context():
        q = db.session.get(Questionnaire, qid)
        job = db.session.get(Job, q.send_job_id)
        assert (job.status, job.done, job.total, job.failed) == ("done", 1000, 1000, 0)
        assert (
            db.session.execute(
                select(func.count()).where(
                    Invitation.questionnaire_id == qid, Invitation.status == "sent"
                )
            ).scalar_one()
            == 1000
        )
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "1000 van 1000" in page

    # sending again, or running the job again, never mails anyone twice
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    with app.app_context():
        from intranet.jobs import enqueue

        with app.test_request_context():
            enqueue(
                "plugins.meedenkgroepen.jobs:send_invitations",
                title="nog eens",
                municipality_id=municipality("zaanstad").id,
                questionnaire_id=qid,
                base_url="http://localhost/",
            )
    assert len(smtp.raw) == 1000


def test_answering_through_the_single_use_link(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    panel_id = _panel(app, 3)
    qid = _questionnaire(app, panel_id)
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    assert len(smtp.messages) == 3
    path = link(smtp.to("lid0@example.org")[0], "vragenlijst")
    single, multiple, scale, open_ = _question_ids(app, qid)

    resident_client = app.test_client()  # no sign-in
    page = resident_client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kent u het wijkteam?" in html and "niet verplicht" in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # an answer that is not one of the choices: Dutch message, what was typed stays
    r = post(
        resident_client, path, {f"vraag-{single}": "Misschien", f"vraag-{open_}": "Mijn tekst"}
    )
    assert r.status_code == 400
    assert "Kies een van de antwoorden die er staan." in form_errors(r.get_data(as_text=True))
    assert "Mijn tekst" in r.get_data(as_text=True)
    r = post(
        resident_client,
        path,
        {
            f"vraag-{single}": "Ja",
            f"vraag-{multiple}": ["Telefoon", "Buren"],
            f"vraag-{scale}": "4",
            f"vraag-{open_}": "=SUM(A1:A9)",
        },
    )
    assert r.status_code == 200 and "Dank u wel" in r.get_data(as_text=True)
    # reused: refused
    again = post(resident_client, path, {f"vraag-{single}": "Nee"})
    assert again.status_code == 410
    assert resident_client.get(path).status_code == 410
    # tampered: refused
    token = path.rsplit("/", 1)[1]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert resident_client.get(path.rsplit("/", 1)[0] + "/" + tampered).status_code == 404
    assert resident_client.get(f"{PUBLIC}/vragenlijst/zomaar-iets").status_code == 404
    # expired: refused
    with app.app_context():
        inv = db.session.execute(
            select(Invitation)
            .join(Resident, Invitation.resident_id == Resident.id)
            .where(Resident.email == "lid1@example.org")
        ).scalar_one()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(
                TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 200 * 86400
            )
            old = make_answer_token(inv.municipality_id, inv.id)
    r = resident_client.get(f"{PUBLIC}/vragenlijst/{old}")
    assert r.status_code == 410 and "verlopen" in r.get_data(as_text=True)
    # a link of one municipality never works under another's address
    with app.app_context():
        set_plugin_enabled(municipality("zwolle"), "meedenkgroepen", True)
        db.session.commit()
    other = link(smtp.to("lid1@example.org")[0], "vragenlijst").replace("/zaanstad/", "/zwolle/")
    assert resident_client.get(other).status_code == 404

    with app.app_context():
        responses = (
            db.session.execute(select(Response).where(Response.questionnaire_id == qid))
            .scalars()
            .all()
        )
        assert len(responses) == 1 and responses[0].channel == "online"
        answers = {a.question_id: a for a in db.session.execute(select(Answer)).scalars()}
        assert answers[multiple].choices == ["Telefoon", "Buren"]
        assert answers[scale].choices == ["4"]
    results = c.get(f"{BASE}/vragenlijsten/{qid}/resultaten").get_data(as_text=True)
    assert 'id="respons">33%' in results
    assert "=SUM(A1:A9)" in results  # free text shown (escaped by Jinja)


def test_the_questionnaire_closes_on_its_closing_date(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    qid = _questionnaire(app, _panel(app, 1))
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    path = link(smtp.messages[0], "vragenlijst")
    with app.app_context():
        q = db.session.get(Questionnaire, qid)
        q.closes_on = local_today() - timedelta(days=1)
        db.session.commit()
    r = app.test_client().get(path)
    assert r.status_code == 410 and "gesloten" in r.get_data(as_text=True)


def test_one_click_unsubscribe_takes_effect_at_once(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    panel_id = _panel(app, 3)
    qid = _questionnaire(app, panel_id)
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    unsubscribe = link(smtp.to("lid2@example.org")[0], "afmelden")
    anonymous = app.test_client()
    r = anonymous.get(unsubscribe)  # opening the link only asks (mail scanners fetch links)
    assert r.status_code == 200 and "meld mij af" in r.get_data(as_text=True)
    r = post(anonymous, unsubscribe)  # the button: no sign-in needed
    assert r.status_code == 200 and "afgemeld" in r.get_data(as_text=True)
    with app.app_context():
        member = db.session.execute(
            select(PanelMember)
            .join(Resident, PanelMember.resident_id == Resident.id)
            .where(Resident.email == "lid2@example.org")
        ).scalar_one()
        assert member.left_at is not None and member.left_via == "afmeldlink"
    assert anonymous.get(unsubscribe).status_code == 200  # again: still fine
    # RFC 8058: the mail program POSTs without a CSRF token
    other = link(smtp.to("lid1@example.org")[0], "afmelden")
    r = app.test_client().post(other, data={"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200
    # reminders go only to who did not answer and did not unsubscribe
    smtp.clear()
    assert post(c, f"{BASE}/vragenlijsten/{qid}/herinneren").status_code == 302
    assert [m["To"] for m in smtp.messages] == ["lid0@example.org"]
    assert smtp.messages[0]["Subject"].startswith("Herinnering")
    post(c, f"{BASE}/vragenlijsten/{qid}/herinneren")
    assert len(smtp.messages) == 1  # never a second reminder
    # a new questionnaire does not go to those who left
    smtp.clear()
    q2 = _questionnaire(app, panel_id)
    post(c, f"{BASE}/vragenlijsten/{q2}/verzenden")
    assert [m["To"] for m in smtp.messages] == ["lid0@example.org"]
    assert anonymous.get(f"{PUBLIC}/afmelden/niet-geldig").status_code == 404


REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_queue() -> Queue:
    """The real RQ queue the app uses in production (Redis runs beside the database)."""
    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as exc:
        pytest.skip(f"needs Redis on 127.0.0.1:6379 ({exc})")
    queue = Queue("intranet", connection=connection)
    queue.empty()
    return queue


def test_withdrawing_consent_stops_a_mailing_already_queued(demo, smtp, monkeypatch):  # type: ignore[no-untyped-def]
    app = demo
    panel_id = _panel(app, 3)
    qid = _questionnaire(app, panel_id)
    queue = _redis_queue()
    monkeypatch.setitem(app.config, "JOBS_EAGER", False)
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    c = signed_in(app, "zaanstad", "coordinator")
    assert post(c, f"{BASE}/vragenlijsten/{qid}/verzenden").status_code == 302
    assert smtp.messages == [] and queue.count == 1  # queued, no worker has taken it yet
    with app.app_context():
        resident = db.session.execute(
            select(Resident).where(Resident.email == "lid1@example.org")
        ).scalar_one()
        consent = db.session.execute(
            select(Consent).where(
                Consent.resident_id == resident.id, Consent.purpose == PANEL_CONSENT
            )
        ).scalar_one()
        rid, cid = resident.id, consent.id
    # the resident phones to withdraw; the employee records it in the residents registry
    withdrawn = post(c, f"/zaanstad/inwoners/{rid}/toestemmingen/{cid}/intrekken")
    assert withdrawn.status_code == 302
    (queued,) = queue.jobs
    queue.empty()
    with app.app_context():  # what the worker does with the queued job
        run_job(queued.args[0])
    assert sorted(m["To"] for m in smtp.messages) == ["lid0@example.org", "lid2@example.org"]
    with app.app_context():
        statuses = dict(
            db.session.execute(
                select(Invitation.resident_id, Invitation.status).where(
                    Invitation.questionnaire_id == qid
                )
            ).all()
        )
    # the job plans the send when it runs: whoever withdrew by then is not even invited
    assert rid not in statuses and sorted(statuses.values()).count(SENT) == 2
    # hidden from the panel's member list at once, and left out of the next mailing
    panel_page = c.get(f"{BASE}/panels/{panel_id}").get_data(as_text=True)
    cell = '<td class="utrecht-table__cell">Panellid {}'
    assert cell.format(1) not in panel_page and cell.format(0) in panel_page
    assert "1 aangemelde inwoner heeft de toestemming" in panel_page
    q2 = _questionnaire(app, panel_id)
    plan = c.get(f"{BASE}/vragenlijsten/{q2}/verzenden").get_data(as_text=True)
    assert 'id="geen-toestemming">1<' in plan


def test_withdrawing_consent_skips_an_invitation_made_but_not_yet_mailed(demo, smtp, monkeypatch):  # type: ignore[no-untyped-def]
    from intranet.jobs import enqueue
    from plugins.meedenkgroepen.service import create_invitations

    app = demo
    qid = _questionnaire(app, _panel(app, 3))
    with app.app_context():
        q = db.session.get(Questionnaire, qid)
        assert create_invitations(municipality("zaanstad"), q) == 3
        db.session.commit()
    queue = _redis_queue()
    monkeypatch.setitem(app.config, "JOBS_EAGER", False)
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    with app.test_request_context():
        enqueue(
            "plugins.meedenkgroepen.jobs:send_invitations",
            title="versturen",
            municipality_id=municipality("zaanstad").id,
            questionnaire_id=qid,
            base_url="https://inwoners.example.org",
        )
    c = signed_in(app, "zaanstad", "coordinator")
    with app.app_context():
        resident = db.session.execute(
            select(Resident).where(Resident.email == "lid1@example.org")
        ).scalar_one()
        consent = db.session.execute(
            select(Consent).where(
                Consent.resident_id == resident.id, Consent.purpose == PANEL_CONSENT
            )
        ).scalar_one()
        rid, cid = resident.id, consent.id
    post(c, f"/zaanstad/inwoners/{rid}/toestemmingen/{cid}/intrekken")
    (queued,) = queue.jobs
    queue.empty()
    with app.app_context():
        run_job(queued.args[0])
        statuses = dict(
            db.session.execute(
                select(Invitation.resident_id, Invitation.status).where(
                    Invitation.questionnaire_id == qid
                )
            ).all()
        )
    assert sorted(m["To"] for m in smtp.messages) == ["lid0@example.org", "lid2@example.org"]
    assert statuses[rid] == SKIPPED and sorted(statuses.values()).count(SENT) == 2


def test_signing_up_a_member_records_the_consent(demo):  # type: ignore[no-untyped-def]
    app = demo
    with app.app_context():
        m = municipality("zaanstad")
        panel = Panel(municipality_id=m.id, name="Nieuw panel", themes=[])
        resident = Resident(municipality_id=m.id, name="Nieuw Lid", email="n@example.org")
        db.session.add_all([panel, resident])
        db.session.commit()
        panel_id, rid = panel.id, resident.id
    c = signed_in(app, "zaanstad", "coordinator")
    r = post(
        c,
        f"{BASE}/panels/{panel_id}/leden",
        {"resident_id": rid, "joined_on": local_today().isoformat(), "channel": "telefoon"},
    )
    assert r.status_code == 302
    with app.app_context():
        consent = db.session.execute(select(Consent).where(Consent.resident_id == rid)).scalar_one()
        assert (consent.purpose, consent.method) == (PANEL_CONSENT, "verbal")
        assert consent.recorded_by == "coordinator" and consent.scope == "Panel Nieuw panel"


def test_the_yearly_limit_is_shown_before_sending_and_respected(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    panel_id = _panel(app, 2)
    with app.app_context():
        m = municipality("zaanstad")
        busy = db.session.execute(
            select(Resident).where(Resident.email == "lid0@example.org")
        ).scalar_one()
        member = db.session.execute(
            select(PanelMember).where(PanelMember.resident_id == busy.id)
        ).scalar_one()
        for n in range(5):
            q = Questionnaire(
                municipality_id=m.id,
                panel_id=panel_id,
                title=f"Eerder {n}",
                opens_on=local_today(),
                closes_on=local_today(),
                status="gesloten",
            )
            db.session.add(q)
            db.session.flush()
            db.session.add(
                Invitation(
                    municipality_id=m.id,
                    questionnaire_id=q.id,
                    resident_id=busy.id,
                    member_id=member.id,
                    status="sent",
                    sent_at=utcnow(),
                )
            )
        db.session.commit()
    qid = _questionnaire(app, panel_id)
    c = signed_in(app, "zaanstad", "coordinator")
    preview = c.get(f"{BASE}/vragenlijsten/{qid}/verzenden").get_data(as_text=True)
    assert 'id="te-versturen">1<' in preview and 'id="jaarlimiet">1<' in preview
    assert "al 5 vragenlijsten dit jaar" in preview
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    assert [m["To"] for m in smtp.messages] == ["lid1@example.org"]
    app.config["MEEDENKGROEPEN_YEARLY_LIMIT"] = 6
    try:
        q2 = _questionnaire(app, panel_id)
        preview = c.get(f"{BASE}/vragenlijsten/{q2}/verzenden").get_data(as_text=True)
        assert 'id="jaarlimiet">0<' in preview
    finally:
        app.config.pop("MEEDENKGROEPEN_YEARLY_LIMIT")


def test_the_yearly_limit_counts_amsterdam_years() -> None:
    # 1 January starts at midnight in Amsterdam: 23:00 UTC on 31 December in winter
    new_year = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert start_of_year(date(2027, 1, 1)) == new_year
    assert start_of_year(date(2027, 8, 15)) == new_year


def test_sending_to_members_with_chosen_themes(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    panel_id = _panel(app, 4)
    qid = _questionnaire(app, panel_id, themes=("Jeugdwet",))
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    assert sorted(m["To"] for m in smtp.messages) == ["lid1@example.org", "lid3@example.org"]


def test_exports_have_no_personal_data_and_are_injection_safe(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    qid = _questionnaire(app, _panel(app, 1))
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    path = link(smtp.messages[0], "vragenlijst")
    single, _multiple, _scale, open_ = _question_ids(app, qid)
    post(
        app.test_client(),
        path,
        {f"vraag-{open_}": '=HYPERLINK("http://kwaad.example","klik")', f"vraag-{single}": "Ja"},
    )
    r = c.get(f"{BASE}/vragenlijsten/{qid}/antwoorden.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][-1].startswith("'=HYPERLINK")
    assert "Panellid" not in text and "lid0@example.org" not in text
    r = c.get(f"{BASE}/vragenlijsten/{qid}/antwoorden.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data))
    ws = wb.active
    cell = ws.cell(row=2, column=ws.max_column)
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    values = [str(v.value) for row in ws.iter_rows() for v in row]
    assert not any("Panellid" in v or "@example.org" in v for v in values)


def test_paper_and_phone_answers_are_entered_and_marked(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    qid = _questionnaire(app, _panel(app, 2))
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    _single, _multiple, scale, open_ = _question_ids(app, qid)
    with app.app_context():
        inv = db.session.execute(
            select(Invitation)
            .join(Resident, Invitation.resident_id == Resident.id)
            .where(Resident.email == "lid0@example.org")
        ).scalar_one()
        inv_id = inv.id
    r = post(
        c,
        f"{BASE}/vragenlijsten/{qid}/papier",
        {"channel": "fax", "invitation_id": "0", f"vraag-{scale}": "99"},
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert (
        "Kies op papier of telefonisch." in errors
        and "Kies een van de antwoorden die er staan." in errors
    )
    # a record without a single answer is refused, not counted
    r = post(
        c,
        f"{BASE}/vragenlijsten/{qid}/papier",
        {"channel": "papier", "invitation_id": str(inv_id), f"vraag-{open_}": "   "},
    )
    assert r.status_code == 400
    assert "Vul minstens één antwoord in: een lege vragenlijst wordt niet meegeteld." in (
        form_errors(r.get_data(as_text=True))
    )
    with app.app_context():
        assert db.session.get(Invitation, inv_id).answered_at is None
    r = post(
        c,
        f"{BASE}/vragenlijsten/{qid}/papier",
        {
            "channel": "telefoon",
            "invitation_id": str(inv_id),
            f"vraag-{scale}": "2",
            f"vraag-{open_}": "Per telefoon gezegd",
        },
    )
    assert r.status_code == 302
    with app.app_context():
        response = db.session.execute(
            select(Response).where(Response.questionnaire_id == qid)
        ).scalar_one()
        assert response.channel == "telefoon" and response.entered_by == "coordinator"
        assert db.session.get(Invitation, inv_id).answered_via == "telefoon"
    # the resident's link no longer works, and there is no reminder for them
    path = link(smtp.to("lid0@example.org")[0], "vragenlijst")
    assert app.test_client().get(path).status_code == 410
    smtp.clear()
    post(c, f"{BASE}/vragenlijsten/{qid}/herinneren")
    assert [m["To"] for m in smtp.messages] == ["lid1@example.org"]
    results = c.get(f"{BASE}/vragenlijsten/{qid}/resultaten").get_data(as_text=True)
    assert "telefonisch: 1" in results


def test_bad_input_on_the_panel_and_questionnaire_forms(demo):  # type: ignore[no-untyped-def]
    app = demo
    panel_id = _panel(app, 1)
    c = signed_in(app, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/panels/nieuw", {"name": "", "mailbox": "geen"})
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert "Vul de naam van het panel in." in errors
    assert "Dit is geen geldig e-mailadres, bijvoorbeeld naam@gemeente.nl." in errors
    r = post(
        c,
        f"{BASE}/vragenlijsten/nieuw",
        {"title": "", "panel_id": "abc", "opens_on": "2026-13-01", "closes_on": "2020-01-01"},
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert "Vul de titel van de vragenlijst in." in errors
    assert "Kies een panel uit de lijst." in errors
    assert "Vul een geldige datum in, bijvoorbeeld 21-11-2026." in errors
    qid = _questionnaire(app, panel_id)
    r = post(
        c,
        f"{BASE}/vragenlijsten/{qid}/vragen",
        {"kind": "single", "text": "Kies", "options": "Alleen één"},
    )
    assert r.status_code == 400
    assert "Geef minstens twee antwoordmogelijkheden, één per regel." in form_errors(
        r.get_data(as_text=True)
    )
    r = post(
        c,
        f"{BASE}/vragenlijsten/{qid}/vragen",
        {"kind": "scale", "text": "Cijfer", "scale_min": "5", "scale_max": "2"},
    )
    assert r.status_code == 400
    assert "Het hoogste getal moet groter zijn dan het laagste." in form_errors(
        r.get_data(as_text=True)
    )
    r = post(
        c,
        f"{BASE}/vragenlijsten/{qid}/vragen",
        {"kind": "scale", "text": "Cijfer", "scale_min": "een", "scale_max": "5"},
    )
    assert r.status_code == 400
    assert "Vul een heel getal in." in form_errors(r.get_data(as_text=True))
    r = post(
        c,
        f"{BASE}/panels/{panel_id}/leden",
        {"resident_id": "", "themes": ["Onbekend"], "joined_on": "", "channel": "duif"},
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert "Kies de inwoner die zich aanmeldt." in errors
    assert "Kies alleen thema’s van dit panel." in errors
    assert "Kies een van de mogelijkheden." in errors
    with app.app_context():
        assert (
            db.session.execute(
                select(func.count()).select_from(Question).where(Question.questionnaire_id == qid)
            ).scalar_one()
            == 4
        )


def test_public_pages_404_when_the_plugin_is_off(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    qid = _questionnaire(app, _panel(app, 1))
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    answer, unsubscribe = link(smtp.messages[0], "vragenlijst"), link(smtp.messages[0], "afmelden")
    with app.app_context():
        set_plugin_enabled(municipality("zaanstad"), "meedenkgroepen", False)
        db.session.commit()
    anonymous = app.test_client()
    assert anonymous.get(answer).status_code == 404
    assert anonymous.get(unsubscribe).status_code == 404
    assert c.get(f"{BASE}/vragenlijsten/{qid}").status_code == 404
    with app.app_context():
        assert db.session.execute(select(PanelMember)).scalars().first().left_at is None


def _add_responses(app, qid: int, n: int) -> None:  # type: ignore[no-untyped-def]
    """``n`` answered invitations and their responses, inserted in bulk."""
    with app.app_context():
        q = db.session.get(Questionnaire, qid)
        mid, questions = q.municipality_id, list(q.questions)
        for _ in range(n):
            db.session.add(
                Invitation(
                    municipality_id=mid, questionnaire_id=qid, status=SENT, answered_at=utcnow()
                )
            )
            response = Response(municipality_id=mid, questionnaire_id=qid)
            response.answers = [
                Answer(
                    municipality_id=mid,
                    question_id=question.id,
                    text="Meer uitleg graag" if question.kind == "open" else "",
                    choices=[] if question.kind == "open" else [(question.choices or ["3"])[0]],
                )
                for question in questions
            ]
            db.session.add(response)
        db.session.commit()


def test_results_and_detail_pages_cost_the_same_queries_for_10_and_310_responses(demo):  # type: ignore[no-untyped-def]
    app = demo
    qid = _questionnaire(app, _panel(app, 3))
    c = signed_in(app, "zaanstad", "coordinator")
    _add_responses(app, qid, 10)
    results, detail = f"{BASE}/vragenlijsten/{qid}/resultaten", f"{BASE}/vragenlijsten/{qid}"
    c.get(results)  # the process caches the municipality and permissions on first use
    small = (count_queries(app, c, results), count_queries(app, c, detail))
    _add_responses(app, qid, 300)
    assert (count_queries(app, c, results), count_queries(app, c, detail)) == small
    page = c.get(results).get_data(as_text=True)
    assert "310" in page  # every response counted
    assert "En nog 110 antwoorden" in page  # 200 free-text answers listed, the rest in the export
    assert page.count("<li>Meer uitleg graag</li>") == 200
