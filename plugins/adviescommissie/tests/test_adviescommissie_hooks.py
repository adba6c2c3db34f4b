"""Hooks: participation targets (enabled, disabled, not installed), personal data, erasure,
retention, calendar, dashboard widget, processing activities and demo data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import intranet_test_everything as everything
import pytest
from flask import current_app
from sqlalchemy import String, Text, delete, select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.plugin_api import local_today
from intranet.residents.models import Resident
from intranet.testing.helpers import post, signed_in
from plugins.adviescommissie import models as m

pytestmark = pytest.mark.ldap

BASE = "/zaanstad/adviescommissie"


def _zaanstad():  # type: ignore[no-untyped-def]
    return municipalities.by_slug("zaanstad")


def _set_everything(app, enabled: bool) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        municipalities.set_plugin_enabled(_zaanstad(), "everything", enabled, actor="test")
        db.session.commit()


def _procurement(app) -> m.AdviceFile:  # type: ignore[no-untyped-def]
    with app.app_context():
        advice = db.session.execute(
            select(m.AdviceFile).where(
                m.AdviceFile.municipality_id == _zaanstad().id,
                m.AdviceFile.subject == "Aanbesteding hulpmiddelen Wmo 2027",
            )
        ).scalar_one()
        db.session.expunge(advice)
        return advice


def test_participation_link_with_targets_enabled_then_disabled(demo):  # type: ignore[no-untyped-def]
    advice = _procurement(demo)
    url = f"{BASE}/dossiers/{advice.id}/participatie"
    secretary = signed_in(demo, "zaanstad", "secretaris")
    _set_everything(demo, True)
    page = secretary.get(url).get_data(as_text=True)
    assert '<option value="everything|groep-1">Alles-groep (meedenkgroep)</option>' in page
    # a target that is not offered is refused, next to the field
    r = post(
        secretary,
        url,
        {"participation_advice": "Eerst een meedenkgroep.", "target": "everything|nope"},
    )
    assert r.status_code == 400 and "Kies een meedenkgroep of traject uit de lijst." in r.get_data(
        as_text=True
    )
    r = post(
        secretary,
        url,
        {"participation_advice": "Eerst een meedenkgroep.", "target": "everything|groep-1"},
    )
    assert r.status_code == 302
    saved = _procurement(demo)
    assert (saved.target_plugin, saved.target_key, saved.target_title) == (
        "everything",
        "groep-1",
        "Alles-groep",
    )
    assert "Gekoppeld aan: <strong>Alles-groep</strong>" in secretary.get(
        f"{BASE}/dossiers/{advice.id}"
    ).get_data(as_text=True)

    # switched off: the link still reads well (title copy) and the page works
    _set_everything(demo, False)
    assert "Gekoppeld aan: <strong>Alles-groep</strong>" in secretary.get(
        f"{BASE}/dossiers/{advice.id}"
    ).get_data(as_text=True)
    page = secretary.get(url).get_data(as_text=True)
    assert "Alles-groep (niet meer beschikbaar)" in page
    # saving again keeps the existing link; choosing "no link" removes it
    r = post(secretary, url, {"participation_advice": "Tekst", "target": "everything|groep-1"})
    assert r.status_code == 302 and _procurement(demo).target_key == "groep-1"
    r = post(secretary, url, {"participation_advice": "Alleen tekst", "target": ""})
    assert r.status_code == 302
    saved = _procurement(demo)
    assert (saved.target_plugin, saved.participation_advice) == (None, "Alleen tekst")


def test_participation_without_any_implementation_is_plain_text(demo):  # type: ignore[no-untyped-def]
    """Not installed: no plugin implements the hook at all (every implementation unregistered)."""
    host = demo.extensions["intranet"].plugins
    _set_everything(demo, True)
    names = [
        i.plugin_name
        for i in host.pm.hook.intranet_participation_targets.get_hookimpls()
        if i.plugin_name != "adviescommissie"
    ]
    assert "everything" in names
    modules = {name: host.pm.unregister(name=name) for name in names}
    try:
        advice = _procurement(demo)
        secretary = signed_in(demo, "zaanstad", "secretaris")
        page = secretary.get(f"{BASE}/dossiers/{advice.id}/participatie").get_data(as_text=True)
        assert "Er zijn geen meedenkgroepen of trajecten om aan te koppelen" in page
        assert 'name="target"' not in page
        r = post(
            secretary,
            f"{BASE}/dossiers/{advice.id}/participatie",
            {"participation_advice": "Meedenkgroep hulpmiddelen"},
        )
        assert r.status_code == 302
        assert _procurement(demo).participation_advice == "Meedenkgroep hulpmiddelen"
        assert secretary.get(f"{BASE}/dossiers/{advice.id}").status_code == 200
    finally:
        for name, module in modules.items():
            host.pm.register(module, name=name)
        _set_everything(demo, False)


def test_failing_target_hook_does_not_break_the_page(demo):  # type: ignore[no-untyped-def]
    _set_everything(demo, True)
    everything.FAIL.add("intranet_participation_targets")
    try:
        advice = _procurement(demo)
        secretary = signed_in(demo, "zaanstad", "secretaris")
        r = secretary.get(f"{BASE}/dossiers/{advice.id}/participatie")
        assert r.status_code == 200 and "kon niet worden getoond" in r.get_data(as_text=True)
    finally:
        everything.FAIL.discard("intranet_participation_targets")
        _set_everything(demo, False)


def test_link_to_a_meedenkgroepen_group(demo):  # type: ignore[no-untyped-def]
    """Against the real meedenkgroepen plugin, when it offers targets (enabled in Zaanstad)."""
    host = demo.extensions["intranet"].plugins
    impls = [i.plugin_name for i in host.pm.hook.intranet_participation_targets.get_hookimpls()]
    if "meedenkgroepen" not in impls:
        pytest.skip("meedenkgroepen does not implement intranet_participation_targets yet")
    from plugins.adviescommissie.service import participation_targets

    with demo.test_request_context():
        targets = participation_targets(_zaanstad())
        assert not participation_targets(municipalities.by_slug("zwolle"))  # not enabled there
    if not targets:
        pytest.skip("meedenkgroepen has no demo groups")
    target = targets[0]
    advice = _procurement(demo)
    secretary = signed_in(demo, "zaanstad", "secretaris")
    url = f"{BASE}/dossiers/{advice.id}/participatie"
    r = post(
        secretary,
        url,
        {"participation_advice": "Eerst meedenken.", "target": f"{target.plugin}|{target.key}"},
    )
    assert r.status_code == 302
    saved = _procurement(demo)
    assert (saved.target_plugin, saved.target_key, saved.target_title) == (
        "meedenkgroepen",
        target.key,
        target.title,
    )
    detail = secretary.get(f"{BASE}/dossiers/{advice.id}").get_data(as_text=True)
    assert target.title in detail
    if target.url:
        assert f'href="{target.url}"' in detail
    with demo.app_context():
        municipalities.set_plugin_enabled(_zaanstad(), "meedenkgroepen", False, actor="test")
        db.session.commit()
    try:
        detail = secretary.get(f"{BASE}/dossiers/{advice.id}").get_data(as_text=True)
        assert target.title in detail
        assert secretary.get(url).status_code == 200
    finally:
        with demo.app_context():
            municipalities.set_plugin_enabled(_zaanstad(), "meedenkgroepen", True, actor="test")
            db.session.commit()


def _member(app, name: str = "Karima Amrani") -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        z = _zaanstad()
        resident = db.session.execute(
            select(Resident).where(Resident.municipality_id == z.id, Resident.name == name)
        ).scalar_one()
        member = m.CommitteeMember(
            municipality_id=z.id,
            resident_id=resident.id,
            role="member",
            expertise="Wmo",
            term_start=date(2024, 1, 1),
        )
        meeting = m.CommitteeMeeting(
            municipality_id=z.id, starts_at=datetime(2026, 3, 4, 18, 30, tzinfo=UTC)
        )
        db.session.add_all([member, meeting])
        db.session.flush()
        db.session.add(
            m.CommitteeAttendance(
                municipality_id=z.id, meeting_id=meeting.id, member_id=member.id, status="present"
            )
        )
        db.session.commit()
        return resident.id, member.id


def test_personal_data_and_erasure_leave_nothing_of_the_resident(demo):  # type: ignore[no-untyped-def]
    resident_id, _member_id = _member(demo)
    host = demo.extensions["intranet"].plugins
    with demo.test_request_context():
        z = _zaanstad()
        resident = db.session.get(Resident, resident_id)
        data = [
            r.value
            for r in host.call_for(z, "intranet_resident_data", resident=resident)
            if r.plugin == "adviescommissie"
        ]
        records = data[0].records
        assert {
            "rol": "Lid",
            "deskundigheid": "Wmo",
            "begin termijn": "2024-01-01",
            "einde termijn": None,
        } in records
        assert {"vergadering": "woensdag 4 maart 2026", "aanwezigheid": "Aanwezig"} in records
        result = next(
            r.value
            for r in host.call_for(
                z, "intranet_erase_resident", resident=resident, reason="verzoek"
            )
            if r.plugin == "adviescommissie"
        )
        db.session.commit()
        assert result.erased and result.kept
        assert not db.session.execute(
            select(m.CommitteeMember).where(m.CommitteeMember.resident_id == resident_id)
        ).first()
        # no name, e-mail or phone of the resident in any of the plugin's tables
        needles = [resident.name, resident.email, resident.phone]
        for table in db.metadata.sorted_tables:
            if not table.name.startswith("adviescommissie_"):
                continue
            text_cols = [c for c in table.columns if isinstance(c.type, String | Text)]
            for row in db.session.execute(select(*text_cols)).all() if text_cols else []:
                for value in row:
                    assert not any(n and value and n in value for n in needles), (table.name, value)


def test_retention_deletes_members_long_after_their_term(demo):  # type: ignore[no-untyped-def]
    _resident_id, member_id = _member(demo, "Lucas Brouwer")
    host = demo.extensions["intranet"].plugins
    with demo.app_context():
        member = db.session.get(m.CommitteeMember, member_id)
        member.term_end = date(2023, 1, 1)
        db.session.commit()
        z = _zaanstad()
        now = datetime(2026, 11, 1, tzinfo=UTC)
        dry = next(
            r.value
            for r in host.call_for(z, "intranet_retention_run", now=now, dry_run=True)
            if r.plugin == "adviescommissie"
        )
        assert dry.deleted == {"leden": 1, "aanwezigheid": 1}
        assert db.session.get(m.CommitteeMember, member_id) is not None
        host.call_for(z, "intranet_retention_run", now=now, dry_run=False)
        db.session.commit()
        assert db.session.get(m.CommitteeMember, member_id) is None
        # the demo members (terms still running) are kept
        assert db.session.execute(
            select(m.CommitteeMember).where(m.CommitteeMember.municipality_id == z.id)
        ).first()


def test_calendar_and_widget(demo):  # type: ignore[no-untyped-def]
    today = local_today()
    with demo.app_context():
        z = _zaanstad()
        db.session.execute(delete(m.AdviceStatusChange))
        db.session.execute(delete(m.AdviceRecommendation))
        db.session.execute(delete(m.AdviceValueAssessment))
        db.session.execute(delete(m.AdviceFile))
        db.session.add_all(
            [
                m.AdviceFile(
                    municipality_id=z.id,
                    subject="Deadline vandaag",
                    policy_area="wmo",
                    subject_kind="policy",
                    received_on=today - timedelta(days=40),
                    deadline=today,
                    status="in_progress",
                ),
                m.AdviceFile(
                    municipality_id=z.id,
                    subject="Reactie te laat",
                    policy_area="wmo",
                    subject_kind="policy",
                    received_on=today - timedelta(days=100),
                    sent_on=today - timedelta(days=50),
                    response_due=today - timedelta(days=1),
                    status="sent",
                ),
                m.AdviceFile(
                    municipality_id=z.id,
                    subject="Afgerond dossier",
                    policy_area="wmo",
                    subject_kind="policy",
                    received_on=today - timedelta(days=100),
                    deadline=today,
                    status="closed",
                ),
            ]
        )
        db.session.commit()
    secretary = signed_in(demo, "zaanstad", "secretaris")
    dashboard = secretary.get("/zaanstad/").get_data(as_text=True)
    assert "Deadline vandaag" in dashboard
    assert "Reactie van de gemeente te laat" in dashboard and "Reactie te laat" in dashboard
    assert "Afgerond dossier" not in dashboard
    assert "Zittingstermijn loopt af" in dashboard  # a demo member's term ends in 40 days
    plain = signed_in(demo, "zaanstad", "medewerker")
    assert "Deadline vandaag" not in plain.get("/zaanstad/").get_data(as_text=True)

    cal = secretary.get(f"/zaanstad/kalender?jaar={today.year}&maand={today.month}").get_data(
        as_text=True
    )
    assert "Uiterste datum advies: Deadline vandaag" in cal
    assert "Afgerond dossier" not in cal
    due = today - timedelta(days=1)  # the sent file's response date, perhaps last month
    cal = secretary.get(f"/zaanstad/kalender?jaar={due.year}&maand={due.month}").get_data(
        as_text=True
    )
    assert "Reactie gemeente uiterlijk: Reactie te laat" in cal
    assert "Uiterste datum advies: Reactie te laat" not in cal
    meeting_day = today + timedelta(days=9)  # the demo meeting
    cal = secretary.get(
        f"/zaanstad/kalender?jaar={meeting_day.year}&maand={meeting_day.month}"
    ).get_data(as_text=True)
    assert "Vergadering adviescommissie" in cal


def test_processing_activities_and_demo_data(demo):  # type: ignore[no-untyped-def]
    host = demo.extensions["intranet"].plugins
    with demo.app_context():
        for slug in ("zwolle", "zaanstad"):
            muni = municipalities.by_slug(slug)
            values = (
                db.session.execute(
                    select(m.AgreedValue.name)
                    .where(m.AgreedValue.municipality_id == muni.id)
                    .order_by(m.AgreedValue.position)
                )
                .scalars()
                .all()
            )
            assert (
                values[:2] == ["Professionaliteit / deskundigheid", "Respect"] and len(values) == 5
            )
            files = (
                db.session.execute(
                    select(m.AdviceFile).where(m.AdviceFile.municipality_id == muni.id)
                )
                .scalars()
                .all()
            )
            assert {a.solicited for a in files} == {True, False}
            procurement = next(a for a in files if a.subject_kind == "procurement")
            assert "meedenkgroep" in procurement.participation_advice
            assert len(procurement.recommendations) == 3
        z = _zaanstad()
        activities = [
            a
            for r in host.call_for(z, "intranet_processing_activities")
            if r.plugin == "adviescommissie"
            for a in r.value
        ]
        assert {a.retention_days for a in activities} >= {730}
        assert all(a.retention for a in activities)
        codes = current_app.extensions["intranet"].permissions
        assert {
            "adviescommissie.view",
            "adviescommissie.member",
            "adviescommissie.manage",
            "adviescommissie.respond",
        } <= set(codes)
