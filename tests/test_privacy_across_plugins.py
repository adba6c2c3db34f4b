"""Residents' rights across all three built-in plugins, as a privacy officer meets them.

One resident, Fatima El Idrissi, appears in raadsgesprekken (a closed conversation request
about GGZ care, with her name in the report), meedenkgroepen (a think-along group with her
motivation, a panel with her consent, a meeting she attended) and adviescommissie (a member
with lived GGZ experience, whose term ended). All three plugins are enabled in Zwolle.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import String, Text, select

from intranet.access import service as access
from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.privacy import service as privacy
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.adviescommissie.models import CommitteeMember
from plugins.meedenkgroepen import models as mg
from plugins.raadsgesprekken.models import (
    ConversationAppointment,
    ConversationReport,
    ConversationRequest,
)

NAME, EMAIL, PHONE = "Fatima El Idrissi", "f.elidrissi@example.org", "06 98765432"
PLUGINS = ("raadsgesprekken", "meedenkgroepen", "adviescommissie")
#: values that are special-category data, one per plugin
SPECIAL = ("ggz-hulp", "Ik sta zelf op de GGZ-wachtlijst", "Ervaringsdeskundige GGZ")


@pytest.fixture
def fatima(demo) -> int:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        for plugin in PLUGINS:
            municipalities.set_plugin_enabled(zwolle, plugin, True)
        mid = zwolle.id
        resident = Resident(municipality_id=mid, name=NAME, email=EMAIL, phone=PHONE, kind="client")
        db.session.add(resident)
        db.session.flush()
        closed = datetime(2026, 2, 2, 12, 0, tzinfo=UTC)
        appointment = ConversationAppointment(
            municipality_id=mid,
            starts_at=closed - timedelta(days=30),
            ends_at=closed - timedelta(days=30, hours=-1),
            form="home",
            place="Dorpsstraat 5",
        )
        db.session.add(appointment)
        db.session.flush()
        db.session.add(
            ConversationReport(
                municipality_id=mid,
                appointment_id=appointment.id,
                themes=["wachttijden"],
                important=f"{NAME} wacht al een jaar op hulp.",
                written_by="griffier",
            )
        )
        db.session.add(
            ConversationRequest(
                municipality_id=mid,
                resident_id=resident.id,
                requester="client",
                care_kinds=["ggz-hulp"],
                received_via="wijkteam",
                form="home",
                grouping="alone",
                channel="phone",
                requested_on=date(2026, 1, 5),
                status="afgerond",
                closed_at=closed,
                appointment_id=appointment.id,
            )
        )
        group = mg.Group(municipality_id=mid, theme="GGZ-wachtlijsten Zwolle")
        panel = mg.Panel(municipality_id=mid, name="Zorgpanel Zwolle", themes=[])
        db.session.add_all([group, panel])
        db.session.flush()
        db.session.add(
            mg.Membership(
                municipality_id=mid,
                group_id=group.id,
                resident_id=resident.id,
                signed_up_on=date(2026, 1, 10),
                channel="telefoon",
                motivation="Ik sta zelf op de GGZ-wachtlijst",
                left_on=date(2026, 3, 1),
            )
        )
        db.session.add(
            mg.PanelMember(
                municipality_id=mid,
                panel_id=panel.id,
                resident_id=resident.id,
                themes=[],
                joined_on=date(2026, 1, 10),
                left_at=datetime(2026, 3, 1, tzinfo=UTC),
            )
        )
        db.session.add_all(
            Consent(
                municipality_id=mid,
                resident_id=resident.id,
                purpose=purpose,
                method="verbal",
                given_on=date(2026, 1, 10),
            )
            for purpose in (mg.GROUP_CONSENT, mg.PANEL_CONSENT)
        )
        db.session.add(
            CommitteeMember(
                municipality_id=mid,
                resident_id=resident.id,
                role="member",
                expertise="Ervaringsdeskundige GGZ",
                term_start=date(2022, 1, 1),
                term_end=date(2026, 1, 1),
            )
        )
        db.session.commit()
        return resident.id


def _officer(app, special: bool):  # type: ignore[no-untyped-def]
    """Zwolle's access administrator, who holds the privacy role; with or without art. 9 data."""
    with app.app_context():
        zwolle = municipalities.by_slug("zwolle")
        role = access.role_by_name(zwolle, "privacy")
        codes = role.permission_codes | {"core.privacy.special"}
        if not special:
            codes -= {"core.privacy.special"}
        access.update_role(
            zwolle,
            role,
            name=role.name,
            title=role.title,
            description=role.description,
            permissions=codes,
        )
        db.session.commit()
    return signed_in(app, "zwolle", "beheerder")


