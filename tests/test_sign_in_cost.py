"""What a sign-in costs, counted (not timed): statements, commits, storage round trips.

The sign-in POST keeps every part it had - the employee record, the role sync, the audit
event in its hash chain, both rate limits - but does each with as few statements as it can:
one commit, no role rows written when the directory groups did not change, no rows read back
after the commit. Real slapd and database; no timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import event, func, select
from wtforms import IntegerField

from intranet.access.models import RoleAssignment
from intranet.audit.chain import verify_chain
from intranet.audit.models import AuditEvent
from intranet.auth.models import Employee
from intranet.extensions import db, limiter
from intranet.testing.helpers import login
from intranet.web.i18n import _WTFORMS_CATALOGS


@contextmanager
def statements(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """The SQL statements and commits (as ``"COMMIT"``) the app runs inside the block."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def on_statement(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    def on_commit(_conn) -> None:  # type: ignore[no-untyped-def]
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)


def _events(app, action: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


def test_a_repeated_sign_in_writes_the_employee_and_the_audit_event_in_one_commit(demo) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):  # the first sign-in syncs the roles, the second fills the caches again
        assert login(demo.test_client(), "zwolle", "griffier").status_code == 302
    logins_before = _events(demo, "auth.login")
    synced_before = _events(demo, "access.group_roles_synced")
    with statements(demo) as seen:
        assert login(demo.test_client(), "zwolle", "griffier").status_code == 302
    writes = [s for s in seen if s.split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")]
    assert seen.count("COMMIT") == 1, seen
    # the groups did not change: no role row is written and no sync event recorded
    assert not [s for s in writes if "role_assignment" in s], writes
    assert _events(demo, "access.group_roles_synced") == synced_before
    # the employee's last sign-in and the audit event are written; nothing is read back
    assert any(s.startswith("UPDATE employee") for s in writes), writes
    assert any(s.startswith("INSERT INTO audit_event") for s in writes), writes
    assert _events(demo, "auth.login") == logins_before + 1
    assert len(seen) <= 8, seen  # 7 statements and the commit on SQLite (PostgreSQL alike)
    with demo.app_context():
        zwolle = db.session.scalar(
            select(Employee.municipality_id).where(Employee.username == "griffier")
        )
        assert verify_chain(db.session, zwolle).broken is None


def test_the_session_after_sign_in_is_the_employee_s_current_one(demo) -> None:  # type: ignore[no-untyped-def]
    """Rows are not read back after the commit: the cookie must still name the right version."""
    client = demo.test_client()
    assert login(client, "zwolle", "griffier").status_code == 302
    assert client.get("/zwolle/").status_code == 200
    with demo.app_context():
        employee = db.session.execute(
            select(Employee).where(Employee.username == "griffier")
        ).scalar_one()
        employee.session_version += 1  # ends every session of this employee
        db.session.commit()
    assert client.get("/zwolle/").status_code == 302
    assert login(client, "zwolle", "griffier").status_code == 302
    assert client.get("/zwolle/").status_code == 200


def test_changed_groups_are_still_synced_at_sign_in(demo) -> None:  # type: ignore[no-untyped-def]
    assert login(demo.test_client(), "zwolle", "griffier").status_code == 302
    with demo.app_context():
        employee = db.session.execute(
            select(Employee).where(Employee.username == "griffier")
        ).scalar_one()
        employee_id = employee.id
        held = db.session.scalars(
            select(RoleAssignment).where(RoleAssignment.employee_id == employee_id)
        ).all()
        assert held
        for assignment in held:
            db.session.delete(assignment)
        db.session.commit()
    synced_before = _events(demo, "access.group_roles_synced")
    assert login(demo.test_client(), "zwolle", "griffier").status_code == 302
    assert _events(demo, "access.group_roles_synced") == synced_before + 1
    with demo.app_context():
        assert db.session.scalar(
            select(func.count())
            .select_from(RoleAssignment)
            .where(RoleAssignment.employee_id == employee_id)
        ) == len(held)


@pytest.fixture
def strict_limits(demo):  # type: ignore[no-untyped-def]
    saved = {k: demo.config[k] for k in ("LOGIN_LIMIT_PER_ADDRESS", "LOGIN_LIMIT_PER_USERNAME")}
    demo.config["LOGIN_LIMIT_PER_USERNAME"] = "2 per minute"
    demo.config["LOGIN_LIMIT_PER_ADDRESS"] = "1000 per minute"
    limiter.reset()
    yield demo
    demo.config.update(saved)
    limiter.reset()


def test_limited_answers_tell_nobody_the_remaining_attempts_but_a_refusal_says_when(
    strict_limits,
) -> None:  # type: ignore[no-untyped-def]
    client = strict_limits.test_client()
    for _ in range(2):
        response = login(client, "zwolle", "raadslid2", "wrong-password")
        assert response.status_code == 401
        # no X-RateLimit-* headers: they would tell how many attempts others made on a name
        assert not [k for k, _ in response.headers.items() if k.lower().startswith("x-ratelimit")]
    refused = login(client, "zwolle", "raadslid2")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert "te vaak" in refused.get_data(as_text=True)


class _NumberForm(FlaskForm):
    class Meta:
        csrf = False

    number = IntegerField("Aantal")


@pytest.mark.parametrize(
    ("locale", "message"),
    [("nl", "Ongeldig getal."), ("en", "Not a valid integer value.")],
)
def test_wtforms_messages_follow_the_language_from_the_shared_catalog(
    demo, locale: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    """WTForms' own messages come from a catalog read once per process, per language."""
    for _ in range(2):  # the second request uses the catalog kept from the first
        with demo.test_request_context("/", method="POST", data={"number": "vijf"}):
            from flask import session

            session["locale"] = locale
            demo.preprocess_request()
            form = _NumberForm()
            assert not form.validate()
            assert form.number.errors == [message]
    assert locale in _WTFORMS_CATALOGS


@pytest.mark.parametrize("username", ["griffier", "niemand-bekend"])
def test_a_refused_sign_in_is_audited_with_one_insert_and_reads_nothing_back(
    demo, username
) -> None:  # type: ignore[no-untyped-def]
    """Wrong password and unknown user take the same path: chain lock, last hash, INSERT."""
    client = demo.test_client()
    client.get("/zwolle/inloggen")
    failures_before = _events(demo, "auth.login")
    with statements(demo) as seen:
        assert login(client, "zwolle", username, password="fout-wachtwoord").status_code == 401
    writes = [s for s in seen if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [s.split(" (")[0] for s in writes if s.startswith("INSERT")] == [
        "INSERT INTO audit_event"
    ], writes
    assert seen.count("COMMIT") == 1, seen
    # the commit kept the loaded municipality: the refusal page does not read it again
    assert not [s for s in seen[seen.index("COMMIT") :] if "FROM municipality" in s], seen
    assert _events(demo, "auth.login") == failures_before + 1
    with demo.app_context():
        event_row = db.session.execute(
            select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar_one()
        assert (event_row.action, event_row.result, event_row.actor) == (
            "auth.login",
            "failure",
            username,
        )
        assert verify_chain(db.session, event_row.municipality_id).broken is None


def test_the_session_cookie_serializer_is_built_once_per_secret_key(demo) -> None:  # type: ignore[no-untyped-def]
    interface = demo.session_interface
    first = interface.get_signing_serializer(demo)
    assert interface.get_signing_serializer(demo) is first
    old_key = demo.secret_key
    try:
        demo.secret_key = "another-secret-key-of-at-least-32-chars"
        other = interface.get_signing_serializer(demo)
        assert other is not first
        assert other.loads(other.dumps({"a": 1})) == {"a": 1}
    finally:
        demo.secret_key = old_key
    # back on the first key, its cookies open again
    assert interface.get_signing_serializer(demo).loads(first.dumps({"b": 2})) == {"b": 2}
