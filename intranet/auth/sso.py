"""Single sign-on behind a trusted reverse proxy: the proxy authenticates, we trust its header.

The header is honoured only when the request comes straight from one of the configured proxy
addresses; the same header from anywhere else is refused and audited (one row per address per
interval, with a count: anyone can send it, as fast as they like). Groups still come from the
directory.

The session follows the header: when a trusted proxy names someone other than the employee
signed in, that session ends before anything else happens, and the named person is signed in
(or refused). Signing out leaves a mark in the (otherwise empty) session that stops the same
person from being signed straight back in; the signed-out page says how to continue.

Entry point: :func:`single_sign_on`, called once per request by the request pipeline.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from typing import Any

from flask import abort, current_app, g, request, session
from flask_login import current_user, logout_user

from ..audit.service import record, record_now
from ..config import SingleSignOnSettings
from ..extensions import db
from ..municipalities.models import Municipality
from .directory import DirectoryUnavailable, InvalidCredentials
from .usernames import (
    MAX_USERNAME_LENGTH,
    has_lookalike_characters,
    normalize_username,
    same_username,
)

log = logging.getLogger(__name__)

#: Session key set at sign-out: the normalised name of who signed out. While it is there the
#: header does not sign that person in again; "Opnieuw aanmelden" removes it.
SIGNED_OUT_KEY = "sso_signed_out"
#: Session key: when a sign-on last failed because the directory was unreachable.
UNAVAILABLE_KEY = "sso_unavailable_at"
#: After such a failure, pages say the directory is unreachable for this long without trying
#: again (every try can cost the directory timeout); then the next request tries once more.
UNAVAILABLE_RETRY_SECONDS = 30
#: Default interval of the refused-header audit rows (app config SSO_REFUSED_AUDIT_SECONDS).
REFUSED_AUDIT_SECONDS = 60
#: Addresses remembered for that throttle; older ones are forgotten first.
REFUSED_AUDIT_MAX_ADDRESSES = 10_000


class HeaderRefused(Exception):
    """The proxy's header names nobody we may sign in; ``reason`` goes to the audit log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- addresses -----------------------------------------------------------------------------


def peer_address() -> str:
    """The address of the machine that connected to us, before any X-Forwarded-For rewriting."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR", "")


def canonical_address(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in one spelling: ``::ffff:127.0.0.1`` (a server bound to ``[::]``) is
    ``127.0.0.1``. None for something that is not an address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_trusted_proxy(address: str, settings: SingleSignOnSettings) -> bool:
    """Whether ``address`` is one of the configured proxies (compared canonically)."""
    ip = canonical_address(address)
    return ip is not None and any(ip in network for network in settings.networks)


# -- the header ----------------------------------------------------------------------------


def decode_header(raw: str) -> str:
    """The header's bytes as UTF-8. WSGI hands them over as Latin-1 text, which would read the
    byte 0xAA as ``ª`` (and the directory then matches it to ``a``)."""
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise HeaderRefused("not_utf8") from None


def username_from_header(value: str, settings: SingleSignOnSettings) -> str:
    """The user name in a decoded header value, or HeaderRefused.

    Accepted: ``name``, ``name@REALM`` and ``REALM\\name`` with REALM one of ``realms``
    (any case). Refused: any other realm, more than one separator, a Kerberos instance
    (``name/admin``), and names with look-alike or control characters.
    """
    value = value.strip()
    if "," in value:  # the header came twice: WSGI joins the values with ", "
        raise HeaderRefused("several_values")
    if value.count("@") + value.count("\\") > 1:
        raise HeaderRefused("several_realm_separators")
    name, realm = value, None
    if "@" in value:
        name, realm = value.split("@")
    elif "\\" in value:
        realm, name = value.split("\\")
    if realm is not None and not any(
        realm.casefold() == known.casefold() for known in settings.realms
    ):
        raise HeaderRefused("realm_not_accepted")
    if "/" in name:
        raise HeaderRefused("principal_instance")
    if not name.strip() or len(value) > MAX_USERNAME_LENGTH or name != name.strip():
        raise HeaderRefused("invalid_username")
    if has_lookalike_characters(value):
        raise HeaderRefused("lookalike_characters")
    return value if realm is not None and not settings.strip_realm else name


# -- refused headers: evidence, bounded ----------------------------------------------------


class RefusalLog:
    """One audit row per address per interval, carrying how many requests it stands for.

    The count in a row is the number of refused requests from that address since the
    previous row (this one included). Per process; IPv6 addresses count per /64.
    """

    def __init__(self, max_addresses: int = REFUSED_AUDIT_MAX_ADDRESSES) -> None:
        self._entries: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._max = max_addresses

    def note(self, key: str, interval: float) -> int | None:
        """The count to record now, or None when this request only adds to the next row."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < interval:
                entry[1] += 1
                return None
            if entry is None and len(self._entries) >= self._max:
                self._forget(now, interval)
            count = 1 + int(entry[1]) if entry is not None else 1
            self._entries[key] = [now, 0]
            return count

    def _forget(self, now: float, interval: float) -> None:
        for key, (since, suppressed) in sorted(self._entries.items(), key=lambda kv: kv[1][0]):
            if len(self._entries) < self._max and now - since < interval:
                break
            if suppressed:
                log.warning(
                    "sso: %d refused header(s) from %s not in the audit log", suppressed, key
                )
            del self._entries[key]


