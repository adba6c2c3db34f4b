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
        assert action_label("resident.list") == "Lijst van inwoners bekeken"
        assert action_label("raadsgesprekken.summary.viewed") == (
            "Raadsgesprekken: Samenvatting bekeken"
        )
        assert action_label("adviescommissie.status").endswith(": Status gewijzigd")
        assert action_label("meedenkgroepen.trajectory.next_steps").endswith(
            ": Traject volgende stappen"
        )


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


def _recorded_codes() -> set[str]:
    """Every event code the core and the shipped plugins write (``record("…")`` and its
    siblings), read from the source so that a new event without a label is caught."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    call = re.compile(r"\b(?:record|record_now)\(\s*\"([a-z_]+\.[a-z_.]+)\"")
    codes: set[str] = set()
    for folder in ("intranet", "plugins"):
        for path in (root / folder).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            codes.update(call.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_recorded_event_reads_as_dutch(app) -> None:  # type: ignore[no-untyped-def]
    """No code shows as "resident.list (resident.list)" or half English ("Summary bekeken"):
    a core event has its own label, a plugin event is made of known words only."""
    from intranet.audit.labels import CORE_LABELS, VERBS, WORDS, action_label

    codes = _recorded_codes()
    assert len(codes) > 100
    plugins = app.extensions["intranet"].plugins.infos
    unlabelled = []
    with app.test_request_context():
        for code in sorted(codes):
            prefix, _, rest = code.partition(".")
            if prefix not in plugins:
                if code not in CORE_LABELS:
                    unlabelled.append(code)
                continue
            parts = rest.replace("_", ".").split(".")
            known = set(WORDS) | {v for verb in VERBS for v in verb.split("_")}
            if any(p not in known for p in parts) or action_label(code) == code:
                unlabelled.append(code)
    assert unlabelled == []


def test_the_employee_filter_names_who_did_it(demo) -> None:  # type: ignore[no-untyped-def]
    """Pages that store a user name (a report's writer, a status change) show the person, as
    the audit log does; an unknown name stays as it is."""
    from flask import g, render_template_string

    from intranet.municipalities.models import Municipality

    signed_in(demo, "zwolle", "raadslid")  # the employee row exists once signed in
    with demo.test_request_context():
        g.municipality = db.session.execute(
            select(Municipality).where(Municipality.slug == "zwolle")
        ).scalar_one()
        shown = render_template_string("{{ 'raadslid'|medewerker }}|{{ 'onbekend'|medewerker }}")
    assert shown == "Mirjam Bakker (raadslid)|onbekend"
