"""Look a signed-in employee up in the directory again, now and then.

An account disabled or removed in the directory then ends its sessions here within
``DIRECTORY_RECHECK_MINUTES``, and changed group memberships reach the roles. When the
directory is down, employees keep working: an outage is not a reason to sign anyone out.

A directory that hangs must not make every page wait for the full timeout. After a failed
re-check this process leaves that municipality's directory alone for
``DIRECTORY_RECHECK_BACKOFF_SECONDS`` (and logs it), and while one re-check of a municipality
is waiting, other requests do not start another: a hanging directory costs at most one
timeout per back-off period per worker process.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import current_app, g, session
from flask_login import current_user

from ..access.service import sync_group_roles
from ..audit.service import record
from ..extensions import db
from .directory import DirectoryUnavailable, InvalidCredentials, directory_for

log = logging.getLogger(__name__)

#: municipality slug -> time.monotonic() until which re-checks leave its directory alone
_backoff_until: dict[str, float] = {}
#: municipality slug -> held while a re-check of that municipality waits on its directory
_in_flight: dict[str, threading.Lock] = {}
_state_lock = threading.Lock()


def reset_recheck_backoff() -> None:
    """Forget every back-off (tests, and an operator who knows the directory is back)."""
    with _state_lock:
        _backoff_until.clear()


def backing_off(slug: str) -> bool:
    """True while re-checks skip ``slug``'s directory after a failure."""
    with _state_lock:
        until = _backoff_until.get(slug)
        if until is None:
            return False
        if time.monotonic() < until:
            return True
        del _backoff_until[slug]
        return False


def _back_off(slug: str, exc: Exception) -> None:
    seconds = current_app.config["DIRECTORY_RECHECK_BACKOFF_SECONDS"]
    with _state_lock:
        _backoff_until[slug] = time.monotonic() + seconds
    log.warning(
        "directory of %s unavailable for a recheck: %s; no rechecks for %s s (employees "
        "keep working meanwhile)",
        slug,
        exc,
        seconds,
    )


def _slot(slug: str) -> threading.Lock:
    with _state_lock:
        return _in_flight.setdefault(slug, threading.Lock())


def recheck_in_directory() -> bool:
    """False when the directory no longer knows the signed-in employee."""
    minutes = current_app.config["DIRECTORY_RECHECK_MINUTES"]
    if time.time() - session.get("directory_checked", 0) < minutes * 60:
        return True
    municipality = g.municipality
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    if settings.directory is None or backing_off(municipality.slug):
        return True  # still due: checked on a request after the back-off
    slot = _slot(municipality.slug)
    if not slot.acquire(blocking=False):
        return True  # another request is asking the directory right now; do not pile up
    try:
        return _recheck(municipality, settings.directory)
    finally:
        slot.release()


def _recheck(municipality, directory_settings) -> bool:  # type: ignore[no-untyped-def]
    employee = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        found = directory_for(municipality.slug, directory_settings).find_user(employee.username)
    except InvalidCredentials:
        employee.session_version += 1
        record(
            "auth.session_ended",
            object_type="employee",
            object_id=employee.id,
            municipality=municipality,
            details={"reason": "not_in_directory"},
        )
        db.session.commit()
        return False
    except DirectoryUnavailable as exc:
        _back_off(municipality.slug, exc)
        return True
    session["directory_checked"] = time.time()
    if sorted(found.groups) != sorted(employee.groups):
        employee.groups = list(found.groups)
        sync_group_roles(municipality, employee)
        db.session.commit()
    return True
