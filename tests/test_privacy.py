"""Residents' rights: access request, erasure, retention, register, special categories, access log."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import String, Text, select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service
from intranet.privacy.models import ErasureRequest
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import form_errors, post, signed_in


@pytest.fixture
def officer(demo):  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        service.set_plugin_enabled(zwolle, "everything", True)
        db.session.commit()
    return signed_in(demo, "zwolle", "beheerder")


def _anna(app) -> Resident:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(
            select(Resident).where(Resident.name == "Anna de Jong")
        ).scalar_one()


def test_access_request_page_json_and_pdf(demo, officer) -> None:  # type: ignore[no-untyped-def]
    anna = _anna(demo)
    signed_in(demo, "zwolle", "griffier").get(
        f"/zwolle/inwoners/{anna.id}"
    )  # a read to show in the log
    page = officer.get(f"/zwolle/inwoners/{anna.id}/inzage").get_data(as_text=True)
    assert "Inwonersregister" in page and "anna.dejong@example.org" in page
    assert "Benaderd worden voor participatie" in page  # the consent, by its label
    assert "Alles" in page  # the test plugin's section
    assert "griffier" in page and "resident.viewed" in page  # who viewed
    assert "GGZ-wachtlijst" in page  # AVG art. 15: the resident gets all of their own data
    data = json.loads(officer.get(f"/zwolle/inwoners/{anna.id}/inzage?formaat=json").data)
    assert data["resident_id"] == anna.id
    assert {s["plugin"] for s in data["sections"]} >= {"core", "everything"}
    assert any(e["employee"] == "griffier" for e in data["access_log"])
    pdf = officer.get(f"/zwolle/inwoners/{anna.id}/inzage.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    with demo.app_context():
        assert (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "privacy.access_request")
            )
            .scalars()
            .all()
        )


def test_special_categories_need_the_permission_and_every_read_is_audited(demo, officer) -> None:  # type: ignore[no-untyped-def]
    anna = _anna(demo)
    with demo.app_context():
        from intranet.access import service as access

        zwolle = service.by_slug("zwolle")
        access.grant_permissions(
            zwolle, access.role_by_name(zwolle, "privacy"), ["core.privacy.special"]
        )
        db.session.commit()
    page = officer.get(f"/zwolle/inwoners/{anna.id}/inzage").get_data(as_text=True)
    assert "GGZ-wachtlijst" in page
    with demo.app_context():
        event = (
            db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "privacy.access_request")
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()[-1]
        )
        assert event.details == {"special_included": True}


def test_cli_export_json_and_pdf(demo, officer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    anna = _anna(demo)
    runner = demo.test_cli_runner()
    result = runner.invoke(
        args=["intranet", "privacy", "export", str(anna.id), "--municipality", "zwolle"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sections"][0]["records"][0]["naam"] == "Anna de Jong"
    out = tmp_path / "inzage.pdf"
    result = runner.invoke(
        args=[
            "intranet",
            "privacy",
            "export",
            str(anna.id),
            "--municipality",
            "zwolle",
            "--format",
            "pdf",
            "--output",
            str(out),
        ]
    )
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    wrong = runner.invoke(
        args=["intranet", "privacy", "export", str(anna.id), "--municipality", "zaanstad"]
    )
    assert wrong.exit_code != 0 and "bestaat niet" in wrong.output


def _rows_containing(app, *needles: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text cell in every table that still contains one of the values."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            text_columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            for row in db.session.execute(select(*text_columns)).all() if text_columns else []:
                for value in row:
                    if value and any(n.lower() in str(value).lower() for n in needles):
                        found.append(f"{table.name}: {value}")
    return found


def test_erasure_leaves_no_trace_and_keeps_the_fact(demo, officer) -> None:  # type: ignore[no-untyped-def]
    anna = _anna(demo)
    officer.get(f"/zwolle/inwoners/{anna.id}")
    refused = post(
        officer, f"/zwolle/inwoners/{anna.id}/verwijderen", {"reason": "", "confirm": "ja"}
    )
    assert refused.status_code == 400
    errors = form_errors(refused.get_data(as_text=True))
    assert "Typ precies VERWIJDEREN om te bevestigen." in errors
    assert _anna(demo).email == "anna.dejong@example.org"  # nothing lost on bad input
    done = post(
        officer,
        f"/zwolle/inwoners/{anna.id}/verwijderen",
        {"reason": "Verzoek 2026-117", "confirm": "VERWIJDEREN"},
    )
    assert done.status_code == 200
    body = done.get_data(as_text=True)
    assert "Fiscale bewaarplicht" in body  # what a plugin must keep, and why
    assert _rows_containing(demo, "Anna de Jong", "anna.dejong@example.org", "06 12345601") == []
    with demo.app_context():
        erasure = db.session.execute(select(ErasureRequest)).scalar_one()
        assert erasure.resident_id == anna.id and erasure.handled_by == "beheerder"
        assert (
            db.session.execute(select(Consent).where(Consent.resident_id == anna.id)).first()
            is None
        )
        erased = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "privacy.erased")
        ).scalar_one()
        assert erased.object_id == str(anna.id)
        views = (
            db.session.execute(
                select(AuditEvent).where(
                    AuditEvent.action == "resident.viewed", AuditEvent.object_id == str(anna.id)
                )
            )
            .scalars()
            .all()
        )
        assert views  # the audit trail keeps the fact of earlier reads


def test_who_viewed_this_resident(demo, officer) -> None:  # type: ignore[no-untyped-def]
    anna = _anna(demo)
    signed_in(demo, "zwolle", "griffier").get(f"/zwolle/inwoners/{anna.id}")
    page = officer.get(f"/zwolle/inwoners/{anna.id}/inzagelog").get_data(as_text=True)
    assert "griffier" in page and "resident.viewed" in page
    assert "coordinator" not in page


def test_processing_register_page_and_csv(demo, officer) -> None:  # type: ignore[no-untyped-def]
    page = officer.get("/zwolle/privacy/verwerkingsregister").get_data(as_text=True)
    assert "College van burgemeester en wethouders van de gemeente Zwolle" in page
    assert "Inwonersregister cliëntparticipatie" in page and "Testen" in page
    csv = officer.get("/zwolle/privacy/verwerkingsregister.csv").get_data(as_text=True)
    assert csv.startswith("\ufeffonderdeel;verwerking;doel;grondslag")
    assert "Auditlog" in csv


def test_retention_dry_run_then_run(demo, officer) -> None:  # type: ignore[no-untyped-def]
    runner = demo.test_cli_runner()
    dry = runner.invoke(
        args=["intranet", "retention", "run", "--dry-run", "--municipality", "zwolle"]
    )
    assert dry.exit_code == 0 and "zwolle\teverything\talles\tzou verwijderen: 0" in dry.output
    real = runner.invoke(args=["intranet", "retention", "run", "--municipality", "zwolle"])
    assert "zwolle\teverything\talles\tverwijderd: 1" in real.output
    with demo.app_context():
        actions = [
            e.action
            for e in db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.action.startswith("privacy.retention"))
                .order_by(AuditEvent.id)
            ).scalars()
        ]
        assert actions == ["privacy.retention_dry_run", "privacy.retention_run"]


def test_retention_as_a_background_job(demo, officer) -> None:  # type: ignore[no-untyped-def]
    demo.config["JOBS_EAGER"] = True
    try:
        result = demo.test_cli_runner().invoke(args=["intranet", "retention", "schedule"])
    finally:
        demo.config["JOBS_EAGER"] = False
    assert result.exit_code == 0, result.output
    jobs = demo.test_cli_runner().invoke(args=["intranet", "jobs"]).output
    assert "Klaar" in jobs and "zwolle/everything: 1" in jobs


def test_privacy_pages_need_permission(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    anna = _anna(demo)
    for url in (
        f"/zwolle/inwoners/{anna.id}/inzage",
        f"/zwolle/inwoners/{anna.id}/verwijderen",
        "/zwolle/privacy/verwerkingsregister",
    ):
        assert clerk.get(url).status_code == 403
