"""Small helpers shared by the view modules."""

from __future__ import annotations

from datetime import date

from flask_login import current_user

from intranet.access.permissions import effective_permissions
from intranet.plugin_api import local_today
from intranet.tenancy import current_municipality


def permissions() -> frozenset[str]:
    return effective_permissions(current_user, current_municipality())


def today() -> date:
    return local_today()


def status_code(form) -> int:  # type: ignore[no-untyped-def]
    return 400 if form.errors else 200
