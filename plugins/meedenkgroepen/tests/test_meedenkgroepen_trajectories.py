"""The six-step method: the step rules as pure functions, and a trajectory taken through all six
steps in the browser's way (forms), with one step back, history and the follow-up trajectory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, body, municipality, resident

from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import (
    Attendance,
    Contribution,
    Group,
    Meeting,
    StepTransition,
    Trajectory,
)
from plugins.meedenkgroepen.sixsteps import (
    advance_problems,
    back_problems,
    contribution_decision_problems,
    finish_problems,
    rung_words,
)

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


@dataclass
class C:
    complete: bool = True
    decision: str | None = None
    explanation: str = ""


@dataclass
class G:
    rung: str = "adviseren"


@dataclass
class T:
    step: int = 1
    closed_at: Any = None
    information: str = ""
    documents: list = field(default_factory=list)
    conversations: list = field(default_factory=list)
    participant_groups: list = field(default_factory=list)
    contributions: list = field(default_factory=list)
    involvement_ok: bool | None = None
    result_kind: str | None = None
    result_text: str = ""


def test_step_rules() -> None:
    assert advance_problems(T(step=1))  # no information yet
    assert advance_problems(T(step=1, information="Cijfers")) == []
    assert advance_problems(T(step=1, documents=["nota"])) == []
    assert advance_problems(T(step=2)) and advance_problems(T(step=2, conversations=[1])) == []
    assert advance_problems(T(step=3))
    assert advance_problems(T(step=3, participant_groups=[G("onbekend")]))
    assert advance_problems(T(step=3, participant_groups=[G()])) == []
    assert advance_problems(T(step=4))  # nothing collected
    assert advance_problems(T(step=4, contributions=[C(complete=False)]))
    assert advance_problems(T(step=4, contributions=[C()])) == []
    # step 5: everyone involved, and every contribution used or explained
    assert advance_problems(
        T(step=5, contributions=[C(decision="gebruikt")])
    )  # involvement not confirmed
    assert advance_problems(T(step=5, involvement_ok=True, contributions=[C()]))  # undecided
    assert advance_problems(
        T(step=5, involvement_ok=True, contributions=[C(decision="niet_gebruikt")])
    )
    assert (
        advance_problems(
            T(
                step=5,
                involvement_ok=True,
                contributions=[C(decision="niet_gebruikt", explanation="Te duur")],
            )
        )
        == []
    )
    assert advance_problems(T(step=6))  # last step: finish instead
    assert advance_problems(T(step=2, conversations=[1], closed_at=utcnow()))
    # going back: to an earlier step, with a reason
    assert back_problems(T(step=4), 2, "Groep jongeren ontbrak") == []
    assert back_problems(T(step=4), 4, "zelfde stap")
    assert back_problems(T(step=4), 5, "vooruit")
    assert back_problems(T(step=4), 0, "bestaat niet")
    assert back_problems(T(step=4), 2, "  ")
    assert back_problems(T(step=4), "2", "geen getal")
    # finishing
    assert finish_problems(T(step=5, result_kind="advies", result_text="x"))
    assert finish_problems(T(step=6, result_kind="anders", result_text="x"))
    assert finish_problems(T(step=6, result_kind="advies", result_text=""))
    assert (
        finish_problems(T(step=6, result_kind="voorstel", result_text="Voorstel aan het college"))
        == []
    )
    assert contribution_decision_problems("niet_gebruikt", "")
    assert contribution_decision_problems("gebruikt", "") == []
    assert rung_words("adviseren") == "meedenken (adviseren)"
    assert rung_words("faciliteren") == "het zelf doen (faciliteren)"


def _step(app, tid: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(Trajectory, tid).step


def test_a_trajectory_through_six_steps_with_one_step_back(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    with app.app_context():
        m = municipality("zaanstad")
        group = Group(
            municipality_id=m.id, theme="Jeugd", goal="x", status="actief", mailbox="j@zaanstad.nl"
        )
        db.session.add(group)
        db.session.flush()
        meeting = Meeting(
            municipality_id=m.id, group_id=group.id, starts_at=utcnow(), location="Stadhuis"
        )
        db.session.add(meeting)
        db.session.flush()
        participant = resident(m, "Eva Deelnemer", "eva@example.org")
        meeting.attendances.append(Attendance(municipality_id=m.id, resident_id=participant.id))
        # the feedback mail rests on the group consent, like every mail of a group
        from intranet.residents.service import give_consent
        from plugins.meedenkgroepen.models import GROUP_CONSENT

        give_consent(
            participant, GROUP_CONSENT, method="form", given_on=date(2026, 1, 1), recorded_by="t"
        )
        db.session.commit()
        meeting_id = meeting.id
        from intranet.auth.models import Employee

    c = signed_in(app, "zaanstad", "ambtenaar")  # policy officer: runs trajectories
    with app.app_context():
        from intranet.auth.models import Employee

        owner = (
            db.session.execute(select(Employee).where(Employee.username == "ambtenaar"))
            .scalar_one()
            .id
        )
    r = post(
        c,
        f"{BASE}/trajecten/nieuw",
        {"topic": "", "origin": "ergens", "origin_note": "", "owner_id": str(owner)},
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert "Vul het onderwerp in." in errors and "Kies inwoner of gemeente." in errors
    r = post(
        c,
        f"{BASE}/trajecten/nieuw",
        {
            "topic": "Jeugdhulp dichtbij",
            "origin": "inwoner",
            "origin_note": "Een moeder vroeg om hulp in de wijk.",
            "owner_id": str(owner),
        },
    )
    assert r.status_code == 302
    tid = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    url = f"{BASE}/trajecten/{tid}"

    # step 1 -> 2 only with information
    r = post(c, f"{url}/volgende-stap", {})
    assert r.status_code == 400
    assert (
        "Leg eerst de beschikbare informatie vast: een samenvatting of een beleidsstuk."
        in form_errors(r.get_data(as_text=True))
    )
    assert (
        post(c, f"{url}/informatie", {"information": "Wachtlijsten jeugdhulp 2025."}).status_code
        == 302
    )
    assert (
        post(
            c, f"{url}/stukken", {"title": "Nota jeugdhulp", "url": "javascript:alert(1)"}
        ).status_code
        == 400
    )
    assert (
        post(
            c, f"{url}/stukken", {"title": "Nota jeugdhulp", "url": "https://zaanstad.nl/nota"}
        ).status_code
        == 302
    )
    assert post(c, f"{url}/volgende-stap", {"note": "Informatie staat klaar"}).status_code == 302
    assert _step(app, tid) == 2

    # step 2: conversations
    assert (
        post(
            c,
            f"{url}/gesprekken",
            {"held_on": "2099-01-01", "kind": "georganiseerd", "participants": ""},
        ).status_code
        == 400
    )
    assert (
        post(
            c,
            f"{url}/gesprekken",
            {
                "held_on": local_today().isoformat(),
                "kind": "georganiseerd",
                "participants": "Burgerplatform, 6 ouders",
                "summary": "Hulp dichtbij huis",
            },
        ).status_code
        == 302
    )
    assert post(c, f"{url}/volgende-stap", {}).status_code == 302
    # step 3: participation ladder
    r = post(c, f"{url}/deelnemers", {"name": "ouders", "rung": "alles"})
    assert r.status_code == 400 and "Kies een trede van de participatieladder." in form_errors(
        r.get_data(as_text=True)
    )
    assert post(c, f"{url}/deelnemers", {"name": "ouders", "rung": "adviseren"}).status_code == 302
    page = c.get(url).get_data(as_text=True)
    assert "ouders: meedenken (adviseren)" in page
    assert post(c, f"{url}/volgende-stap", {}).status_code == 302
    # step 4: contributions, checked for completeness
    assert (
        post(
            c,
            f"{url}/bijdragen",
            {
                "source": "bijeenkomst",
                "meeting_id": str(meeting_id),
                "text": "Spreekuur in het wijkcentrum",
            },
        ).status_code
        == 302
    )
    assert (
        post(
            c,
            f"{url}/bijdragen",
            {"source": "gesprek", "meeting_id": "0", "text": "Een vaste contactpersoon"},
        ).status_code
        == 302
    )
    assert post(c, f"{url}/volgende-stap", {}).status_code == 400  # not yet checked
    # one step back, with a reason: a group was missing
    r = post(c, f"{url}/terug", {"to_step": "2", "reason": ""})
    assert r.status_code == 400 and "Geef de reden om terug te gaan." in form_errors(
        r.get_data(as_text=True)
    )
    assert post(c, f"{url}/terug", {"to_step": "5", "reason": "vooruit"}).status_code == 400
    assert (
        post(
            c, f"{url}/terug", {"to_step": "3", "reason": "Jongeren zelf zijn nog niet betrokken."}
        ).status_code
        == 302
    )
    assert _step(app, tid) == 3
    assert (
        post(c, f"{url}/deelnemers", {"name": "jongeren", "rung": "coproduceren"}).status_code
        == 302
    )
    assert post(c, f"{url}/volgende-stap", {}).status_code == 302
    with app.app_context():
        ids = [
            x.id
            for x in db.session.execute(
                select(Contribution)
                .where(Contribution.trajectory_id == tid)
                .order_by(Contribution.position)
            ).scalars()
        ]
    for cid in ids:
        assert post(c, f"{url}/bijdragen/{cid}/volledig").status_code == 302
    assert post(c, f"{url}/volgende-stap", {}).status_code == 302
    assert _step(app, tid) == 5
    # step 5: every contribution used or not, "not used" needs an explanation
    r = post(
        c,
        f"{url}/bijdragen/{ids[1]}/besluit",
        {f"c{ids[1]}-decision": "niet_gebruikt", f"c{ids[1]}-explanation": ""},
    )
    assert r.status_code == 400
    assert "Leg uit waarom deze bijdrage niet wordt meegenomen." in form_errors(
        r.get_data(as_text=True)
    )
    post(c, f"{url}/bijdragen/{ids[0]}/besluit", {f"c{ids[0]}-decision": "gebruikt"})
    post(
        c,
        f"{url}/bijdragen/{ids[1]}/besluit",
        {
            f"c{ids[1]}-decision": "niet_gebruikt",
            f"c{ids[1]}-explanation": "Past niet in het budget van 2026.",
        },
    )
    assert post(c, f"{url}/volgende-stap", {}).status_code == 400  # involvement not confirmed
    assert (
        post(
            c,
            f"{url}/betrokkenheid",
            {"involvement_ok": "ja", "involvement_note": "Ouders en jongeren deden mee."},
        ).status_code
        == 302
    )
    # participants hear what happened to their contributions
    assert post(c, f"{url}/terugkoppeling").status_code == 302
    mails = smtp.messages
    assert [m["To"] for m in mails] == ["eva@example.org"]
    assert "Past niet in het budget van 2026." in body(mails[0]) and "Meegenomen" in body(mails[0])
    assert post(c, f"{url}/volgende-stap", {}).status_code == 302
    assert _step(app, tid) == 6
    # step 6: result, and a new trajectory at step 1 linked to this one
    r = post(
        c,
        f"{url}/resultaat",
        {"result_kind": "voorstel", "result_text": "", "new_trajectory": "y", "new_topic": ""},
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert (
        "Beschrijf het resultaat." in errors
        and "Vul het onderwerp van het nieuwe traject in." in errors
    )
    r = post(
        c,
        f"{url}/resultaat",
        {
            "result_kind": "voorstel",
            "result_text": "Voorstel: spreekuur in drie wijken.",
            "new_trajectory": "y",
            "new_topic": "Spreekuur jeugdhulp uitrollen",
        },
    )
    assert r.status_code == 302
    with app.app_context():
        t = db.session.get(Trajectory, tid)
        assert t.closed_at is not None and t.result_kind == "voorstel"
        child = db.session.execute(
            select(Trajectory).where(Trajectory.parent_id == tid)
        ).scalar_one()
        assert child.step == 1 and child.topic == "Spreekuur jeugdhulp uitrollen"
        history = (
            db.session.execute(
                select(StepTransition)
                .where(StepTransition.trajectory_id == tid)
                .order_by(StepTransition.id)
            )
            .scalars()
            .all()
        )
        assert [(h.from_step, h.to_step) for h in history] == [
            (None, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 3),
            (3, 4),
            (4, 5),
            (5, 6),
            (6, 6),
        ]
        back = history[4]
        assert back.actor == "ambtenaar" and back.reason == "Jongeren zelf zijn nog niet betrokken."
    assert post(c, f"{url}/volgende-stap", {}).status_code == 400  # closed
    page = c.get(url).get_data(as_text=True)
    assert (
        "Jongeren zelf zijn nog niet betrokken." in page and "Spreekuur jeugdhulp uitrollen" in page
    )


def test_trajectory_permissions_and_isolation(demo):  # type: ignore[no-untyped-def]
    app = demo
    with app.app_context():
        m = municipality("zaanstad")
        t = Trajectory(municipality_id=m.id, topic="Geheim", origin="gemeente", step=1)
        db.session.add(t)
        db.session.commit()
        tid = t.id
    plain = signed_in(app, "zaanstad", "medewerker")
    assert plain.get(f"{BASE}/trajecten/{tid}").status_code == 403
    assert post(plain, f"{BASE}/trajecten/{tid}/volgende-stap", {}).status_code == 403
    other = signed_in(app, "zwolle", "griffier")
    assert other.get(f"{BASE}/trajecten/{tid}").status_code == 404
    assert other.get(f"/zwolle/meedenkgroepen/trajecten/{tid}").status_code == 404
