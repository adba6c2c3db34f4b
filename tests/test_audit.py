"""The audit log: append-only, filterable, exportable, and safe to open in a spreadsheet."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEvent, AuditLogIsAppendOnly
from intranet.extensions import db
from intranet.testing.helpers import login, signed_in


def test_audit_events_cannot_be_changed_or_deleted(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        event = db.session.execute(select(AuditEvent)).scalars().first()
        event.action = "tampered"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.execute(select(AuditEvent)).scalars().first())
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()


def test_sign_in_failures_and_successes_are_logged_with_origin(demo) -> None:  # type: ignore[no-untyped-def]
    login(demo.test_client(), "zwolle", "griffier", "fout")
    signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        events = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "auth.login").order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        assert [(e.result, e.actor) for e in events] == [
            ("failure", "griffier"),
            ("success", "griffier"),
        ]
        assert all(e.origin == "127.0.0.1" for e in events)
        assert "fout" not in str(events[0].details)


def test_filter_and_export(demo) -> None:  # type: ignore[no-untyped-def]
    login(demo.test_client(), "zwolle", "=cmd|' /C calc'!A0", "x")
    admin = signed_in(demo, "zwolle", "beheerder")
    page = admin.get("/zwolle/audit/?handeling=auth.login&resultaat=failure").get_data(as_text=True)
    assert "auth.login" in page and "plugin.enabled" not in page
    assert "plugin.enabled" in admin.get("/zwolle/audit/?handeling=plugin").get_data(as_text=True)
    export = admin.get("/zwolle/audit/export.csv?handeling=auth.login")
    assert export.mimetype == "text/csv"
    text = export.get_data(as_text=True)
    assert text.startswith("\ufefftijd;medewerker;handeling")
    assert ";'=cmd|" in text  # formula neutralised
    with demo.app_context():
        assert (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
            .scalar_one()
            .actor
            == "beheerder"
        )


def test_bad_dates_in_filter_show_errors_next_to_fields(demo) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(demo, "zwolle", "beheerder")
    response = admin.get("/zwolle/audit/?van=gisteren")
    assert response.status_code == 200
    assert "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 30-11-2026." in response.get_data(
        as_text=True
    )


def test_audit_log_shows_only_own_municipality(demo) -> None:  # type: ignore[no-untyped-def]
    signed_in(demo, "zaanstad", "coordinator")
    admin = signed_in(demo, "zwolle", "beheerder")
    page = admin.get("/zwolle/audit/?handeling=auth.login").get_data(as_text=True)
    assert "coordinator" not in page and "beheerder" in page


def test_audit_page_needs_permission(demo) -> None:  # type: ignore[no-untyped-def]
    assert signed_in(demo, "zwolle", "griffier").get("/zwolle/audit/").status_code == 403
