"""Sessions and the directory: single sign-on from a trusted proxy, and accounts that disappear."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from ldap3 import Connection
from sqlalchemy import select

from intranet import create_app
from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.testing.helpers import SECRET_KEY, signed_in

SSO = """
[municipalities.zwolle.sso]
header = "X-Remote-User"
trusted_proxies = ["10.9.8.7", "192.168.50.0/24"]
realms = ["ZWOLLE.DEMO", "GEMEENTE"]
"""


@pytest.fixture
def sso_app(demo, deployment_config: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    config = tmp_path / "sso.toml"
    config.write_text(deployment_config.read_text() + SSO)
    return create_app(
        {
            "ENV_NAME": "testing",
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": demo.config["SQLALCHEMY_DATABASE_URI"],
            "DEPLOYMENT_CONFIG": str(config),
            "SESSION_COOKIE_SECURE": False,
        }
    )


def _events(app, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


def test_header_from_a_trusted_proxy_signs_in_with_directory_groups(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = sso_app.test_client()
    response = client.get(
        "/zwolle/",
        headers={"X-Remote-User": "griffier@ZWOLLE.DEMO"},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 200
    assert "Jan de Vries" in response.get_data(as_text=True)
    # session_protection "strong": the session belongs to the address it started from
    assert (
        client.get("/zwolle/inwoners/", environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 200
    )
    login = _events(sso_app, "auth.login")[-1]
    assert login.actor == "griffier" and login.details == {"method": "sso"}
    other = sso_app.test_client()
    from_range = other.get(
        "/zwolle/",
        headers={"X-Remote-User": "GEMEENTE\\beheerder"},
        environ_base={"REMOTE_ADDR": "192.168.50.3"},
    )
    assert from_range.status_code == 200 and "Sanne Visser" in from_range.get_data(as_text=True)


def test_header_from_any_other_address_is_refused_and_audited(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = sso_app.test_client()
    response = client.get(
        "/zwolle/", headers={"X-Remote-User": "griffier"}, environ_base={"REMOTE_ADDR": "10.9.8.8"}
    )
    assert response.status_code == 403
    assert (
        client.get("/zwolle/", environ_base={"REMOTE_ADDR": "10.9.8.8"}).status_code == 302
    )  # no session
    refused = _events(sso_app, "auth.sso_refused")
    assert len(refused) == 1 and refused[0].origin == "10.9.8.8"
    # Also when someone already signed in adds the header to their requests:
    signed = signed_in(sso_app, "zwolle", "beleid")
    assert signed.get("/zwolle/", headers={"X-Remote-User": "griffier"}).status_code == 403


def test_header_naming_an_unknown_user_is_refused(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = sso_app.test_client()
    response = client.get(
        "/zwolle/", headers={"X-Remote-User": "*)(uid=*"}, environ_base={"REMOTE_ADDR": "10.9.8.7"}
    )
    assert response.status_code == 403
    assert _events(sso_app, "auth.login")[-1].details["reason"] == "unknown_user"


def test_municipality_without_sso_ignores_the_header(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = sso_app.test_client()
    response = client.get(
        "/zaanstad/",
        headers={"X-Remote-User": "coordinator"},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 302  # to the login page


def _rename_uid(slapd, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    """Rename the account (its RDN is the uid), as a directory does when someone leaves."""
    suffix = "dc=zwolle,dc=demo"
    conn = Connection(slapd.url, f"cn=admin,{suffix}", slapd.rootpw, auto_bind=True)
    assert conn.modify_dn(f"uid={old},ou=people,{suffix}", f"uid={new}"), conn.result
    conn.unbind()


def test_account_gone_from_the_directory_ends_the_session(demo, slapd) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zwolle", "raadslid2")
    _rename_uid(slapd, "raadslid2", "raadslid2-uit-dienst")
    try:
        assert client.get("/zwolle/").status_code == 200  # checked at sign-in, not yet again
        with client.session_transaction() as sess:
            sess["directory_checked"] = time.time() - 16 * 60
        assert client.get("/zwolle/").status_code == 302
        assert _events(demo, "auth.session_ended")[-1].details == {"reason": "not_in_directory"}
    finally:
        _rename_uid(slapd, "raadslid2-uit-dienst", "raadslid2")


def test_directory_outage_during_recheck_keeps_the_employee_working(demo, slapd) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zwolle", "griffier")
    with client.session_transaction() as sess:
        sess["directory_checked"] = time.time() - 16 * 60
    slapd.stop()
    try:
        assert client.get("/zwolle/").status_code == 200
    finally:
        slapd.start()