def _rows_containing(app, *needles: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text cell of every table (core and plugins) that still holds one of the values."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)).all():
                for value in row:
                    if value and any(n.lower() in str(value).lower() for n in needles):
                        found.append(f"{table.name}: {value}")
    return found


def test_access_request_gathers_all_three_plugins(demo, fatima) -> None:  # type: ignore[no-untyped-def]
    officer = _officer(demo, special=True)
    page = officer.get(f"/zwolle/inwoners/{fatima}/inzage")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for title in ("Raadsgesprekken", "Meedenkgroepen en panels", "Adviescommissie"):
        assert title in text
    for value in SPECIAL:
        assert value in text
    assert "Vragenlijsten van een panel ontvangen" in text  # the consent, by its label
    data = json.loads(officer.get(f"/zwolle/inwoners/{fatima}/inzage?formaat=json").data)
    assert {s["plugin"] for s in data["sections"]} >= set(PLUGINS)
    pdf = officer.get(f"/zwolle/inwoners/{fatima}/inzage.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_special_category_data_is_withheld_in_every_plugin_without_the_permission(
    demo, fatima
) -> None:  # type: ignore[no-untyped-def]
    officer = _officer(demo, special=False)
    text = officer.get(f"/zwolle/inwoners/{fatima}/inzage").get_data(as_text=True)
    # The answer to an access request is complete (AVG art. 15): the resident is entitled to
    # all of their data, special categories included; answering it needs the privacy
    # permission and the read is audited (tests/test_worksurface_defects.py).
    for value in SPECIAL:
        assert value in text
    # Everywhere else (exports, documents for others) the special fields stay withheld:
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        data = privacy.personal_data(
            zwolle, db.session.get(Resident, fatima), include_special=False
        )
        flat = json.dumps(privacy.as_json(data), ensure_ascii=False)
        assert not [v for v in SPECIAL if v in flat]
        withheld = {
            s.plugin
            for s in data["sections"]
            for record in s.records
            if privacy.WITHHELD in record.values()
        }
        assert withheld >= set(PLUGINS)


def test_special_fields_in_the_plugins_pages_follow_the_permission(demo, fatima) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        group_id = db.session.execute(
            select(mg.Membership.group_id).where(mg.Membership.resident_id == fatima)
        ).scalar_one()
    for name, codes in (
        ("lezer-zonder", ["meedenkgroepen.view", "adviescommissie.view"]),
        ("lezer-met", ["meedenkgroepen.view", "adviescommissie.view", "core.privacy.special"]),
    ):
        with demo.app_context():
            zwolle = municipalities.by_slug("zwolle")
            role = access.create_role(zwolle, name, name, codes)
            access.map_group(zwolle, "cn=beleidsmedewerkers,ou=groups,dc=zwolle,dc=demo", role)
            db.session.commit()
        reader = signed_in(demo, "zwolle", "beleid")
        group_page = reader.get(f"/zwolle/meedenkgroepen/groepen/{group_id}")
        members_page = reader.get("/zwolle/adviescommissie/commissie")
        assert group_page.status_code == members_page.status_code == 200
        shown = name == "lezer-met"
        assert (SPECIAL[1] in group_page.get_data(as_text=True)) is shown
        assert (SPECIAL[2] in members_page.get_data(as_text=True)) is shown
    with demo.app_context():
        reads = db.session.execute(
            select(AuditEvent.object_type).where(AuditEvent.action == "privacy.special_read")
        ).scalars()
        # one event per resident read (intranet.privacy.special), none for who may not see
        assert sorted(set(reads)) == ["adviescommissie_member", "meedenkgroep"]


def test_erasure_leaves_nothing_findable_in_any_plugin(demo, fatima) -> None:  # type: ignore[no-untyped-def]
    officer = _officer(demo, special=True)
    assert officer.get(f"/zwolle/inwoners/{fatima}").status_code == 200
    assert _rows_containing(demo, NAME, EMAIL, PHONE)  # she is there before
    done = post(
        officer,
        f"/zwolle/inwoners/{fatima}/verwijderen",
        {"reason": "Verwijderverzoek 2026-211", "confirm": "VERWIJDEREN"},
    )
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    for plugin in PLUGINS:
        assert plugin in body  # what each plugin did
    # (the kind of care stays on the anonymous request, for the figures; "ggz-hulp" is also
    # one of the plugin's list items, so only her own words are searched for)
    assert _rows_containing(demo, NAME, EMAIL, PHONE, *SPECIAL[1:]) == []
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        assert privacy.residents_findable(zwolle, NAME, EMAIL, PHONE) == []
        erased = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "privacy.erased")
        ).scalar_one()
        assert erased.object_id == str(fatima)  # the fact stays, without her data
        assert NAME not in json.dumps(erased.details)


