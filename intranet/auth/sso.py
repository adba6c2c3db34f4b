"""Single sign-on behind a trusted reverse proxy: the proxy authenticates, we trust its header.

The header is honoured only when the request comes straight from one of the configured proxy
addresses; the same header from anywhere else is refused and audited, because anyone can send
it. Groups still come from the directory.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from flask import abort, current_app, g, request

from ..audit.service import record_now
from ..config import SingleSignOnSettings
from .directory import DirectoryUnavailable, InvalidCredentials

log = logging.getLogger(__name__)


def peer_address() -> str:
    """The address of the machine that connected to us, before any X-Forwarded-For rewriting."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR", "")


def _trusted(address: str, proxies: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(p, strict=False) for p in proxies)


def username_from_header(value: str, settings: SingleSignOnSettings) -> str:
    value = value.strip()
    if settings.strip_realm:
        value = value.rsplit("\\", 1)[-1].split("@", 1)[0]
    return value


def try_single_sign_on(signed_in: bool) -> Any:
    """Called by the guard for every municipality request carrying the header.

    From an untrusted address: refused (403) and audited, signed in or not. From a trusted
    proxy without a session: the named employee is looked up and signed in.
    """
    municipality = g.get("municipality")
    if municipality is None:
        return None
    state = current_app.extensions["intranet"]
    settings = state.deployment.for_municipality(municipality.slug)
    sso = settings.sso
    if sso is None or sso.header not in request.headers:
        return None
    if not _trusted(peer_address(), sso.trusted_proxies):
        record_now(
            "auth.sso_refused",
            result="denied",
            details={"reason": "untrusted_address", "header": sso.header},
            municipality=municipality,
        )
        abort(403)
    if signed_in:
        return None
    username = username_from_header(request.headers[sso.header], sso)
    if not username or settings.directory is None:
        return None
    from .directory import directory_for
    from .views import complete_sign_in

    try:
        found = directory_for(municipality.slug, settings.directory).find_user(username)
    except InvalidCredentials as exc:
        record_now(
            "auth.login",
            result="failure",
            actor=username[:200],
            details={"reason": exc.reason, "method": "sso"},
            municipality=municipality,
        )
        abort(403)
    except DirectoryUnavailable as exc:
        log.warning("directory of %s unavailable for sso: %s", municipality.slug, exc)
        return None  # the login page explains the outage
    employee = complete_sign_in(municipality, found, method="sso")
    if employee is None:
        abort(403)
    return None
