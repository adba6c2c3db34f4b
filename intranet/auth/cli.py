"""``flask --app wsgi intranet ldap check``: why can (or can't) employees sign in?

Walks the path of a sign-in one step at a time, with fresh connections (never the pool),
and prints one line per step: ``OK``, ``FOUT`` (failed: the command stops there and exits
with status 1, with advice on the next line) or ``LET OP`` (works, but look at this).

    OK    configuratie: ldaps://dc01.gemeente.local:636 (LDAPS), CA-bestand /etc/...
    OK    TCP: verbinding met dc01.gemeente.local:636 in 2 ms
    OK    TLS: certificaat vertrouwd, hostnaam klopt (LDAPS)
    FOUT  servicebind: service bind as CN=svc-intranet,... refused: invalidCredentials
          advies: check bind_dn and the password in INTRANET_LDAP_VOORBEELDSTAD_PASSWORD
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable
from typing import NoReturn, TypeVar

import click
from flask import current_app
from flask.cli import AppGroup
from ldap3 import Connection
from ldap3.core.exceptions import LDAPException
from sqlalchemy import select

from ..config import DirectorySettings
from .directory import Directory, DirectoryUnavailable, UserEntry, _Broken, _close
from .dn import normalize_dn_lenient

T = TypeVar("T")

ldap_cli = AppGroup("ldap", help="De directory (LDAP / Active Directory) van een gemeente.")

OK = "OK   "
FAIL = "FOUT "
NOTE = "LET OP"


class _Failed(Exception):
    pass


def _line(status: str, step: str, text: str) -> None:
    click.echo(f"{status} {step}: {text}")


def _fail(step: str, text: str, advice: str = "") -> NoReturn:
    _line(FAIL, step, text)
    if advice:
        click.echo(f"      advies: {advice}")
    raise _Failed(step)


def _attempt(step: str, action: Callable[[], T]) -> T:
    """Run one step; a DirectoryUnavailable (or ldap3 error) becomes a FOUT line."""
    try:
        return action()
    except DirectoryUnavailable as exc:
        _fail(step, str(exc), exc.advice)
    except (LDAPException, OSError, _Broken) as exc:
        _fail(step, f"the directory answered with an error: {exc}")


def _describe(settings: DirectorySettings) -> str:
    mode = {"ldaps": "LDAPS", "starttls": "StartTLS"}.get(settings.tls_mode or "", "geen TLS")
    trust = ""
    if settings.tls_mode:
        trust = f", CA-bestand {settings.ca_file}" if settings.ca_file else ", CA's van het systeem"
    return f"{settings.url} ({mode}{trust}), login_attribute={settings.login_attribute}"


@ldap_cli.command("check")
@click.option("--municipality", "slug", required=True, help="De gemeente (slug), bijv. zwolle.")
@click.option("--user", "username", help="Zoek ook deze medewerker op, met groepen en rollen.")
def check(slug: str, username: str | None) -> None:
    """Check the directory of a municipality step by step (configuration, TCP, TLS,
    service bind, user search, groups, roles); exits 1 at the first step that fails."""
    try:
        _check(slug, username)
    except _Failed:
        sys.exit(1)


def _check(slug: str, username: str | None) -> None:
    # 1. configuration
    deployment = current_app.extensions["intranet"].deployment
    settings = deployment.for_municipality(slug).directory
    if settings is None:
        _fail(
            "configuratie",
            f"no directory configured for municipality '{slug}'",
            f"add a [municipalities.{slug}.directory] section to the file INTRANET_CONFIG "
            f"names ({current_app.config.get('DEPLOYMENT_CONFIG') or 'not set'})",
        )
    _line(OK, "configuratie", _describe(settings))
    if settings.tls_mode is None:
        _line(
            NOTE,
            "configuratie",
            "no TLS: passwords cross the network unencrypted; use an ldaps:// URL or "
            "starttls = true",
        )
    directory = Directory(settings)

    # 2. TCP
    started = time.monotonic()
    try:
        socket.create_connection((directory.host, directory.port), timeout=settings.timeout).close()
    except OSError as exc:
        _fail(
            "TCP",
            f"cannot connect to {directory.host}:{directory.port}: {exc}",
            "check the host and port in url, DNS, and that a firewall lets this server through",
        )
    _line(
        OK,
        "TCP",
        f"connected to {directory.host}:{directory.port} in "
        f"{(time.monotonic() - started) * 1000:.0f} ms",
    )

    # 3. TLS (connect() does it: the handshake checks certificate and host name)
    conn: Connection = _attempt("TLS", directory.connect)
    try:
        if settings.tls_mode:
            how = "LDAPS" if settings.tls_mode == "ldaps" else "StartTLS"
            _line(
                OK,
                "TLS",
                f"{how}: certificate trusted, host name '{directory.host}' matches "
                f"({conn.socket.version()})",
            )
        else:
            _line(OK, "TLS", "not used (see above)")
        _after_connect(directory, conn, slug, username)
    finally:
        _close(conn)


def _after_connect(directory: Directory, conn: Connection, slug: str, username: str | None) -> None:
    settings = directory.settings
    # 4. service bind
    if not settings.bind_password:
        _fail(
            "servicebind",
            f"environment variable {settings.bind_password_env} (the service password) is not set",
            f"set {settings.bind_password_env} in the environment of this command and of the "
            "service (for example the systemd EnvironmentFile)",
        )
    _attempt("servicebind", lambda: directory.bind_service(conn))
    _line(
        OK,
        "servicebind",
        f"bound as {settings.bind_dn} (password from {settings.bind_password_env})",
    )

    # 5. search bases and the user
    bases = _attempt("zoeken", lambda: directory.check_bases(conn))
    _line(OK, "zoekbases", ", ".join(bases))
    if not username:
        _line(NOTE, "gebruiker", "give --user NAME to look up an employee, their groups and roles")
        return
    entries: list[UserEntry] = _attempt("gebruiker", lambda: directory.search_user(conn, username))
    where = " and ".join(f"'{b}'" for b in settings.user_bases)
    if not entries:
        _fail(
            "gebruiker",
            f"'{username}' not found under {where} with filter {directory.user_filter(username)}",
            "check the user name, user_base, user_filter and login_attribute "
            f"(now {settings.login_attribute}; usual: uid, sAMAccountName, mail, userPrincipalName)",
        )
    if len(entries) > 1:
        _fail(
            "gebruiker",
            f"'{username}' is ambiguous: {len(entries)} entries match: "
            + "; ".join(f"{e.dn} (under {e.base})" for e in entries),
            "sign-in refuses ambiguous names: make user_filter or login_attribute unique",
        )
    entry = entries[0]
    _line(OK, "gebruiker", f"1 match, under {entry.base}: {entry.dn}")

    # 6. groups
    direct, groups = _attempt("groepen", lambda: directory.groups_of(conn, entry))
    how = settings.group_membership
    if settings.nested_groups and how != "ad_in_chain":
        how += f", nested up to {settings.nested_depth} levels"
    _line(OK, "groepen", f"{len(groups)} ({how})")
    direct_keys = {normalize_dn_lenient(g) for g in direct}
    for group in sorted(groups, key=normalize_dn_lenient):
        nested = "" if normalize_dn_lenient(group) in direct_keys else "  (via a nested group)"
        click.echo(f"      {group}{nested}")

    # 7. roles
    _roles(slug, [normalize_dn_lenient(g) for g in groups])


def _roles(slug: str, groups: list[str]) -> None:
    from ..access.models import Role
    from ..access.service import roles_for_groups
    from ..extensions import db
    from ..municipalities.service import by_slug

    municipality = by_slug(slug)
    settings = current_app.extensions["intranet"].deployment.for_municipality(slug)
    from_config = sorted(
        {
            f"{role} (config: {dn})"
            for dn, roles in settings.group_roles.items()
            if dn in groups
            for role in roles
        }
    )
    if municipality is None:
        _line(
            NOTE,
            "rollen",
            f"municipality '{slug}' is not in the database yet "
            f"(flask --app wsgi intranet municipality add {slug} ...); "
            f"the config maps: {', '.join(from_config) or 'nothing'}",
        )
        return
    granted = roles_for_groups(municipality, groups)
    names = {
        role.id: role.name
        for role in db.session.execute(select(Role).where(Role.id.in_(granted))).scalars()
    }
    if not granted:
        _line(
            NOTE,
            "rollen",
            "none of these groups is mapped to a role: the employee can sign in but sees "
            "little (map groups with `intranet roles map` or [municipalities."
            f"{slug}.group_roles])",
        )
    else:
        _line(
            OK,
            "rollen",
            ", ".join(f"{names.get(rid, rid)} (via {dn})" for rid, dn in sorted(granted.items())),
        )
    missing = sorted(
        {
            role
            for dn, roles in settings.group_roles.items()
            if dn in groups
            for role in roles
            if role not in names.values()
        }
    )
    if missing:
        _line(
            NOTE,
            "rollen",
            f"the config maps these groups to role(s) that do not exist in {slug}: "
            f"{', '.join(missing)}",
        )
