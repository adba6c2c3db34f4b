"""The throwaway slapd and the demo directories behave like a municipality's LDAP.

The app's sign-in depends on these properties (service-account lookups, memberOf in
Zwolle, group searches in Zaanstad, strict ACLs, outage and recovery), so they are
pinned here against a real slapd rather than a mock.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ldap3
import pytest
from ldap3.core.exceptions import LDAPSocketOpenError
from ldap3.utils.conv import escape_filter_chars

from intranet_dev.slapd import (
    DEMO_SERVICE_PASSWORD,
    DEMO_USER_PASSWORD,
    REPO_ROOT,
    SLAPD,
    DirectoryDatabase,
    Slapd,
    demo_databases,
    free_port,
    service_account_dn,
)

pytestmark = [
    pytest.mark.ldap,
    pytest.mark.skipif(not SLAPD.exists(), reason=f"{SLAPD} is not installed"),
]

ZWOLLE = "dc=zwolle,dc=demo"
ZAANSTAD = "dc=zaanstad,dc=demo"


@pytest.fixture(scope="module")
def demo_slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    with Slapd(demo_databases(), tmp_path_factory.mktemp("demo-ldap"), port=free_port()) as slapd:
        yield slapd


_connections: list[ldap3.Connection] = []


@pytest.fixture(autouse=True)
def _unbind_connections() -> Iterator[None]:
    yield
    while _connections:
        _connections.pop().unbind()


def open_connection(url: str, dn: str | None, password: str | None) -> ldap3.Connection:
    """An unbound connection that is closed after the test."""
    connection = ldap3.Connection(ldap3.Server(url, connect_timeout=2), dn, password)
    _connections.append(connection)
    return connection


def connect(slapd: Slapd, dn: str | None = None, password: str | None = None) -> ldap3.Connection:
    """A bound (or anonymous) connection, the way the app would open one."""
    connection = open_connection(slapd.url, dn, password)
    assert connection.bind(), connection.result
    return connection


def service(slapd: Slapd, suffix: str) -> ldap3.Connection:
    return connect(slapd, service_account_dn(suffix), DEMO_SERVICE_PASSWORD)


def find_user(connection: ldap3.Connection, suffix: str, uid: str) -> ldap3.Entry:
    connection.search(
        f"ou=people,{suffix}",
        f"(uid={escape_filter_chars(uid)})",
        attributes=["cn", "mail", "title", "memberOf"],
    )
    assert len(connection.entries) == 1, connection.result
    return connection.entries[0]


def group_names(connection: ldap3.Connection, suffix: str, member_dn: str) -> set[str]:
    connection.search(
        f"ou=groups,{suffix}",
        f"(&(objectClass=groupOfNames)(member={escape_filter_chars(member_dn)}))",
        attributes=["cn"],
    )
    return {str(entry.cn) for entry in connection.entries}


def test_service_account_finds_griffier_by_uid(demo_slapd: Slapd) -> None:
    connection = service(demo_slapd, ZWOLLE)
    griffier = find_user(connection, ZWOLLE, "griffier")
    assert griffier.entry_dn == f"uid=griffier,ou=people,{ZWOLLE}"
    assert griffier.cn.value == "Jan de Vries"
    assert griffier.mail.value == "jan.devries@zwolle.demo"


def test_zwolle_users_carry_member_of(demo_slapd: Slapd) -> None:
    griffier = find_user(service(demo_slapd, ZWOLLE), ZWOLLE, "griffier")
    assert set(griffier.memberOf.values) == {
        f"cn=griffie,ou=groups,{ZWOLLE}",
        f"cn=alle-medewerkers,ou=groups,{ZWOLLE}",
    }


def test_dn_with_comma_and_parentheses(demo_slapd: Slapd) -> None:
    connection = service(demo_slapd, ZWOLLE)
    ksmit = find_user(connection, ZWOLLE, "ksmit")
    # Both spellings are the same DN; slapd 2.5 answers with \2C although the LDIF says
    # \, (also in group member values), so the app must never compare DNs as strings.
    assert ksmit.entry_dn in {
        rf"cn=Smit\, Karin (extern),ou=people,{ZWOLLE}",
        rf"cn=Smit\2C Karin (extern),ou=people,{ZWOLLE}",
    }
    assert f"cn=beleidsmedewerkers,ou=groups,{ZWOLLE}" in ksmit.memberOf.values
    # The parentheses must be escaped in the filter, or the search is malformed.
    assert group_names(connection, ZWOLLE, ksmit.entry_dn) == {
        "beleidsmedewerkers",
        "alle-medewerkers",
    }


def test_zaanstad_has_no_member_of_but_group_search_works(demo_slapd: Slapd) -> None:
    connection = service(demo_slapd, ZAANSTAD)
    coordinator = find_user(connection, ZAANSTAD, "coordinator")
    assert coordinator.memberOf.values == []
    assert group_names(connection, ZAANSTAD, coordinator.entry_dn) == {
        "participatie",
        "alle-medewerkers",
    }
    medewerker = find_user(connection, ZAANSTAD, "medewerker")
    assert group_names(connection, ZAANSTAD, medewerker.entry_dn) == {"alle-medewerkers"}


@pytest.mark.parametrize(
    ("suffix", "dn"),
    [
        (ZWOLLE, f"uid=griffier,ou=people,{ZWOLLE}"),
        (ZWOLLE, rf"cn=Smit\, Karin (extern),ou=people,{ZWOLLE}"),
        (ZAANSTAD, f"uid=beheerder,ou=people,{ZAANSTAD}"),
    ],
)
def test_user_bind_checks_password(demo_slapd: Slapd, suffix: str, dn: str) -> None:
    assert open_connection(demo_slapd.url, dn, DEMO_USER_PASSWORD).bind()
    wrong = open_connection(demo_slapd.url, dn, "Demo-2025!")
    assert not wrong.bind()
    assert wrong.result["description"] == "invalidCredentials"


def test_acl_hides_passwords_and_anonymous_reads(demo_slapd: Slapd) -> None:
    griffier_dn = f"uid=griffier,ou=people,{ZWOLLE}"
    for connection in (
        service(demo_slapd, ZWOLLE),
        connect(demo_slapd, griffier_dn, DEMO_USER_PASSWORD),
    ):
        connection.search(griffier_dn, "(objectClass=*)", ldap3.BASE, attributes=["*"])
        assert len(connection.entries) == 1
        assert "userPassword" not in connection.entries[0].entry_attributes
        assert connection.entries[0].cn.value == "Jan de Vries"
    anonymous = connect(demo_slapd)
    anonymous.search(ZWOLLE, "(uid=*)")
    assert anonymous.entries == []
    # A service account is only trusted within its own municipality.
    zaanstad_service = service(demo_slapd, ZAANSTAD)
    zaanstad_service.search(ZWOLLE, "(uid=*)")
    assert zaanstad_service.entries == []
    # An ordinary employee cannot list colleagues.
    user = connect(demo_slapd, griffier_dn, DEMO_USER_PASSWORD)
    user.search(ZWOLLE, "(uid=raadslid)")
    assert user.entries == []


def test_stop_then_start_keeps_data_and_port(tmp_path: Path) -> None:
    slapd = Slapd(demo_databases(), tmp_path)
    try:
        slapd.start()
        url = slapd.url
        admin = connect(slapd, f"cn=admin,{ZWOLLE}", slapd.rootpw)
        griffier_dn = f"uid=griffier,ou=people,{ZWOLLE}"
        admin.modify(griffier_dn, {"title": [(ldap3.MODIFY_REPLACE, ["Griffier a.i."])]})
        assert admin.result["description"] == "success"

        slapd.stop()
        assert not slapd.running
        refused = open_connection(url, griffier_dn, "x")
        with pytest.raises(LDAPSocketOpenError):
            refused.bind()
        refused.socket.close()  # ldap3 leaks the socket of a refused connect

        slapd.start()  # would fail on "already exists" if it reloaded the LDIF
        assert slapd.url == url
        griffier = find_user(service(slapd, ZWOLLE), ZWOLLE, "griffier")
        assert griffier.title.value == "Griffier a.i."
        assert f"cn=griffie,ou=groups,{ZWOLLE}" in griffier.memberOf.values
    finally:
        slapd.stop()


def test_start_failure_reports_log_tail(tmp_path: Path) -> None:
    slapd = Slapd(demo_databases(), tmp_path, extra_global_config="no-such-directive on")
    with pytest.raises(RuntimeError, match=r"(?s)slapd exited.*no-such-directive"):
        slapd.start()
    assert not slapd.running


def test_ldif_error_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ldif"
    broken.write_text("dn: dc=elders,dc=demo\nobjectClass: dcObject\nobjectClass: organization\n")
    slapd = Slapd([DirectoryDatabase("dc=broken,dc=demo", [broken])], tmp_path / "work")
    with pytest.raises(RuntimeError, match=r"ldapadd of .*broken\.ldif"):
        slapd.start()
    assert not slapd.running
    assert not slapd.has_data()


def run_cli(workdir: Path, *extra: str) -> str:
    """Start the CLI, wait for its banner, SIGTERM it and return everything it printed."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "intranet_dev.slapd",
            "--port",
            str(free_port()),
            "--workdir",
            str(workdir),
            *extra,
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "Stop with Ctrl-C" in line:
                break
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    return output


def test_cli_loads_once_then_reuses(tmp_path: Path) -> None:
    workdir = tmp_path / "demo-ldap"
    first = run_cli(workdir)
    assert "demo LDIF loaded" in first
    assert "Demo directory stopped." in first
    assert "existing data reused" in run_cli(workdir)


def test_reset_reloads_the_ldif(tmp_path: Path) -> None:
    slapd = Slapd(demo_databases(), tmp_path)
    with slapd:
        admin = connect(slapd, f"cn=admin,{ZAANSTAD}", slapd.rootpw)
        admin.delete(f"uid=medewerker,ou=people,{ZAANSTAD}")
        assert admin.result["description"] == "success"
    assert slapd.has_data()
    slapd.reset()
    assert not slapd.has_data()
    with slapd:
        find_user(service(slapd, ZAANSTAD), ZAANSTAD, "medewerker")
