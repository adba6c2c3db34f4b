"""Small helpers shared by the view modules."""

from __future__ import annotations

from datetime import date

from flask_login import current_user

from intranet.plugin_api import (
    current_municipality,
    effective_permissions,
    local_today,
)


def permissions() -> frozenset[str]:
    return effective_permissions(current_user, current_municipality())


def today() -> date:
    return local_today()
