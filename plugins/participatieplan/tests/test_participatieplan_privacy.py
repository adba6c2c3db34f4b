"""Personal data in the plugin: the residents who took part in a werkatelier or a co-creation
session. Access requests list it (also when the plugin is off), erasure removes the person and
keeps the input without them, the retention run does the same after its period (a period the
municipality may change), and the register names both activities."""

from __future__ import annotations

from datetime import timedelta

from intranet_participatieplan.models import (
    PERSONA_CONSENT,
    WORKSHOP_CONSENT,
    CocreationSession,
    PersonaVersion,
    SessionParticipant,
    Workshop,
    WorkshopInput,
    WorkshopParticipant,
)
from participatieplan_fixtures import enable, first, zwolle
from sqlalchemy import select

from intranet.extensions import db
from intranet.plugin_api import utcnow
from intranet.privacy import service as privacy
from intranet.residents.models import Resident


def _client_participant(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(resident id, participant id) of a client at the demo werkatelier."""
    with app.app_context():
        p = (
            db.session.execute(
                select(WorkshopParticipant)
                .where(WorkshopParticipant.kind == "client")
                .order_by(WorkshopParticipant.id)
            )
            .scalars()
            .first()
        )
        return p.resident_id, p.id


def test_access_request_lists_workshops_and_sessions_also_when_switched_off(plan) -> None:  # type: ignore[no-untyped-def]
    resident_id, _pid = _client_participant(plan)
    enable(plan, "zwolle", "participatieplan", on=False)  # a disabled plugin still holds data
    with plan.app_context():
        resident = db.session.get(Resident, resident_id)
        data = privacy.personal_data(zwolle(), resident, include_special=False)
        section = next(s for s in data["sections"] if s.plugin == "participatieplan")
        kinds = [r["soort"] for r in section.records]
        assert "deelname aan een werkatelier" in kinds
        assert "deelname aan een cocreatiesessie voor persona's" in kinds
        workshop = next(r for r in section.records if r["soort"] == "deelname aan een werkatelier")
        assert workshop["werkatelier"] == "Denken vanuit de inwoner" and workshop["inbreng"]
    # the access-request page writes the list of contributions as text, not as a Python list
    from intranet.testing.helpers import signed_in

    officer = signed_in(plan, "zwolle", "beheerder")
    page = officer.get(f"/zwolle/inwoners/{resident_id}/inzage").get_data(as_text=True)
    assert workshop["inbreng"][0] in page
    assert "[&#39;" not in page and "['" not in page


def test_erasure_removes_the_person_and_keeps_the_input_and_the_persona(plan) -> None:  # type: ignore[no-untyped-def]
    resident_id, participant_id = _client_participant(plan)
    with plan.app_context():
        resident = db.session.get(Resident, resident_id)
        text = db.session.execute(
            select(WorkshopInput.text).where(WorkshopInput.participant_id == participant_id)
        ).scalar_one()
        request = privacy.erase(zwolle(), resident, "Verzoek 2026-200", handled_by="test")
        db.session.commit()
        outcome = next(o for o in request.outcome if o["plugin"] == "participatieplan")
        assert any("werkateliers" in e for e in outcome["erased"])
        assert any("cocreatiesessies" in e for e in outcome["erased"])
        assert outcome["kept"] and "persona" in outcome["kept"][0][0]
        assert not db.session.execute(
            select(WorkshopParticipant).where(WorkshopParticipant.resident_id == resident_id)
        ).first()
        assert not db.session.execute(
            select(SessionParticipant).where(SessionParticipant.resident_id == resident_id)
        ).first()
        kept = db.session.execute(
            select(WorkshopInput).where(WorkshopInput.text == text)
        ).scalar_one()
        assert kept.participant_id is None and kept.kind == "client"
        assert db.session.execute(select(PersonaVersion)).first() is not None


def test_retention_run_counts_then_removes_after_the_period(plan) -> None:  # type: ignore[no-untyped-def]
    with plan.app_context():
        municipality = zwolle()
        late = utcnow() + timedelta(days=3 * 365)
        reports = {r.plugin: r for r in privacy.run_retention(municipality, late, dry_run=True)}
        report = reports["participatieplan"]
        assert report.anonymised == {"werkatelierdeelnemers": 2}
        assert report.deleted == {"sessiedeelnemers": 2}
        assert db.session.execute(select(SessionParticipant)).first() is not None  # dry run
        now = {r.plugin: r for r in privacy.run_retention(municipality, utcnow(), dry_run=True)}
        assert now["participatieplan"].deleted == {"sessiedeelnemers": 0}
        # the municipality's own, shorter period counts
        privacy.set_retention(municipality, "participatieplan", "sessiedeelnemers", 10)
        db.session.commit()
        shorter = {r.plugin: r for r in privacy.run_retention(municipality, utcnow(), dry_run=True)}
        assert shorter["participatieplan"].deleted == {"sessiedeelnemers": 2}
        privacy.run_retention(municipality, late, dry_run=False)
        db.session.commit()
        assert db.session.execute(select(SessionParticipant)).first() is None
        assert (
            db.session.execute(
                select(WorkshopParticipant).where(WorkshopParticipant.resident_id.is_not(None))
            ).first()
            is None
        )
        assert db.session.execute(select(WorkshopInput)).first() is not None
        assert db.session.execute(select(CocreationSession)).first() is not None
        assert first(plan, Workshop) is not None


def test_register_and_consent_purposes(plan) -> None:  # type: ignore[no-untyped-def]
    host = plan.extensions["intranet"].plugins
    with plan.app_context():
        activities = [
            a
            for r in host.call_for(zwolle(), "intranet_processing_activities")
            if r.plugin == "participatieplan"
            for a in r.value
        ]
        assert {a.name for a in activities} == {
            "Werkateliers participatieplan",
            "Persona's met de doelgroep",
        }
        keys = {c.key for a in activities for c in a.retention_categories}
        assert keys == {"werkatelierdeelnemers", "sessiedeelnemers"}
    purposes = plan.extensions["intranet"].consent_purposes
    assert purposes[WORKSHOP_CONSENT][0] == "participatieplan"
    assert purposes[PERSONA_CONSENT][0] == "participatieplan"
