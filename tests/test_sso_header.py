"""Single sign-on through the real header path (test client with REMOTE_ADDR and headers).

The session follows the header on every kind of page, realms are checked, the header is read
as UTF-8, refused headers from untrusted addresses are audited in bounded form, and an
IPv4-mapped IPv6 peer address counts as its IPv4 address.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from ldap3 import Connection
from sqlalchemy import select

from intranet import create_app
from intranet.audit.models import AuditEvent
from intranet.auth.directory import directory_for
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.testing.helpers import SECRET_KEY, csrf_token, login, signed_in

pytestmark = pytest.mark.ldap

PROXY = "10.9.8.7"
HEADER = "X-Remote-User"

ZWOLLE = f"""
[municipalities.zwolle.sso]
header = "{HEADER}"
trusted_proxies = ["{PROXY}", "2001:db8:1::10"]
realms = ["ZWOLLE.DEMO", "ZWOLLE"]
"""
ZAANSTAD = f"""
[municipalities.zaanstad.sso]
header = "{HEADER}"
trusted_proxies = ["{PROXY}"]
realms = ["ZAANSTAD.DEMO"]
"""
ZAANSTAD_REQUIRED = ZAANSTAD + "required = true\n"


@pytest.fixture
def make_app(demo, deployment_config: Path, tmp_path: Path) -> Callable[..., Flask]:  # type: ignore[no-untyped-def]
    def make(extra: str = ZWOLLE + ZAANSTAD, **config: object) -> Flask:
        path = tmp_path / f"sso-{len(list(tmp_path.iterdir()))}.toml"
        path.write_text(deployment_config.read_text() + extra)
        return create_app(
            {
                "ENV_NAME": "testing",
                "SECRET_KEY": SECRET_KEY,
                "SQLALCHEMY_DATABASE_URI": demo.config["SQLALCHEMY_DATABASE_URI"],
                "DEPLOYMENT_CONFIG": str(path),
                "SESSION_COOKIE_SECURE": False,
                "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
                "LOGIN_LIMIT_PER_USERNAME": "100000 per minute",
                **config,
            }
        )

    return make


@pytest.fixture
def sso_app(make_app) -> Flask:  # type: ignore[no-untyped-def]
    return make_app()


def _via_proxy(app: Flask, address: str = PROXY) -> FlaskClient:
    """A browser behind the proxy: every request arrives from the proxy's address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _as(user: str) -> dict[str, str]:
    """The header as a WSGI server hands it over: the UTF-8 bytes, read as Latin-1."""
    return {HEADER: user.encode("utf-8").decode("latin-1")}


def _events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


def _successful_sso_logins(app: Flask) -> list[str]:
    return [
        e.actor or ""
        for e in _events(app, "auth.login")
        if e.result == "success" and e.details == {"method": "sso"}
    ]


# -- 1. the session follows the header ---------------------------------------------------------


