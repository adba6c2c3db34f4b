"""Think-along groups: create, sign-ups, leaving, proposals, meetings, outcomes mailed, follow-up
feedback, overdue feedback; permissions, tenant isolation and bad input."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, body, municipality, resident

from intranet.access.service import create_role, map_group
from intranet.extensions import db
from intranet.municipalities.service import set_plugin_enabled
from intranet.plugin_api import local_now, local_today
from intranet.residents.models import Consent
from intranet.residents.service import give_consent
from intranet.tenancy import scoped
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import utcnow
from intranet.workdays import add_working_days
from plugins.meedenkgroepen.models import (
    GROUP_CONSENT,
    FeedbackMail,
    Group,
    GroupProposal,
    Meeting,
    Membership,
    Outcome,
)
from plugins.meedenkgroepen.service import overdue_feedback

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


def _group(app, theme="Testgroep") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = municipality("zaanstad")
        g = Group(
            municipality_id=m.id, theme=theme, goal="Doel", status="actief", mailbox="x@zaanstad.nl"
        )
        db.session.add(g)
        db.session.commit()
        return g.id


def test_coordinator_runs_a_group_from_signup_to_feedback(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    c = signed_in(app, "zaanstad", "coordinator")
    index = c.get(f"{BASE}/")
    assert index.status_code == 200
    assert "GGZ-wachtlijsten" in index.get_data(as_text=True)

    r = post(
        c,
        f"{BASE}/groepen/nieuw",
        {
            "theme": "Schuldhulp",
            "description": "Meedenken over schuldhulp.",
            "goal": "Schuldhulp beter laten aansluiten.",
            "status": "actief",
            "mailbox": "clientenparticipatie@zaanstad.nl",
            "channel_url": "https://example.org/groep",
            "channel_label": "Eigen groepsapp",
            "owner_id": "0",
        },
    )
    assert r.status_code == 400  # owner 0 is not a choice
    assert "Kies een medewerker uit de lijst." in form_errors(r.get_data(as_text=True))
    with app.app_context():
        from intranet.auth.models import Employee

        owner = (
            db.session.execute(select(Employee).where(Employee.username == "coordinator"))
            .scalar_one()
            .id
        )
    r = post(
        c,
        f"{BASE}/groepen/nieuw",
        {
            "theme": "Schuldhulp",
            "description": "Meedenken over schuldhulp.",
            "goal": "Schuldhulp beter laten aansluiten.",
            "status": "actief",
            "mailbox": "clientenparticipatie@zaanstad.nl",
            "channel_url": "https://example.org/groep",
            "channel_label": "Eigen groepsapp",
            "owner_id": str(owner),
        },
    )
    assert r.status_code == 302
    with app.app_context():
        m = municipality("zaanstad")
        group = db.session.execute(scoped(Group, m).where(Group.theme == "Schuldhulp")).scalar_one()
        gid = group.id
        present1 = resident(m, "Aaf Aanwezig", "aaf@example.org").id
        present2 = resident(m, "Bob Aanwezig", "bob@example.org").id
        minutes = resident(m, "Cas Notulen", "cas@example.org").id
        absent = resident(m, "Dirk Afwezig", "dirk@example.org").id
        db.session.commit()

    for rid, wants in ((present1, False), (present2, False), (minutes, True), (absent, False)):
        data = {
            "resident_id": str(rid),
            "signed_up_on": local_today().isoformat(),
            "channel": "email",
            "motivation": "Eigen ervaring",
        }
        if wants:
            data["wants_minutes"] = "y"
        assert post(c, f"{BASE}/groepen/{gid}/aanmelden", data).status_code == 302
    # signing up twice is refused, next to the field
    r = post(
        c,
        f"{BASE}/groepen/{gid}/aanmelden",
        {"resident_id": str(absent), "signed_up_on": local_today().isoformat(), "channel": "email"},
    )
    assert r.status_code == 400
    assert "Deze inwoner is al lid van deze meedenkgroep." in form_errors(r.get_data(as_text=True))

    held = (local_now() - timedelta(days=1)).replace(second=0, microsecond=0)
    r = post(
        c,
        f"{BASE}/groepen/{gid}/bijeenkomsten/nieuw",
        {
            "starts_at": held.strftime("%Y-%m-%dT%H:%M"),
            "location": "Stadhuis",
            "agenda": "1. Kennismaken",
            "follow_up_of_id": "0",
        },
    )
    assert r.status_code == 302
    mid = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert (
        post(
            c,
            f"{BASE}/bijeenkomsten/{mid}/aanwezigheid",
            {"attendees": [str(present1), str(present2)]},
        ).status_code
        == 302
    )
    assert (
        post(
            c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten", {"text": "Eén loket voor schulden."}
        ).status_code
        == 302
    )
    assert (
        post(
            c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten", {"text": "Sneller een eerste gesprek."}
        ).status_code
        == 302
    )

    r = post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten-mailen")
    assert r.status_code == 302
    recipients = sorted(m["To"] for m in smtp.messages)
    assert recipients == ["aaf@example.org", "bob@example.org", "cas@example.org"]
    assert "Eén loket voor schulden." in body(smtp.messages[0])
    # pressing the button again never mails anyone twice
    post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten-mailen")
    assert len(smtp.messages) == 3
    page = c.get(f"{BASE}/bijeenkomsten/{mid}").get_data(as_text=True)
    assert "Verzonden" in page

    # the follow-up meeting tells per outcome what was done, and mails that back
    r = post(
        c,
        f"{BASE}/groepen/{gid}/bijeenkomsten/nieuw",
        {
            "starts_at": (held + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Stadhuis",
            "follow_up_of_id": str(mid),
        },
    )
    follow = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        outcomes = [
            o.id
            for o in db.session.execute(
                select(Outcome).where(Outcome.meeting_id == mid).order_by(Outcome.position)
            ).scalars()
        ]
    r = post(c, f"{BASE}/bijeenkomsten/{follow}/terugkoppeling-mailen")
    assert r.status_code == 302
    assert len(smtp.messages) == 3  # refused: not every outcome has a decision yet
    r = post(
        c,
        f"{BASE}/bijeenkomsten/{follow}/terugkoppeling/{outcomes[0]}",
        {f"o{outcomes[0]}-decision": "niet", f"o{outcomes[0]}-explanation": ""},
    )
    assert r.status_code == 400
    assert "Leg uit wat er met de opbrengst is gedaan." in form_errors(r.get_data(as_text=True))
    post(
        c,
        f"{BASE}/bijeenkomsten/{follow}/terugkoppeling/{outcomes[0]}",
        {
            f"o{outcomes[0]}-decision": "overgenomen",
            f"o{outcomes[0]}-explanation": "Het loket opent in juni.",
        },
    )
    post(
        c,
        f"{BASE}/bijeenkomsten/{follow}/terugkoppeling/{outcomes[1]}",
        {
            f"o{outcomes[1]}-decision": "deels",
            f"o{outcomes[1]}-explanation": "Binnen twee weken, niet binnen één.",
        },
    )
    smtp.clear()
    assert post(c, f"{BASE}/bijeenkomsten/{follow}/terugkoppeling-mailen").status_code == 302
    assert sorted(m["To"] for m in smtp.messages) == [
        "aaf@example.org",
        "bob@example.org",
        "cas@example.org",
    ]
    text = body(smtp.messages[0])
    assert (
        "Overgenomen" in text and "Het loket opent in juni." in text and "Deels overgenomen" in text
    )

    # leaving at any time
    with app.app_context():
        ms = db.session.execute(
            select(Membership).where(Membership.resident_id == absent)
        ).scalar_one()
        msid = ms.id
    assert post(c, f"{BASE}/groepen/{gid}/leden/{msid}/afmelden").status_code == 302
    with app.app_context():
        assert db.session.get(Membership, msid).left_on == local_today()


def test_a_failed_mail_is_retried_reported_and_resent_once(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    gid = _group(app)
    with app.app_context():
        m = municipality("zaanstad")
        ok = resident(m, "Goed Adres", "goed@example.org")
        bad = resident(m, "Fout Adres", "fout@example.org")
        meeting = Meeting(
            municipality_id=m.id,
            group_id=gid,
            starts_at=utcnow() - timedelta(days=1),
            location="Stadhuis",
        )
        db.session.add(meeting)
        db.session.flush()
        from plugins.meedenkgroepen.models import Attendance

        for r in (ok, bad):
            meeting.attendances.append(Attendance(municipality_id=m.id, resident_id=r.id))
            # they signed up for the group, which records the consent its mail rests on
            give_consent(r, GROUP_CONSENT, method="email", given_on=local_today(), recorded_by="t")
        meeting.outcomes.append(Outcome(municipality_id=m.id, text="Iets", position=1))
        db.session.commit()
        mid = meeting.id
    smtp.refuse("fout@example.org")
    c = signed_in(app, "zaanstad", "coordinator")
    post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten-mailen")
    assert [m["To"] for m in smtp.messages] == ["goed@example.org"]
    with app.app_context():
        failed = db.session.execute(
            select(FeedbackMail).where(FeedbackMail.status == "failed")
        ).scalar_one()
        assert failed.attempts == 3 and "refused" in failed.last_error
        assert failed.failure == "recipient"
        from intranet.jobs.models import Job

        job = db.session.execute(select(Job).order_by(Job.id.desc())).scalars().first()
        assert job.failed == 1 and "mislukt" in job.message
    page = c.get(f"{BASE}/bijeenkomsten/{mid}").get_data(as_text=True)
    assert "Mislukt" in page and "Mislukte e-mails opnieuw versturen" in page
    # the coordinator reads why in words; the server's reply (550, English) is folded beside it
    cell = '<td class="utrecht-table__cell">Fout Adres</td>'  # the delivery table's row
    row = page.rsplit(cell, 1)[1].split("</tr>", 1)[0]
    assert "De mailserver weigerde dit e-mailadres" in row
    reply = row.split('<details class="server-reply">', 1)[1]
    assert "Antwoord van de mailserver" in reply and "550" in reply
    assert '<span class="visually-hidden"> (Fout Adres)</span>' in reply  # whose, when read out
    assert "550" not in row.split("<details", 1)[0]
    smtp.refuse()
    post(c, f"{BASE}/bijeenkomsten/{mid}/mails-opnieuw")
    assert sorted(m["To"] for m in smtp.messages) == ["fout@example.org", "goed@example.org"]
    with app.app_context():
        resent = db.session.get(FeedbackMail, failed.id)
        assert resent.status == "sent" and resent.failure == "" and resent.last_error == ""


def test_overdue_feedback_after_the_configured_working_days(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    gid = _group(app, "Te laat")
    today = local_today()
    with app.app_context():
        m = municipality("zaanstad")
        long_ago = Meeting(
            municipality_id=m.id,
            group_id=gid,
            starts_at=utcnow() - timedelta(days=15),
            location="A",
        )
        recent = Meeting(
            municipality_id=m.id,
            group_id=gid,
            starts_at=utcnow() - timedelta(hours=2),
            location="B",
        )
        db.session.add_all([long_ago, recent])
        db.session.commit()
        items = overdue_feedback([long_ago, recent])
        assert [i.meeting.id for i in items] == [long_ago.id]
        # exactly at the limit is not overdue; one working day later it is
        held = date(2026, 3, 2)
        meeting = Meeting(
            municipality_id=m.id,
            group_id=gid,
            starts_at=datetime(2026, 3, 2, 10, 0).astimezone(),
            location="C",
        )
        assert overdue_feedback([meeting], today=add_working_days(held, 5)) == []
        assert len(overdue_feedback([meeting], today=add_working_days(held, 6))) == 1
        app.config["MEEDENKGROEPEN_FEEDBACK_WORKING_DAYS"] = 20
        try:
            assert overdue_feedback([long_ago], today=today) == []
        finally:
            app.config.pop("MEEDENKGROEPEN_FEEDBACK_WORKING_DAYS")
    c = signed_in(app, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/groepen/{gid}").get_data(as_text=True)
    assert "Terugkoppeling te laat" in page
    dashboard = c.get("/zaanstad/").get_data(as_text=True)
    assert "keer terugkoppeling te laat" in dashboard


def test_proposal_for_a_new_group_needs_a_decision_with_reason(demo):  # type: ignore[no-untyped-def]
    app = demo
    c = signed_in(app, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/voorstellen", {"theme": "", "received_on": "morgen", "resident_id": "0"})
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert "Vul het voorgestelde thema in." in errors
    assert "Vul een geldige datum in, bijvoorbeeld 21-11-2026." in errors
    r = post(
        c,
        f"{BASE}/voorstellen",
        {
            "theme": "Laaggeletterdheid",
            "description": "Via de bibliotheek",
            "received_on": local_today().isoformat(),
            "resident_id": "0",
        },
    )
    assert r.status_code == 302
    with app.app_context():
        pid = (
            db.session.execute(
                select(GroupProposal).where(GroupProposal.theme == "Laaggeletterdheid")
            )
            .scalar_one()
            .id
        )
    r = post(c, f"{BASE}/voorstellen/{pid}/besluit", {"decision": "toegekend", "reason": ""})
    assert r.status_code == 400
    assert "Geef de reden van het besluit; de inwoner krijgt die te horen." in form_errors(
        r.get_data(as_text=True)
    )
    r = post(
        c,
        f"{BASE}/voorstellen/{pid}/besluit",
        {"decision": "toegekend", "reason": "Genoeg belangstelling."},
    )
    assert r.status_code == 302
    with app.app_context():
        p = db.session.get(GroupProposal, pid)
        assert p.decision == "toegekend" and p.decision_reason == "Genoeg belangstelling."
        assert p.group is not None and p.group.status == "oprichting"


def test_bad_input_on_the_group_and_meeting_forms(demo):  # type: ignore[no-untyped-def]
    app = demo
    gid = _group(app)
    c = signed_in(app, "zaanstad", "coordinator")
    r = post(
        c,
        f"{BASE}/groepen/nieuw",
        {
            "theme": "",
            "goal": "",
            "status": "weg",
            "mailbox": "geen-mail",
            "channel_url": "javascript:alert(1)",
            "owner_id": "x",
        },
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    for expected in (
        "Vul het thema van de meedenkgroep in.",
        "Beschrijf het doel van de meedenkgroep.",
        "Kies een van de statussen.",
        "Dit is geen geldig e-mailadres, bijvoorbeeld naam@gemeente.nl.",
        "Vul een volledige link in, beginnend met https://.",
        "Kies een medewerker uit de lijst.",
    ):
        assert expected in errors, errors
    assert 'value="geen-mail"' in r.get_data(as_text=True)  # what was typed stays
    r = post(
        c,
        f"{BASE}/groepen/{gid}/bijeenkomsten/nieuw",
        {"starts_at": "gisteren", "location": "", "follow_up_of_id": "999"},
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert "Vul een geldige datum en tijd in, bijvoorbeeld 21-11-2026 19:30." in errors
    assert "Vul de plaats in, of bij een online bijeenkomst de link." in errors
    assert "Kies een eerdere bijeenkomst van deze groep." in errors
    # the moment as people type it is read, and comes back as the browser's input reads it
    r = post(
        c,
        f"{BASE}/groepen/{gid}/bijeenkomsten/nieuw",
        {"starts_at": "20-01-2027 19:30", "location": "", "follow_up_of_id": ""},
    )
    assert r.status_code == 400
    errors = form_errors(r.get_data(as_text=True))
    assert "Vul een geldige datum en tijd in, bijvoorbeeld 21-11-2026 19:30." not in errors
    assert 'value="2027-01-20T19:30"' in r.get_data(as_text=True)
    # a resident of another municipality is not in the list
    with app.app_context():
        other = resident(municipality("zwolle"), "Zwolse Inwoner", "z@example.org").id
        db.session.commit()
    r = post(
        c,
        f"{BASE}/groepen/{gid}/aanmelden",
        {"resident_id": str(other), "signed_up_on": local_today().isoformat(), "channel": "email"},
    )
    assert r.status_code == 400
    assert "Kies een inwoner uit de lijst." in form_errors(r.get_data(as_text=True))
    with app.app_context():
        m = municipality("zaanstad")
        meeting = Meeting(municipality_id=m.id, group_id=gid, starts_at=utcnow(), location="A")
        db.session.add(meeting)
        db.session.commit()
        mid = meeting.id
    r = post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten", {"text": "  "})
    assert r.status_code == 400
    assert "Beschrijf de opbrengst." in form_errors(r.get_data(as_text=True))
    r = post(c, f"{BASE}/bijeenkomsten/{mid}/aanwezigheid", {"attendees": ["abc", str(other)]})
    assert r.status_code == 400
    assert "Kies alleen leden van de groep." in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Group).where(Group.theme == "")).first() is None


def test_permissions_and_navigation(demo):  # type: ignore[no-untyped-def]
    app = demo
    gid = _group(app)
    plain = signed_in(app, "zaanstad", "medewerker")
    assert plain.get(f"{BASE}/").status_code == 403
    assert plain.get(f"{BASE}/groepen/{gid}").status_code == 403
    assert f'href="{BASE}/"' not in plain.get("/zaanstad/").get_data(as_text=True)
    policy = signed_in(app, "zaanstad", "ambtenaar")  # may view and run trajectories, not groups
    assert policy.get(f"{BASE}/groepen/{gid}").status_code == 200
    assert post(policy, f"{BASE}/groepen/nieuw", {"theme": "X"}).status_code == 403
    assert post(policy, f"{BASE}/groepen/{gid}/aanmelden", {}).status_code == 403
    coordinator = signed_in(app, "zaanstad", "coordinator")
    assert f'href="{BASE}/"' in coordinator.get("/zaanstad/").get_data(as_text=True)


def test_tenant_isolation_also_by_guessing_ids(demo):  # type: ignore[no-untyped-def]
    app = demo
    gid = _group(app)
    with app.app_context():
        m = municipality("zaanstad")
        meeting = Meeting(municipality_id=m.id, group_id=gid, starts_at=utcnow(), location="A")
        db.session.add(meeting)
        zwolle = municipality("zwolle")
        set_plugin_enabled(zwolle, "meedenkgroepen", True)
        role = create_role(
            zwolle,
            "meedenken-test",
            "Meedenken",
            ["meedenkgroepen.view", "meedenkgroepen.groups.manage"],
        )
        map_group(zwolle, "cn=griffie,ou=groups,dc=zwolle,dc=demo", role)
        db.session.commit()
        mid = meeting.id
    c = signed_in(app, "zwolle", "griffier")
    assert c.get(f"{BASE}/groepen/{gid}").status_code == 404  # another municipality's address
    assert c.get("/zwolle/meedenkgroepen/").status_code == 200
    assert c.get(f"/zwolle/meedenkgroepen/groepen/{gid}").status_code == 404  # guessed id
    assert c.get(f"/zwolle/meedenkgroepen/bijeenkomsten/{mid}").status_code == 404
    assert (
        post(c, f"/zwolle/meedenkgroepen/groepen/{gid}/bewerken", {"theme": "Gekaapt"}).status_code
        == 404
    )
    assert (
        post(c, f"/zwolle/meedenkgroepen/bijeenkomsten/{mid}/opbrengsten-mailen").status_code == 404
    )
    with app.app_context():
        assert db.session.get(Group, gid).theme == "Testgroep"


def test_withdrawn_group_consent_stops_the_mail_and_hides_the_member(demo, smtp):  # type: ignore[no-untyped-def]
    app = demo
    gid = _group(app)
    c = signed_in(app, "zaanstad", "coordinator")
    with app.app_context():
        m = municipality("zaanstad")
        stays = resident(m, "Blijft Lid", "blijft@example.org").id
        leaves = resident(m, "Trekt In", "trekt@example.org").id
        db.session.commit()
    for rid in (stays, leaves):
        signup = {
            "resident_id": str(rid),
            "signed_up_on": local_today().isoformat(),
            "channel": "telefoon",
            "wants_minutes": "y",
        }
        assert post(c, f"{BASE}/groepen/{gid}/aanmelden", signup).status_code == 302
    with app.app_context():
        consent = db.session.execute(
            select(Consent).where(Consent.resident_id == leaves, Consent.purpose == GROUP_CONSENT)
        ).scalar_one()
        assert consent.method == "verbal" and consent.recorded_by == "coordinator"
        zaanstad = municipality("zaanstad").id
        meeting = Meeting(
            municipality_id=zaanstad,
            group_id=gid,
            starts_at=utcnow() - timedelta(days=1),
            location="Stadhuis",
        )
        meeting.outcomes.append(Outcome(municipality_id=zaanstad, text="Iets", position=1))
        db.session.add(meeting)
        db.session.commit()
        mid, cid = meeting.id, consent.id
    assert post(c, f"/zaanstad/inwoners/{leaves}/toestemmingen/{cid}/intrekken").status_code == 302
    post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten-mailen")
    assert [m["To"] for m in smtp.messages] == ["blijft@example.org"]
    page = c.get(f"{BASE}/groepen/{gid}").get_data(as_text=True)
    assert "Blijft Lid" in page and "Trekt In</td>" not in page
    assert "1 aangemelde inwoner heeft de toestemming voor deze meedenkgroep" in page
