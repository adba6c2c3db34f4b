"""Sign-in against the real demo directory: success, refusals, injections, outage."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.testing.helpers import PASSWORD, login, post, signed_in

pytestmark = pytest.mark.ldap

WRONG = "Onjuiste gebruikersnaam of wachtwoord."


def _events(app, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


def test_sign_in_creates_employee_with_groups_and_shows_dashboard(demo, client):  # type: ignore[no-untyped-def]
    response = login(client, "zwolle", "griffier")
    assert response.status_code == 302
    assert response.headers["Location"] == "/zwolle/"
    page = client.get("/zwolle/")
    assert page.status_code == 200
    assert "Jan de Vries" in page.get_data(as_text=True)
    with demo.app_context():
        employee = db.session.execute(
            select(Employee).where(Employee.username == "griffier")
        ).scalar_one()
        assert employee.email == "jan.devries@zwolle.demo"
        assert "cn=griffie,ou=groups,dc=zwolle,dc=demo" in employee.groups
    success = [e for e in _events(demo, "auth.login") if e.result == "success"]
    assert [e.actor for e in success] == ["griffier"]


def test_second_sign_in_updates_the_same_employee(demo):  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "griffier")
    signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        assert (
            db.session.execute(select(Employee).where(Employee.username == "griffier"))
            .scalars()
            .all()
            .__len__()
            == 1
        )


def test_groups_found_by_search_when_directory_has_no_memberof(demo):  # type: ignore[no-untyped-def]
    signed_in(demo, "zaanstad", "coordinator")
    with demo.app_context():
        employee = db.session.execute(
            select(Employee).where(Employee.username == "coordinator")
        ).scalar_one()
        assert "cn=participatie,ou=groups,dc=zaanstad,dc=demo" in employee.groups


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [
        ("griffier", "wrong-password", "wrong_password"),
        ("griffier", "", "blank_password"),
        ("griffier", "   ", "blank_password"),
        ("nobody", PASSWORD, "unknown_user"),
    ],
)
def test_refusals_look_the_same(demo, client, username, password, reason):  # type: ignore[no-untyped-def]
    response = login(client, "zwolle", username, password)
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/zwolle/").status_code == 302  # still not signed in
    failures = [e for e in _events(demo, "auth.login") if e.result == "failure"]
    assert failures[-1].details == {"reason": reason}
    assert password not in str(failures[-1].details) or not password.strip()


@pytest.mark.parametrize(
    "username",
    [
        "*",
        "a*",
        "x)(uid=*",
        "*)(|(objectClass=*",
        "griffier)(uid=*",
        "\\",
        "\\2a",
        "griffier\x00",
        "\x00",
        "g*",
    ],
)
def test_injected_user_names_never_sign_in(demo, client, username):  # type: ignore[no-untyped-def]
    response = login(client, "zwolle", username)
    assert response.status_code in (400, 401)
    assert client.get("/zwolle/").status_code == 302
    with demo.app_context():
        assert db.session.execute(select(Employee)).first() is None


def test_user_name_with_comma_and_parentheses_in_dn_signs_in(demo):  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "ksmit")
    with demo.app_context():
        employee = db.session.execute(
            select(Employee).where(Employee.username == "ksmit")
        ).scalar_one()
        assert "cn=beleidsmedewerkers,ou=groups,dc=zwolle,dc=demo" in employee.groups


def test_empty_user_name_is_an_error_next_to_the_field(demo, client):  # type: ignore[no-untyped-def]
    response = login(client, "zwolle", "", PASSWORD)
    assert response.status_code == 400
    assert "Vul uw gebruikersnaam in." in response.get_data(as_text=True)


def test_zaanstad_user_cannot_sign_in_at_zwolle(demo, client):  # type: ignore[no-untyped-def]
    response = login(client, "zwolle", "coordinator")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "\x08//evil.example",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        " //evil.example",
    ],
)
def test_next_accepts_local_paths_only(demo, client, target):  # type: ignore[no-untyped-def]
    response = login(client, "zwolle", "griffier", next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/zwolle/"


def test_next_local_path_is_followed(demo, client):  # type: ignore[no-untyped-def]
    response = login(client, "zwolle", "griffier", next_url="/zwolle/inwoners/?q=de")
    assert response.headers["Location"] == "/zwolle/inwoners/?q=de"


def test_logout_ends_the_session_everywhere(demo):  # type: ignore[no-untyped-def]
    first = signed_in(demo, "zwolle", "griffier")
    second = signed_in(demo, "zwolle", "griffier")
    assert post(first, "/uitloggen").status_code == 302
    assert first.get("/zwolle/").status_code == 302
    assert second.get("/zwolle/").status_code == 302
    assert _events(demo, "auth.logout")


def test_directory_outage_is_reported_and_signed_in_employees_keep_working(demo, slapd):  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zwolle", "griffier")
    slapd.stop()
    try:
        other = demo.test_client()
        response = login(other, "zwolle", "raadslid")
        assert response.status_code == 503
        assert "niet bereikbaar" in response.get_data(as_text=True)
        assert client.get("/zwolle/").status_code == 200
    finally:
        slapd.start()
    assert login(demo.test_client(), "zwolle", "raadslid").status_code == 302


def test_login_page_of_unknown_municipality_is_404(demo, client):  # type: ignore[no-untyped-def]
    assert client.get("/nergenshuizen/inloggen").status_code == 404
    assert client.get("/nergenshuizen/").status_code == 404