def test_header_naming_someone_else_on_a_plugin_page_switches_the_session(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    first = client.get("/zwolle/", headers=_as("griffier@ZWOLLE.DEMO"))
    assert first.status_code == 200 and "Jan de Vries" in first.get_data(as_text=True)
    page = client.get("/zwolle/raadsgesprekken/", headers=_as("beheerder@ZWOLLE.DEMO"))
    html = page.get_data(as_text=True)
    assert "Jan de Vries" not in html
    assert "Sanne Visser" in html  # the page was served to the header's user
    ended = _events(sso_app, "auth.session_ended")
    assert [e.details for e in ended] == [{"reason": "sso_user_changed"}]
    assert _successful_sso_logins(sso_app) == ["griffier", "beheerder"]
    dashboard = client.get("/zwolle/", headers=_as("beheerder@ZWOLLE.DEMO"))
    assert "Sanne Visser" in dashboard.get_data(as_text=True)


def test_header_naming_someone_else_on_a_public_page_switches_the_session(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    assert client.get("/zaanstad/", headers=_as("coordinator")).status_code == 200
    coordinator = _successful_sso_logins(sso_app)
    assert coordinator == ["coordinator"]
    public = client.get(
        "/publiek/zaanstad/meedenkgroepen/vragenlijst/geen-geldige-link",
        headers=_as("beheerder@zaanstad.demo"),
    )
    assert public.status_code == 404  # the public page itself: a link that is not valid
    assert _events(sso_app, "auth.session_ended")[-1].details == {"reason": "sso_user_changed"}
    assert _successful_sso_logins(sso_app) == ["coordinator", "beheerder"]
    with sso_app.app_context():
        beheerder = db.session.execute(
            select(Employee).where(Employee.username == "beheerder")
        ).scalar_one()
        name = beheerder.display_name
    dashboard = client.get("/zaanstad/", headers=_as("beheerder"))
    assert dashboard.status_code == 200 and name in dashboard.get_data(as_text=True)


def test_header_naming_someone_else_on_the_sign_in_page_switches_the_session(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    client.get("/zwolle/", headers=_as("griffier"))
    page = client.get("/zwolle/inloggen", headers=_as("ZWOLLE\\beheerder"))
    assert page.status_code == 200
    assert "Jan de Vries" not in page.get_data(as_text=True)
    assert _successful_sso_logins(sso_app) == ["griffier", "beheerder"]
    # no header at all from here on: the new session carries on by its cookie
    assert "Sanne Visser" in client.get("/zwolle/").get_data(as_text=True)


def test_a_password_session_is_replaced_by_the_header_user(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    assert login(client, "zwolle", "griffier").status_code == 302
    page = client.get("/zwolle/", headers=_as("beleid"))
    assert page.status_code == 200
    assert "Jan de Vries" not in page.get_data(as_text=True)
    assert _successful_sso_logins(sso_app) == ["beleid"]


@pytest.mark.parametrize("named", ["nobody", "*", "itbeheer@EVIL.EXAMPLE", "griffier)(uid=*"])
def test_header_naming_someone_who_may_not_sign_in_ends_the_old_session(sso_app, named) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    client.get("/zwolle/", headers=_as("griffier"))
    assert client.get("/zwolle/", headers=_as(named)).status_code == 403
    # the previous employee's session is gone, not just this one request
    assert client.get("/zwolle/").status_code == 302
    ended = _events(sso_app, "auth.session_ended")
    assert len(ended) == 1
    assert ended[0].details["reason"] in ("sso_user_changed", "sso_header_refused")


def test_same_user_in_another_spelling_keeps_the_session(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    client.get("/zwolle/", headers=_as("griffier"))
    for spelling in ("GRIFFIER@zwolle.demo", "zwolle\\Griffier", "griffier"):
        assert client.get("/zwolle/", headers=_as(spelling)).status_code == 200
    assert _successful_sso_logins(sso_app) == ["griffier"]
    assert _events(sso_app, "auth.session_ended") == []


def test_platform_pages_follow_the_header_too(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    client.get("/zwolle/", headers=_as("itbeheer"))  # a platform operator
    assert client.get("/beheer/", headers=_as("itbeheer")).status_code == 200
    # not a municipality page, so nobody new is signed in here: the operator's session ends
    assert client.get("/beheer/", headers=_as("griffier")).status_code == 404
    assert client.get("/zwolle/").status_code == 302
    assert _events(sso_app, "auth.session_ended")[-1].details == {"reason": "sso_user_changed"}


def test_header_absent_where_sso_is_optional_keeps_the_session(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    client.get("/zwolle/", headers=_as("griffier"))
    assert client.get("/zwolle/").status_code == 200
    # and the password form stays available there
    assert 'name="password"' in client.get("/zwolle/inloggen").get_data(as_text=True)


def test_header_absent_where_sso_is_required_ends_the_session(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(ZWOLLE + ZAANSTAD_REQUIRED)
    client = _via_proxy(app)
    assert client.get("/zaanstad/", headers=_as("coordinator")).status_code == 200
    response = client.get("/zaanstad/")
    assert response.status_code == 302 and "/zaanstad/inloggen" in response.headers["Location"]
    assert _events(app, "auth.session_ended")[-1].details == {"reason": "sso_header_missing"}
    page = client.get("/zaanstad/inloggen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="password"' not in html and "via uw werkplek" in html
    # a password cannot be used there at all
    refused = client.post(
        "/zaanstad/inloggen",
        data={
            "username": "coordinator",
            "password": "Demo-2026!",
            "csrf_token": csrf_token(client, app),
        },
    )
    assert refused.status_code == 403
    assert client.get("/zaanstad/").status_code == 302


# -- 1. signing out under SSO -------------------------------------------------------------------


def test_sign_out_under_sso_shows_a_signed_out_page_and_does_not_sign_back_in(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    client.get("/zwolle/", headers=_as("griffier"))
    out = client.post(
        "/uitloggen", data={"csrf_token": csrf_token(client, sso_app)}, headers=_as("griffier")
    )
    assert out.status_code == 302 and out.headers["Location"] == "/zwolle/uitgelogd"
    page = client.get("/zwolle/uitgelogd", headers=_as("griffier"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "U bent uitgelogd" in html and "Opnieuw aanmelden" in html
    assert "Jan de Vries" not in html
    # the proxy keeps sending the header; nobody is signed in without asking
    again = client.get("/zwolle/", headers=_as("griffier"))
    assert again.status_code == 302 and "/zwolle/inloggen" in again.headers["Location"]
    login_page = client.get(again.headers["Location"], headers=_as("griffier"))
    assert "Opnieuw aanmelden" in login_page.get_data(as_text=True)
    assert _successful_sso_logins(sso_app) == ["griffier"]
    # "Opnieuw aanmelden" (a form with a CSRF token) signs in again
    assert client.post("/zwolle/opnieuw-aanmelden", headers=_as("griffier")).status_code == 400
    back = client.post(
        "/zwolle/opnieuw-aanmelden",
        data={"csrf_token": csrf_token(client, sso_app)},
        headers=_as("griffier"),
    )
    assert back.status_code == 302 and back.headers["Location"] == "/zwolle/"
    assert "Jan de Vries" in client.get("/zwolle/", headers=_as("griffier")).get_data(as_text=True)
    assert _successful_sso_logins(sso_app) == ["griffier", "griffier"]


def test_after_sign_out_someone_else_at_the_browser_is_signed_in(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    client.get("/zwolle/", headers=_as("griffier"))
    client.post(
        "/uitloggen", data={"csrf_token": csrf_token(client, sso_app)}, headers=_as("griffier")
    )
    page = client.get("/zwolle/", headers=_as("beleid"))
    assert page.status_code == 200
    assert _successful_sso_logins(sso_app) == ["griffier", "beleid"]


def test_sign_out_without_sso_still_goes_to_the_sign_in_page(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(ZWOLLE)  # zaanstad without [sso]
    client = signed_in(app, "zaanstad", "coordinator")
    out = client.post("/uitloggen", data={"csrf_token": csrf_token(client, app)})
    assert out.headers["Location"] == "/zaanstad/inloggen"


# -- 2. realms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "griffier@EVIL.EXAMPLE",
        "EVIL\\griffier",
        "griffier@ZWOLLE.DEMO@EVIL",
        "x\\y\\griffier",
        "ZWOLLE\\griffier@ZWOLLE.DEMO",
        "griffier@",
        "\\griffier",
        "griffier/admin@ZWOLLE.DEMO",
        "griffier@ZWOLLE.DEMO.EVIL",
        "griffier@ＺWOLLE.DEMO",
    ],
)
def test_other_realms_and_several_separators_are_refused(sso_app, value) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    assert client.get("/zwolle/", headers=_as(value)).status_code == 403
    assert client.get("/zwolle/").status_code == 302
    assert _successful_sso_logins(sso_app) == []
    failure = _events(sso_app, "auth.login")[-1]
    assert failure.result == "failure" and failure.details["method"] == "sso"


@pytest.mark.parametrize(
    "value", ["griffier@ZWOLLE.DEMO", "griffier@zwolle.demo", "ZWOLLE\\griffier", "griffier"]
)
def test_configured_realms_in_any_case_are_accepted(sso_app, value) -> None:  # type: ignore[no-untyped-def]
    assert _via_proxy(sso_app).get("/zwolle/", headers=_as(value)).status_code == 200
    assert _successful_sso_logins(sso_app) == ["griffier"]


def test_without_realms_only_bare_names_are_accepted(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(ZWOLLE.replace('realms = ["ZWOLLE.DEMO", "ZWOLLE"]\n', ""))
    assert _via_proxy(app).get("/zwolle/", headers=_as("griffier@ZWOLLE.DEMO")).status_code == 403
    assert _via_proxy(app).get("/zwolle/", headers=_as("griffier")).status_code == 200


# -- 3. UTF-8 and the directory's comparison ----------------------------------------------------


@pytest.fixture
def extra_people(slapd) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """abakker and jmüller in the Zwolle directory, for this test only."""
    suffix = "dc=zwolle,dc=demo"
    conn = Connection(slapd.url, f"cn=admin,{suffix}", slapd.rootpw, auto_bind=True)
    people = {"abakker": "Anna Bakker", "jmüller": "Jürgen Müller"}
    for uid, cn in people.items():
        conn.add(
            f"uid={uid},ou=people,{suffix}",
            ["inetOrgPerson"],
            {"uid": uid, "cn": cn, "sn": cn.split()[-1], "displayName": cn},
        )
        assert conn.result["result"] in (0, 68), conn.result  # 68: already there
    try:
        yield
    finally:
        for uid in people:
            conn.delete(f"uid={uid},ou=people,{suffix}")
        conn.unbind()


def test_utf8_name_in_the_header_signs_in(sso_app, extra_people) -> None:  # type: ignore[no-untyped-def]
    _via_proxy(sso_app).get("/zwolle/", headers=_as("jmüller@ZWOLLE.DEMO"))
    assert _successful_sso_logins(sso_app) == ["jmüller"]
    with sso_app.app_context():
        employee = db.session.execute(
            select(Employee).where(Employee.username == "jmüller")
        ).scalar_one()
        assert employee.display_name == "Jürgen Müller"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("\xaabakker", "not_utf8"),  # the single byte 0xAA: Latin-1 'ª', not UTF-8
        ("\xffgriffier", "not_utf8"),
        (_as("ªbakker")[HEADER], "lookalike_characters"),  # 'ª' sent as UTF-8
        (_as("ａｂａｋｋｅｒ")[HEADER], "lookalike_characters"),  # full-width letters
        (_as("abakker\u200b")[HEADER], "lookalike_characters"),  # zero-width space
    ],
)
def test_bytes_that_only_look_like_a_name_do_not_sign_in(
    sso_app, extra_people, header, reason
) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    assert client.get("/zwolle/", headers={HEADER: header}).status_code == 403
    assert _successful_sso_logins(sso_app) == []
    assert _events(sso_app, "auth.login")[-1].details["reason"] == reason
    # abakker really exists and signs in under their own name (no roles: the dashboard is 403)
    client.get("/zwolle/", headers=_as("ABAKKER"))
    assert _successful_sso_logins(sso_app) == ["abakker"]


# -- 6. directory unreachable -------------------------------------------------------------------


def test_unreachable_directory_is_tried_once_and_the_sign_in_page_says_so(sso_app, slapd) -> None:  # type: ignore[no-untyped-def]
    settings = sso_app.extensions["intranet"].deployment.for_municipality("zwolle").directory
    directory = directory_for("zwolle", settings)
    client = _via_proxy(sso_app)
    slapd.stop()
    try:
        first = client.get("/zwolle/raadsgesprekken/", headers=_as("griffier"))
        assert first.status_code == 302 and "/zwolle/inloggen" in first.headers["Location"]
        attempts = directory.stats.connections
        assert attempts >= 1
        page = client.get(first.headers["Location"], headers=_as("griffier"))
        assert page.status_code == 503
        assert "niet bereikbaar" in page.get_data(as_text=True)
        assert directory.stats.connections == attempts  # the sign-in page did not try again
    finally:
        slapd.start()
    # on its own again: once the pause after a failure is over, the next request signs in
    with client.session_transaction() as sess:
        sess["sso_unavailable_at"] = time.time() - 31
    assert client.get("/zwolle/", headers=_as("griffier")).status_code == 200
    assert _successful_sso_logins(sso_app) == ["griffier"]


# -- 7. refused headers: evidence, bounded -------------------------------------------------------


def test_refused_headers_write_one_row_per_address_per_interval_with_a_count(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(SSO_REFUSED_AUDIT_SECONDS=0.5)
    attacker = _via_proxy(app, "10.66.0.1")
    for _ in range(25):
        assert attacker.get("/zwolle/", headers=_as("griffier")).status_code == 403
    other = _via_proxy(app, "10.66.0.2")
    assert other.get("/zwolle/inloggen", headers=_as("beheerder")).status_code == 403
    rows = _events(app, "auth.sso_refused")
    assert [(r.origin, r.details["count"]) for r in rows] == [("10.66.0.1", 1), ("10.66.0.2", 1)]
    time.sleep(0.6)
    assert attacker.get("/zwolle/", headers=_as("griffier")).status_code == 403
    rows = _events(app, "auth.sso_refused")
    assert len(rows) == 3
    assert rows[-1].origin == "10.66.0.1" and rows[-1].details["count"] == 25  # 24 + this one
    assert rows[-1].details["reason"] == "untrusted_address"


def test_ipv6_addresses_of_one_network_share_a_row(sso_app) -> None:  # type: ignore[no-untyped-def]
    for host in range(1, 20):
        client = _via_proxy(sso_app, f"2001:db8:66::{host:x}")
        assert client.get("/zwolle/", headers=_as("griffier")).status_code == 403
    assert len(_events(sso_app, "auth.sso_refused")) == 1


# -- 8. IPv4-mapped IPv6 addresses -----------------------------------------------------------


def test_ipv4_mapped_peer_address_is_the_proxy(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app, f"::ffff:{PROXY}")
    assert client.get("/zwolle/", headers=_as("griffier")).status_code == 200
    assert (
        _via_proxy(sso_app, "::ffff:10.9.8.8").get("/zwolle/", headers=_as("griffier")).status_code
        == 403
    )
    # an IPv6 proxy in the list matches in any spelling
    long_form = _via_proxy(sso_app, "2001:0db8:0001:0000:0000:0000:0000:0010")
    assert long_form.get("/zwolle/", headers=_as("beleid")).status_code == 200


def test_ipv4_mapped_proxy_in_the_settings_matches_the_ipv4_peer(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(ZWOLLE.replace(f'"{PROXY}"', f'"::ffff:{PROXY}"'))
    assert (
        app.extensions["intranet"].deployment.for_municipality("zwolle").sso.trusted_proxies[0]
        == f"{PROXY}/32"
    )
    assert _via_proxy(app).get("/zwolle/", headers=_as("griffier")).status_code == 200


# -- the header parser on its own ----------------------------------------------------------


def test_without_strip_realm_the_whole_qualified_name_is_looked_up() -> None:
    from intranet.auth.sso import HeaderRefused, username_from_header
    from intranet.config import SingleSignOnSettings

    settings = SingleSignOnSettings.from_mapping(
        "zwolle",
        {
            "header": HEADER,
            "trusted_proxies": [PROXY],
            "realms": ["ZWOLLE.DEMO"],
            "strip_realm": False,
        },
    )
    assert username_from_header("jan@zwolle.demo", settings) == "jan@zwolle.demo"
    assert username_from_header("jan", settings) == "jan"
    for value in ("@ZWOLLE.DEMO", "jan@EVIL.EXAMPLE", "jan, piet", "jan@ZWOLLE.DEMO,x"):
        with pytest.raises(HeaderRefused):
            username_from_header(value, settings)


def test_a_doubled_header_is_refused(sso_app) -> None:  # type: ignore[no-untyped-def]
    client = _via_proxy(sso_app)
    # what WSGI makes of two X-Remote-User headers
    assert client.get("/zwolle/", headers={HEADER: "griffier, beheerder"}).status_code == 403
    assert _events(sso_app, "auth.login")[-1].details["reason"] == "several_values"


def test_signed_out_pages_do_not_exist_without_sso(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(ZWOLLE)  # zaanstad without [sso]
    client = app.test_client()
    assert client.get("/zaanstad/uitgelogd").status_code == 404
    token = csrf_token(client, app)
    assert client.post("/zaanstad/opnieuw-aanmelden", data={"csrf_token": token}).status_code == 404
