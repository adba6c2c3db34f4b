"""The plugin's hooks: demo data, personal data and erasure, calendar, widget, register,
retention, participation targets; and the plugin switched off."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, inspect, select
from test_meedenkgroepen_support import BASE, municipality, resident

from intranet.contract import ErasureResult
from intranet.extensions import db
from intranet.municipalities.service import set_plugin_enabled
from intranet.plugin_api import local_today
from intranet.testing.helpers import signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen import plugin
from plugins.meedenkgroepen.demo import GROUPS
from plugins.meedenkgroepen.models import (
    Attendance,
    FeedbackMail,
    Group,
    GroupProposal,
    Invitation,
    Meeting,
    Membership,
    Panel,
    PanelMember,
    Questionnaire,
    Response,
)


def test_demo_data_follows_the_seed(demo):  # type: ignore[no-untyped-def]
    with demo.app_context():
        m = municipality("zaanstad")
        themes = set(
            db.session.execute(select(Group.theme).where(Group.municipality_id == m.id)).scalars()
        )
        assert {g[0] for g in GROUPS} <= themes
        assert "GGZ-wachtlijsten" in themes and "Gedupeerden kinderopvangtoeslagenaffaire" in themes
        mantelzorg = db.session.execute(
            select(Group).where(Group.theme == "Mantelzorgers")
        ).scalar_one()
        assert "mantelzorgwaardering" in mantelzorg.description
        panels = set(db.session.execute(select(Panel.name)).scalars())
        assert {
            "Panel werk en inkomen",
            "Leerlingenvervoer",
            "Aanvullend Openbaar Vervoer",
        } <= panels
        zwolle = municipality("zwolle")
        assert (
            db.session.execute(
                select(func.count()).select_from(Group).where(Group.municipality_id == zwolle.id)
            ).scalar_one()
            == 0
        )


def _fill(app):  # type: ignore[no-untyped-def]
    """One resident with every kind of row the plugin keeps about a person."""
    with app.app_context():
        m = municipality("zaanstad")
        r = resident(m, "Frits Verwijder", "frits@example.org")
        r.phone = "06 99999999"
        group = Group(
            municipality_id=m.id,
            theme="Privacy",
            goal="x",
            status="actief",
            mailbox="p@zaanstad.nl",
        )
        panel = Panel(municipality_id=m.id, name="Privacypanel", themes=[])
        db.session.add_all([group, panel])
        db.session.flush()
        db.session.add(
            Membership(
                municipality_id=m.id,
                group_id=group.id,
                resident_id=r.id,
                signed_up_on=local_today(),
                channel="email",
                motivation="Frits wil meedenken",
            )
        )
        meeting = Meeting(
            municipality_id=m.id,
            group_id=group.id,
            starts_at=utcnow() - timedelta(days=1),
            location="Stadhuis",
        )
        db.session.add(meeting)
        db.session.flush()
        db.session.add(Attendance(municipality_id=m.id, meeting_id=meeting.id, resident_id=r.id))
        member = PanelMember(
            municipality_id=m.id,
            panel_id=panel.id,
            resident_id=r.id,
            themes=[],
            joined_on=local_today(),
        )
        db.session.add(member)
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel.id,
            title="Privacyvragen",
            opens_on=local_today(),
            closes_on=local_today(),
            status="verzonden",
        )
        db.session.add(q)
        db.session.flush()
        db.session.add(
            Invitation(
                municipality_id=m.id,
                questionnaire_id=q.id,
                resident_id=r.id,
                member_id=member.id,
                status="sent",
                sent_at=utcnow(),
                answered_at=utcnow(),
            )
        )
        db.session.add(Response(municipality_id=m.id, questionnaire_id=q.id))
        db.session.add(
            FeedbackMail(
                municipality_id=m.id,
                ref=f"meeting:{meeting.id}",
                kind="opbrengsten",
                resident_id=r.id,
                status="sent",
            )
        )
        db.session.add(
            GroupProposal(
                municipality_id=m.id, theme="Nieuw", resident_id=r.id, received_on=local_today()
            )
        )
        db.session.commit()
        return r.id


def test_personal_data_and_erasure(demo):  # type: ignore[no-untyped-def]
    app = demo
    rid = _fill(app)
    with app.app_context():
        from intranet.residents.models import Resident

        m = municipality("zaanstad")
        r = db.session.get(Resident, rid)
        data = plugin.intranet_resident_data(m, r)
        kinds = {rec["soort"] for rec in data.records}
        assert {
            "lid van meedenkgroep",
            "aanwezig bij bijeenkomst",
            "lid van panel",
            "uitnodiging voor vragenlijst",
            "voorstel voor een nieuwe meedenkgroep",
            "e-mail (opbrengsten)",
        } <= kinds
        result = plugin.intranet_erase_resident(m, r, "verzoek")
        assert isinstance(result, ErasureResult) and result.erased and result.anonymised
        db.session.commit()
        # no row of the plugin points to the resident, and none holds the name, e-mail or phone
        for model in (Membership, Attendance, PanelMember, Invitation, FeedbackMail, GroupProposal):
            assert (
                db.session.execute(
                    select(func.count()).select_from(model).where(model.resident_id == rid)
                ).scalar_one()
                == 0
            )
        needles = ("Frits Verwijder", "frits@example.org", "06 99999999")
        for table in db.metadata.sorted_tables:
            if not table.name.startswith("meedenkgroepen_"):
                continue
            for row in db.session.execute(table.select()).all():
                text = " ".join(str(v) for v in row)
                assert not any(n in text for n in needles), (table.name, text)
        # the answers themselves are kept, unlinked
        assert db.session.execute(select(func.count()).select_from(Response)).scalar_one() >= 1
        assert plugin.intranet_resident_data(m, r).records == []


def test_calendar_widget_register_retention_and_targets(demo):  # type: ignore[no-untyped-def]
    app = demo
    with app.app_context():
        m = municipality("zaanstad")
        group = db.session.execute(select(Group).where(Group.theme == "Mantelzorgers")).scalar_one()
        soon = utcnow() + timedelta(days=3)
        db.session.add(
            Meeting(municipality_id=m.id, group_id=group.id, starts_at=soon, location="Wijkcentrum")
        )
        db.session.commit()
        with app.test_request_context():
            items = plugin.intranet_calendar_items(
                m, local_today(), local_today() + timedelta(days=30)
            )
        titles = [i.title for i in items]
        assert "Meedenkgroep Mantelzorgers" in titles
        assert any(t.startswith("Vragenlijst Samenwerken met uw casemanager") for t in titles)
        assert all(i.uid for i in items)
        activities = plugin.intranet_processing_activities()
        assert {a.name for a in activities} >= {"Meedenkgroepen", "Vragenlijstpanels"}
        assert all(a.legal_basis for a in activities)
        report = plugin.intranet_retention_run(m, utcnow() + timedelta(days=3 * 365), True)
        assert report.plugin == "meedenkgroepen"
        with app.test_request_context():
            targets = plugin.intranet_participation_targets(m)
        assert any(t.key.startswith("group:") for t in targets) and any(
            t.kind == "traject" for t in targets
        )
    c = signed_in(app, "zaanstad", "coordinator")
    dashboard = c.get("/zaanstad/").get_data(as_text=True)
    assert "Meedenkgroepen en panels" in dashboard and (
        "vragenlijst loopt nu" in dashboard or "vragenlijsten lopen nu" in dashboard
    )
    ical = c.get("/zaanstad/kalender.ics")
    assert ical.status_code == 200 and "Meedenkgroep Mantelzorgers" in ical.get_data(as_text=True)
    plain = signed_in(app, "zaanstad", "medewerker")
    assert "Meedenkgroepen en panels" not in plain.get("/zaanstad/").get_data(as_text=True)


def test_retention_removes_old_memberships(demo):  # type: ignore[no-untyped-def]
    app = demo
    with app.app_context():
        m = municipality("zaanstad")
        r = resident(m, "Oud Lid", "oud@example.org")
        group = db.session.execute(
            select(Group).where(Group.theme == "Energiearmoede")
        ).scalar_one()
        db.session.add(
            Membership(
                municipality_id=m.id,
                group_id=group.id,
                resident_id=r.id,
                signed_up_on=date(2020, 1, 1),
                channel="email",
                left_on=date(2021, 1, 1),
            )
        )
        db.session.commit()
        report = plugin.intranet_retention_run(m, utcnow(), False)
        db.session.commit()
        assert report.deleted["lidmaatschappen"] == 1
        assert (
            db.session.execute(select(Membership).where(Membership.resident_id == r.id)).first()
            is None
        )


def test_plugin_switched_off_means_404(demo):  # type: ignore[no-untyped-def]
    app = demo
    c = signed_in(app, "zaanstad", "coordinator")
    assert c.get(f"{BASE}/").status_code == 200
    with app.app_context():
        set_plugin_enabled(municipality("zaanstad"), "meedenkgroepen", False)
        db.session.commit()
    for path in ("/", "/panels", "/vragenlijsten", "/trajecten", "/voorstellen"):
        assert c.get(f"{BASE}{path}").status_code == 404, path
    assert c.get("/publiek/zaanstad/meedenkgroepen/afmelden/x").status_code == 404
    with app.app_context():  # data is kept
        assert db.session.execute(select(func.count()).select_from(Group)).scalar_one() >= 6
        assert inspect(db.engine).has_table("meedenkgroepen_group")


def test_every_page_reachable_from_the_navigation_renders(demo):  # type: ignore[no-untyped-def]
    """A small crawl as the coordinator: every plugin page linked from the plugin's pages opens,
    has one h1, and (for the demo trajectory and meeting) shows the step and feedback parts."""
    import re

    app = demo
    c = signed_in(app, "zaanstad", "coordinator")
    todo, seen = [f"{BASE}/", f"{BASE}/vragenlijsten", f"{BASE}/trajecten"], set()
    while todo and len(seen) < 80:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        r = c.get(url)
        assert r.status_code == 200, url
        if r.mimetype != "text/html":
            continue
        html = r.get_data(as_text=True)
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        for href in re.findall(r'href="([^"#?]+)"', html):
            if href.startswith(BASE) and href not in seen:
                todo.append(href)
    assert any("/trajecten/" in u for u in seen) and any("/bijeenkomsten/" in u for u in seen)
    assert any(u.endswith("/voorstellen") for u in seen) and any(u.endswith("/nieuw") for u in seen)
