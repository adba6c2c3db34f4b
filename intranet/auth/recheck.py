"""Look a signed-in employee up in the directory again, now and then.

An account disabled or removed in the directory then ends its sessions here within
``DIRECTORY_RECHECK_MINUTES``, and changed group memberships reach the roles. When the
directory is down, employees keep working: an outage is not a reason to sign anyone out.
"""

from __future__ import annotations

import logging
import time

from flask import current_app, g, session
from flask_login import current_user

from ..access.service import sync_group_roles
from ..audit.service import record
from ..extensions import db
from .directory import DirectoryUnavailable, InvalidCredentials, directory_for

log = logging.getLogger(__name__)


def recheck_in_directory() -> bool:
    """False when the directory no longer knows the signed-in employee."""
    minutes = current_app.config["DIRECTORY_RECHECK_MINUTES"]
    if time.time() - session.get("directory_checked", 0) < minutes * 60:
        return True
    municipality = g.municipality
    settings = current_app.extensions["intranet"].deployment.for_municipality(municipality.slug)
    if settings.directory is None:
        return True
    employee = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        found = directory_for(municipality.slug, settings.directory).find_user(employee.username)
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
        log.warning("directory of %s unavailable for a recheck: %s", municipality.slug, exc)
        return True
    session["directory_checked"] = time.time()
    if sorted(found.groups) != sorted(employee.groups):
        employee.groups = list(found.groups)
        sync_group_roles(municipality, employee)
        db.session.commit()
    return True
