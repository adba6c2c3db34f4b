"""The audit log for people: Dutch labels for event codes, the actor's name (a role sync on
sign-in is the directory's doing, not "anoniem"), and dates typed as dd-mm-jjjj."""

from __future__ import annotations

from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.testing.helpers import form_errors, signed_in


def test_role_sync_on_sign_in_names_the_directory_and_reads_as_dutch(demo) -> None:  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        synced = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "access.group_roles_synced")
            )
            .scalars()
            .all()
        )
        assert synced, "signing in for the first time syncs the roles from the groups"
        assert {e.actor for e in synced} == {"directory"}
    admin = signed_in(demo, "zwolle", "beheerder")
    body = admin.get("/zwolle/audit/?handeling=access.group_roles_synced").get_data(as_text=True)
    assert "Rollen bijgewerkt uit de directorygroepen" in body
    assert "Koppeling met de directory" in body
    assert "anoniem" not in body
    body = admin.get("/zwolle/audit/?handeling=auth.login").get_data(as_text=True)
    assert "Aangemeld" in body
    # the employee's display name, not only the user name
    with demo.app_context():
        from intranet.auth.models import Employee

        name = db.session.execute(
            select(Employee.display_name).where(Employee.username == "griffier")
        ).scalar_one()
    assert f"{name} (griffier)" in body


def test_a_plugin_event_gets_a_dutch_sentence(app) -> None:  # type: ignore[no-untyped-def]
    from intranet.audit.labels import action_label

    with app.test_request_context():
        assert (
            action_label("raadsgesprekken.appointment.held") == "Raadsgesprekken: Gesprek gevoerd"
        )
        assert action_label("meedenkgroepen.questionnaire.send_requested").endswith(
            "Vragenlijst verzending gevraagd"
        )
        assert action_label("unknown.thing") == "unknown.thing"


def test_audit_dates_accept_dd_mm_jjjj(demo) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(demo, "zwolle", "beheerder")
    response = admin.get("/zwolle/audit/?van=30-11-2026&tot=31-12-2099")
    assert response.status_code == 200
    assert form_errors(response.get_data(as_text=True)) == []
    response = admin.get("/zwolle/audit/?van=2026-11-30")
    assert form_errors(response.get_data(as_text=True)) == []
    response = admin.get("/zwolle/audit/?van=31-02-2026")
    errors = form_errors(response.get_data(as_text=True))
    assert errors and "dd-mm-jjjj" in errors[0]
    # a day after everything: nothing found, so the filter really applies
    body = admin.get("/zwolle/audit/?van=01-01-2099").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in body
