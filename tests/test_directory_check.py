"""``flask --app wsgi intranet ldap check``: one line per step, FOUT and exit 1 at the first failure."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from intranet.auth.cli import ldap_cli
from intranet.testing.tls_pki import (
    PASSWORD_ENV,
    TlsDirectory,
    start_tls_directory,
    use_directory,
    zwolle_settings,
)
from intranet_dev.slapd import free_port

pytestmark = pytest.mark.ldap

ZWOLLE_ENV = "INTRANET_LDAP_ZWOLLE_PASSWORD"


def run(app, *args: str) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(ldap_cli, ["check", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output.splitlines()


def step(lines: list[str], name: str) -> str:
    """The status line of step ``name`` (the last one, when a step prints two)."""
    found = [line for line in lines if re.match(rf"^(OK|FOUT|LET OP)\s+{re.escape(name)}:", line)]
    assert found, f"no line for step {name!r} in:\n" + "\n".join(lines)
    return found[-1]


def failed_at(lines: list[str], name: str) -> str:
    """Assert that ``name`` is the one failing step and the last status line; return it."""
    failures = [line for line in lines if line.startswith("FOUT")]
    assert len(failures) == 1, lines
    assert failures[0].startswith(f"FOUT  {name}:"), lines
    status_lines = [line for line in lines if re.match(r"^(OK|FOUT|LET OP)\s", line)]
    assert status_lines[-1] == failures[0], "steps after the failing one ran"
    return failures[0]


def advice(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip().startswith("advies:"))


@pytest.fixture(scope="module")
def tls_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsDirectory]:
    directory = start_tls_directory(tmp_path_factory.mktemp("check-tls"))
    yield directory
    directory.slapd.stop()


# -- the good path -------------------------------------------------------------------------


def test_demo_user_passes_every_step(demo) -> None:  # type: ignore[no-untyped-def]
    code, lines = run(demo, "--municipality", "zwolle", "--user", "griffier")
    assert code == 0, lines
    assert not any(line.startswith("FOUT") for line in lines)
    assert "ldap://127.0.0.1" in step(lines, "configuratie") or "no TLS" in step(
        lines, "configuratie"
    )
    assert step(lines, "TCP").startswith("OK")
    assert step(lines, "servicebind").startswith("OK")
    assert "INTRANET_LDAP_ZWOLLE_PASSWORD" in step(lines, "servicebind")
    assert step(lines, "gebruiker") == (
        "OK    gebruiker: 1 match, under ou=people,dc=zwolle,dc=demo: "
        "uid=griffier,ou=people,dc=zwolle,dc=demo"
    )
    assert step(lines, "groepen") == "OK    groepen: 2 (memberOf)"
    assert "      cn=griffie,ou=groups,dc=zwolle,dc=demo" in lines
    roles = step(lines, "rollen")
    assert roles.startswith("OK")
    assert "medewerker (via cn=alle-medewerkers,ou=groups,dc=zwolle,dc=demo)" in roles
    assert "inwonerregistratie (via cn=griffie,ou=groups,dc=zwolle,dc=demo)" in roles


def test_without_a_user_the_connection_and_bases_are_checked(demo) -> None:  # type: ignore[no-untyped-def]
    code, lines = run(demo, "--municipality", "zaanstad")
    assert code == 0, lines
    assert step(lines, "zoekbases") == (
        "OK    zoekbases: ou=people,dc=zaanstad,dc=demo, ou=groups,dc=zaanstad,dc=demo"
    )
    assert "--user" in step(lines, "gebruiker")


def test_plain_ldap_gets_a_warning(demo) -> None:  # type: ignore[no-untyped-def]
    _code, lines = run(demo, "--municipality", "zwolle")
    assert any(line.startswith("LET OP configuratie: no TLS") for line in lines)


@pytest.mark.parametrize("mode", ["starttls", "ldaps"])
def test_tls_step_names_what_was_checked(demo, tls_directory, monkeypatch, mode) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASSWORD_ENV, "service-demo")
    extra = {"starttls": True} if mode == "starttls" else {}
    use_directory(
        monkeypatch,
        demo,
        "zwolle",
        zwolle_settings(tls_directory.url(mode), ca_file=str(tls_directory.ca.path), **extra),
    )
    code, lines = run(demo, "--municipality", "zwolle", "--user", "griffier")
    assert code == 0, lines
    how = "StartTLS" if mode == "starttls" else "LDAPS"
    assert step(lines, "TLS").startswith(
        f"OK    TLS: {how}: certificate trusted, host name 'localhost' matches (TLSv1."
    )


# -- each failure stops at its own step --------------------------------------------------


def test_no_directory_configured(demo) -> None:  # type: ignore[no-untyped-def]
    code, lines = run(demo, "--municipality", "nergenshuizen")
    assert code == 1
    assert "no directory configured" in failed_at(lines, "configuratie")


def test_closed_port_fails_at_tcp(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = demo.extensions["intranet"].deployment.for_municipality("zwolle").directory
    use_directory(
        monkeypatch,
        demo,
        "zwolle",
        dataclasses.replace(settings, url=f"ldap://127.0.0.1:{free_port()}", timeout=1),
    )
    code, lines = run(demo, "--municipality", "zwolle")
    assert code == 1
    assert "cannot connect" in failed_at(lines, "TCP")
    assert "firewall" in advice(lines)


def test_wrong_service_password(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(ZWOLLE_ENV, "not-the-password")
    code, lines = run(demo, "--municipality", "zwolle", "--user", "griffier")
    assert code == 1
    assert "refused" in failed_at(lines, "servicebind")
    assert "check bind_dn and the password in INTRANET_LDAP_ZWOLLE_PASSWORD" in advice(lines)
    assert step(lines, "TCP").startswith("OK")


def test_service_password_not_set(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(ZWOLLE_ENV)
    code, lines = run(demo, "--municipality", "zwolle")
    assert code == 1
    assert "INTRANET_LDAP_ZWOLLE_PASSWORD (the service password) is not set" in failed_at(
        lines, "servicebind"
    )


def test_wrong_user_base(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = demo.extensions["intranet"].deployment.for_municipality("zwolle").directory
    use_directory(
        monkeypatch,
        demo,
        "zwolle",
        dataclasses.replace(settings, user_base="ou=mensen,dc=zwolle,dc=demo"),
    )
    code, lines = run(demo, "--municipality", "zwolle", "--user", "griffier")
    assert code == 1
    assert "'ou=mensen,dc=zwolle,dc=demo' does not exist" in failed_at(lines, "zoeken")
    assert "check user_base" in advice(lines)


def test_unknown_user(demo) -> None:  # type: ignore[no-untyped-def]
    code, lines = run(demo, "--municipality", "zwolle", "--user", "nobody")
    assert code == 1
    assert "'nobody' not found under 'ou=people,dc=zwolle,dc=demo'" in failed_at(lines, "gebruiker")
    assert "login_attribute" in advice(lines)


@pytest.mark.parametrize("mode", ["starttls", "ldaps"])
def test_untrusted_certificate(demo, tls_directory, monkeypatch, mode) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASSWORD_ENV, "service-demo")
    extra = {"starttls": True} if mode == "starttls" else {}
    other_ca = str(tls_directory.other_ca.path)
    use_directory(
        monkeypatch,
        demo,
        "zwolle",
        zwolle_settings(tls_directory.url(mode), ca_file=other_ca, **extra),
    )
    code, lines = run(demo, "--municipality", "zwolle", "--user", "griffier")
    assert code == 1
    assert "certificate not trusted" in failed_at(lines, "TLS")
    assert f"the CA file {other_ca} does not contain the issuer of the server certificate" in (
        advice(lines)
    )
    assert step(lines, "TCP").startswith("OK")


@pytest.mark.parametrize("mode", ["starttls", "ldaps"])
def test_certificate_for_another_host(demo, tls_directory, monkeypatch, mode) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASSWORD_ENV, "service-demo")
    extra = {"starttls": True} if mode == "starttls" else {}
    use_directory(
        monkeypatch,
        demo,
        "zwolle",
        zwolle_settings(
            tls_directory.url(mode, "127.0.0.1"), ca_file=str(tls_directory.ca.path), **extra
        ),
    )
    code, lines = run(demo, "--municipality", "zwolle")
    assert code == 1
    assert "host name does not match" in failed_at(lines, "TLS")
    assert "not issued for '127.0.0.1'" in advice(lines)


def test_the_command_is_documented() -> None:
    doc = (Path(__file__).resolve().parent.parent / "deploy" / "intranet.example.toml").read_text()
    assert "intranet ldap check" in doc
