"""Roles every new municipality starts with; access administrators adapt them afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .service import create_role

if TYPE_CHECKING:
    from ..municipalities.models import Municipality

DEFAULT_ROLES = {
    "medewerker": (
        "Medewerker",
        "Ziet het dashboard en de participatiekalender.",
        ["core.dashboard"],
    ),
    "participatiecoordinator": (
        "Participatiecoördinator",
        "Houdt bij welke inbreng van deelnemers nog terugkoppeling nodig heeft, in alle plugins, "
        "en stelt de termijnen daarvoor in.",
        ["core.dashboard", "core.feedback.view", "core.feedback.manage"],
    ),
    "inwonerregistratie": (
        "Inwonerregistratie",
        "Bekijkt en registreert inwoners en hun toestemmingen.",
        [
            "core.dashboard",
            "core.residents.view",
            "core.residents.edit",
            "core.organisations.view",
            "core.organisations.edit",
        ],
    ),
    "bereik": (
        "Bereik",
        "Beheert de bereikgroepen, legt acties vast en leest het bereik (zonder kleine aantallen).",
        ["core.dashboard", "core.reach.view", "core.reach.manage", "core.organisations.view"],
    ),
    "privacy": (
        "Privacy-afhandeling",
        "Handelt inzage- en verwijderverzoeken af en beheert het verwerkingsregister.",
        [
            "core.dashboard",
            "core.residents.view",
            "core.privacy.requests",
            "core.privacy.register",
            "core.privacy.retention",
        ],
    ),
    "functioneel-beheerder": (
        "Functioneel beheerder",
        "Beheert rollen en toegang en leest het auditlog.",
        ["core.dashboard", "core.audit.view", "core.access.manage"],
    ),
}


def create_default_roles(municipality: Municipality) -> None:
    for name, (title, description, permissions) in DEFAULT_ROLES.items():
        create_role(municipality, name, title, permissions, description)