def _address_key(address: str) -> str:
    ip = canonical_address(address)
    if ip is None:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _refuse_untrusted(municipality: Municipality, settings: SingleSignOnSettings) -> None:
    interval = float(current_app.config.get("SSO_REFUSED_AUDIT_SECONDS", REFUSED_AUDIT_SECONDS))
    refusals: RefusalLog = current_app.extensions.setdefault("intranet_sso_refusals", RefusalLog())
    count = refusals.note(f"{municipality.slug}:{_address_key(peer_address())}", interval)
    if count is not None:
        record_now(
            "auth.sso_refused",
            result="denied",
            details={
                "reason": "untrusted_address",
                "header": settings.header,
                "count": count,
                "interval_seconds": interval,
            },
            municipality=municipality,
        )
    abort(403)


# -- sessions ------------------------------------------------------------------------------


def _end_session(reason: str, **details: Any) -> None:
    """End this browser's session (not the employee's others) and say why in the audit log."""
    employee = current_user._get_current_object()  # type: ignore[attr-defined]
    record(
        "auth.session_ended",
        object_type="employee",
        object_id=employee.id,
        municipality=db.session.get(Municipality, employee.municipality_id),
        details={"reason": reason, **details},
    )
    db.session.commit()
    logout_user()
    session.clear()


def _refuse_header(
    municipality: Municipality, reason: str, actor: str | None, raw: str | None = None
) -> None:
    if current_user.is_authenticated:
        _end_session("sso_header_refused")
    details: dict[str, Any] = {"reason": reason, "method": "sso"}
    if raw is not None:
        details["value"] = ascii(raw)[:200]
    record_now(
        "auth.login",
        result="failure",
        actor=actor[:200] if actor else None,
        details=details,
        municipality=municipality,
    )
    abort(403)


def remember_sign_out(slug: str, username: str) -> bool:
    """Call after sign-out has cleared the session: True when ``slug`` uses single sign-on,
    in which case the header will not sign ``username`` in again until they ask for it."""
    settings = current_app.extensions["intranet"].deployment.for_municipality(slug)
    if settings.sso is None:
        return False
    session[SIGNED_OUT_KEY] = normalize_username(username)
    return True


def sign_in_again() -> None:
    """The employee asked to sign in again: the next request with the header signs them in."""
    session.pop(SIGNED_OUT_KEY, None)
    session.pop(UNAVAILABLE_KEY, None)


def directory_unavailable() -> bool:
    """True when this request's sign-on found (or recently found) the directory unreachable."""
    return bool(g.get("sso_unavailable"))


def signed_out_under_sso() -> bool:
    """True when the header was ignored because this person signed out (see SIGNED_OUT_KEY)."""
    return bool(g.get("sso_signed_out"))


def _header_username(municipality: Municipality, sso: SingleSignOnSettings) -> str | None:
    """The username the proxy's header names, or None when there is none to follow.

    A header from an untrusted peer is refused (403); an absent or empty header ends the
    session where single sign-on is required; a malformed one is refused and audited.
    """
    raw = request.headers.get(sso.header)
    if raw is not None and not is_trusted_proxy(peer_address(), sso):
        _refuse_untrusted(municipality, sso)
    if raw is None or not raw.strip():
        if sso.required and current_user.is_authenticated:
            _end_session("sso_header_missing")
        return None
    try:
        return username_from_header(decode_header(raw), sso)
    except HeaderRefused as exc:
        _refuse_header(municipality, exc.reason, None, raw)
        return None


def single_sign_on() -> None:
    """The request pipeline's single sign-on step. Call it once per request to a view, after
    the session has been loaded (and expired sessions ended), before the directory re-check
    and before public / permission checks.

    Outcomes: returns None with the right employee (or nobody) signed in, or aborts 403
    (header from an untrusted address, or naming someone who may not sign in). It sets
    ``g.sso_unavailable`` / ``g.sso_signed_out`` for the sign-in page.
    """
    municipality = g.get("municipality")
    if municipality is None:
        _outside_municipality()
        return
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    sso = settings.sso
    if sso is None or settings.directory is None:
        return  # the header means nothing here; the proxy config says so too
    username = _header_username(municipality, sso)
    if username is None:
        return
    if current_user.is_authenticated:
        if current_user.municipality_id == municipality.id and same_username(
            current_user.username, username
        ):
            return  # the same person: carry on
        _end_session("sso_user_changed")
    signed_out = session.get(SIGNED_OUT_KEY)
    if signed_out is not None:
        if signed_out == normalize_username(username):
            g.sso_signed_out = True
            return
        session.pop(SIGNED_OUT_KEY)  # someone else at this browser now
    failed_at = session.get(UNAVAILABLE_KEY)
    if failed_at is not None and time.time() - failed_at < UNAVAILABLE_RETRY_SECONDS:
        g.sso_unavailable = True
        return

    from .directory import directory_for
    from .views import complete_sign_in

    try:
        found = directory_for(municipality.slug, settings.directory).find_user(username)
    except InvalidCredentials as exc:
        _refuse_header(municipality, exc.reason, username)
        return
    except DirectoryUnavailable as exc:
        log.warning("directory of %s unavailable for sso: %s", municipality.slug, exc)
        session[UNAVAILABLE_KEY] = time.time()
        g.sso_unavailable = True
        return  # the sign-in page explains the outage
    if complete_sign_in(municipality, found, method="sso") is None:
        abort(403)


def _outside_municipality() -> None:
    """Pages without a municipality (platform pages, sign-out): the session still follows the
    header of the employee's own municipality, but nobody new is signed in here."""
    if not current_user.is_authenticated:
        return
    municipality = db.session.get(Municipality, current_user.municipality_id)
    if municipality is None:
        return
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    sso = settings.sso
    if sso is None:
        return
    username = _header_username(municipality, sso)
    if username is not None and not same_username(current_user.username, username):
        _end_session("sso_user_changed")