def _retention_counts(reports) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {r.plugin: sum(r.deleted.values()) + sum(r.anonymised.values()) for r in reports}


def test_retention_with_a_fixed_clock_in_every_plugin(demo, fatima) -> None:  # type: ignore[no-untyped-def]
    soon = datetime(2026, 6, 1, tzinfo=UTC)
    later = datetime(2031, 6, 1, tzinfo=UTC)  # past every default period of her data
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        early = _retention_counts(privacy.run_retention(zwolle, soon, dry_run=True))
        assert early["adviescommissie"] == 0 and early["meedenkgroepen"] == 0
        dry = _retention_counts(privacy.run_retention(zwolle, later, dry_run=True))
        db.session.commit()
        assert all(dry[p] > 0 for p in PLUGINS), dry
        assert _rows_containing(demo, *SPECIAL[1:])  # a dry run changes nothing
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        real = _retention_counts(privacy.run_retention(zwolle, later, dry_run=False))
        db.session.commit()
        assert all(real[p] > 0 for p in PLUGINS), real
    assert _rows_containing(demo, *SPECIAL[1:]) == []  # membership and committee seat gone
    with demo.app_context():
        request = db.session.execute(
            select(ConversationRequest)
            .where(ConversationRequest.care_kinds.is_not(None))
            .where(ConversationRequest.closed_at == datetime(2026, 2, 2, 12, 0, tzinfo=UTC))
        ).scalar_one()
        assert request.resident_id is None and request.anonymised_at is not None
        assert NAME not in request.appointment.report.important


def test_processing_register_lists_every_plugin(demo, fatima) -> None:  # type: ignore[no-untyped-def]
    officer = _officer(demo, special=False)
    page = officer.get("/zwolle/privacy/verwerkingsregister").get_data(as_text=True)
    for activity in (
        "Vragenlijstpanels",
        "Leden van de adviescommissie sociaal domein",
        "gegevens over gezondheid (soort zorg)",
        "gegevens over gezondheid (ervaringsdeskundigheid)",
        "gegevens over gezondheid (motivatie van deelnemers)",
    ):
        assert activity in page
    csv_text = officer.get("/zwolle/privacy/verwerkingsregister.csv").get_data(as_text=True)
    assert "Vragenlijstpanels" in csv_text and "Adviesregister adviescommissie" in csv_text


def test_a_municipality_sets_its_own_retention_period(demo, fatima) -> None:  # type: ignore[no-untyped-def]
    officer = _officer(demo, special=False)
    page = officer.get("/zwolle/privacy/bewaartermijnen").get_data(as_text=True)
    for label in (
        "Lidmaatschappen van meedenkgroepen, na afmelding",
        "Panelleden, na afmelding",
        "Leden, na het einde van de zittingstermijn",
    ):
        assert label in page
    url = "/zwolle/privacy/bewaartermijnen/adviescommissie/leden"
    bad = post(officer, url, {"adviescommissie-leden-days": "twee jaar"})
    assert bad.status_code == 400
    assert "Vul een heel aantal dagen in tussen 1 en 36500" in " ".join(
        form_errors(bad.get_data(as_text=True))
    )
    assert 'value="twee jaar"' in bad.get_data(as_text=True)  # what was typed stays
    soon = datetime(2026, 6, 1, tzinfo=UTC)  # five months after her term ended
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        before = _retention_counts(privacy.run_retention(zwolle, soon, dry_run=True))
        db.session.rollback()
    assert before["adviescommissie"] == 0  # the default is two years
    assert post(officer, url, {"adviescommissie-leden-days": "30"}).status_code == 302
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        after = _retention_counts(privacy.run_retention(zwolle, soon, dry_run=True))
        db.session.rollback()
        change = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "privacy.retention_changed")
        ).scalar_one()
        assert change.object_id == "adviescommissie.leden"
        assert change.details == {"before": None, "after": 30}
    assert after["adviescommissie"] > 0
    register = officer.get("/zwolle/privacy/verwerkingsregister").get_data(as_text=True)
    assert "30 dagen (eigen termijn van de gemeente)" in register
    assert post(officer, url, {"adviescommissie-leden-days": ""}).status_code == 302
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        assert privacy.retention_days(zwolle, "adviescommissie", "leden", 730) == 730
    unknown = post(officer, "/zwolle/privacy/bewaartermijnen/adviescommissie/niets", {})
    assert unknown.status_code == 404
    clerk = signed_in(demo, "zwolle", "griffier")  # no privacy role
    assert post(clerk, url, {"adviescommissie-leden-days": "1"}).status_code == 403
    assert clerk.get("/zwolle/privacy/bewaartermijnen").status_code == 403
