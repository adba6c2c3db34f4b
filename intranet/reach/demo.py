"""Demo data for organisations and reach: a few organisations with a contact person, the
municipality's reach groups with some residents in them, and an outreach action."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..extensions import db
from ..organisations.models import Organisation, OrganisationContact
from ..timeutil import today
from .models import OutreachAction, ReachGroup, ResidentReachGroup

DEMO_GROUPS = [
    (
        "Mantelzorgers onder de 25",
        "Jonge mantelzorgers, vaak niet in beeld bij de gemeente.",
        False,
    ),
    (
        "Inwoners met schulden",
        "Inwoners in de schuldhulpverlening of met betalingsachterstanden.",
        False,
    ),
    ("Voor het eerst meegedaan", "Inwoners die niet eerder aan participatie meededen.", False),
    (
        "Licht verstandelijke beperking (LVB)",
        "Zegt iets over gezondheid: bijzonder persoonsgegeven.",
        True,
    ),
]


def load(municipality: Any, residents: list[Any]) -> None:
    """Add the demo's organisations and reach groups (only for a newly made municipality)."""
    platform = Organisation(
        municipality_id=municipality.id,
        name=f"Burgerplatform {municipality.name.removeprefix('Gemeente ')}",
        kind="citizens_platform",
        email="platform@example.org",
    )
    council = Organisation(
        municipality_id=municipality.id,
        name="Cliëntenraad Sociaal Domein",
        kind="client_organisation",
    )
    care = Organisation(
        municipality_id=municipality.id, name="Zorggroep De Brug", kind="care_provider"
    )
    db.session.add_all([platform, council, care])
    db.session.flush()
    if residents:
        db.session.add(
            OrganisationContact(
                municipality_id=municipality.id,
                organisation_id=council.id,
                resident_id=residents[-1].id,
                role="voorzitter",
            )
        )
    groups = []
    for name, description, special in DEMO_GROUPS:
        group = ReachGroup(
            municipality_id=municipality.id, name=name, description=description, special=special
        )
        db.session.add(group)
        groups.append(group)
    db.session.flush()
    given = date(2026, 1, 15)
    for i, resident in enumerate(residents):
        group = groups[i % len(groups)]
        db.session.add(
            ResidentReachGroup(
                municipality_id=municipality.id,
                resident_id=resident.id,
                group_id=group.id,
                consent_method="verbal",
                consent_given_on=given,
                recorded_by="demo",
            )
        )
    db.session.add(
        OutreachAction(
            municipality_id=municipality.id,
            done_on=today() - timedelta(days=30),
            group_id=groups[0].id,
            description="Uitleg over de raadsgesprekken bij het mantelzorgcafé van de bibliotheek.",
            recorded_by="demo",
        )
    )
    db.session.flush()
