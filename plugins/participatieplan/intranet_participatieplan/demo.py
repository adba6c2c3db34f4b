"""Demo data for Zwolle from seed 001 (the reform agenda for the social domain, "een stevige
sociale basis", worked out "samen met inwoners en zorgpartijen") and seed 004 (personas made
with the target group, thematic werkateliers where municipality, politics and clients give
input). Other municipalities get the roles only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from intranet.plugin_api import db, demo_roles, give_consent, local_today

from . import models as m

ALDERMAN_CHALLENGE = (
    "Wethouder Klaas Sloots: “Hier zit meteen de grootste uitdaging. We moeten nog meer denken "
    "vanuit de inwoner, nog meer bekijken wat zijn precieze vraag is.”"
)
ALDERMAN_TOGETHER = (
    "“Dat doen we samen met inwoners en zorgpartijen, want hun kennis en ervaring hebben we "
    "zeker nodig”, aldus wethouder Klaas Sloots."
)


def _roles(municipality: Any) -> None:
    demo_roles(
        municipality,
        {
            "participatieplan-redactie": (
                "Participatieplan: plan en werkateliers",
                ["participatieplan.*"],
                ["beleidsmedewerkers"],
            ),
            "participatieplan-lezer": (
                "Participatieplan: lezen",
                ["participatieplan.view"],
                ["griffie"],
            ),
        },
    )


def load(municipality: Any, residents: list[Any]) -> None:
    from .questionbank import seed_starter_set

    _roles(municipality)
    seed_starter_set(municipality)
    if municipality.slug != "zwolle":
        return
    now = local_today()
    mid = municipality.id
    agenda = m.Agenda(
        municipality_id=mid,
        title="Hervormingsagenda sociaal domein",
        summary=(
            "Zwolle wil dat inwoners zo zelfstandig mogelijk kunnen leven. Wie zorg en "
            "ondersteuning nodig heeft, krijgt dat zoveel mogelijk dichtbij huis, in de eigen "
            "vertrouwde omgeving. De gemeente werkt toe naar een sociale basis die beter "
            "aansluit bij de behoefte van de inwoner.\n" + ALDERMAN_TOGETHER
        ),
        adopted_by="College van burgemeester en wethouders",
        adopted_on=date(now.year, 3, 14),
        budget_context=(
            "De overschrijding van de uitgaven voor het sociaal domein met 11 miljoen euro "
            "terugbrengen. De gemeente heeft elk jaar 250 miljoen euro beschikbaar om inwoners "
            "zorg te kunnen bieden."
        ),
    )
    db.session.add(agenda)
    db.session.flush()

    def stream(title: str, description: str, status: str, notes: str = "") -> m.Workstream:
        w = m.Workstream(
            municipality_id=mid,
            agenda_id=agenda.id,
            title=title,
            description=description,
            status=status,
            internal_notes=notes,
        )
        db.session.add(w)
        db.session.flush()
        return w

    basis = stream(
        "Sociale basis",
        "Zorg en ondersteuning dichtbij huis, in het dagelijks leven van inwoners, met "
        "vrijwilligers en zorgpartijen in de wijk.",
        "lopend",
        "Afstemming met de wijkteams over de nulmeting loopt nog.",
    )
    inkoop = stream(
        "Inkoop en organisatie van zorg",
        "Een andere manier van zorg inkopen en organiseren, die past bij wat inwoners nodig hebben.",
        "voorbereiding",
    )
    inwoner = stream(
        "Denken vanuit de inwoner",
        ALDERMAN_CHALLENGE,
        "lopend",
    )
    stream(
        "Communicatie over de veranderingen",
        "Nog in uitwerking.",
        "concept",
        "Concept, nog niet delen.",
    )

    def milestone(w: m.Workstream, title: str, due: date, done: date | None = None) -> m.Milestone:
        ms = m.Milestone(
            municipality_id=mid, workstream_id=w.id, title=title, due_on=due, done_on=done
        )
        db.session.add(ms)
        db.session.flush()
        return ms

    plan = milestone(basis, "Plan van aanpak met planning vastgesteld", date(now.year, 12, 15))
    milestone(
        basis,
        "Gesprekken met zorgpartijen en vrijwilligers afgerond",
        now - timedelta(days=90),
        now - timedelta(days=95),
    )
    milestone(
        inkoop, "Uitgangspunten inkoop besproken met zorgaanbieders", now - timedelta(days=20)
    )
    milestone(inwoner, "Persona's uit de doelgroep beschikbaar", now + timedelta(days=45))

    def moment(w: m.Workstream, title: str, **values: Any) -> m.Moment:
        mo = m.Moment(municipality_id=mid, workstream_id=w.id, title=title, **values)
        db.session.add(mo)
        return mo

    moment(
        basis,
        "Bijeenkomsten met zorgpartijen en vrijwilligers",
        description="Gesprekken over wat de sociale basis in de wijk nodig heeft.",
        parties=["zorgaanbieders", "vrijwilligers"],
        ladder="raadplegen",
        form="informatieavond",
        planned_on=now - timedelta(days=120),
        status="gehouden",
        outcome="De uitkomsten zijn gebruikt voor het opstellen van de hervormingsagenda.",
        outcome_reported_on=now - timedelta(days=100),
    )
    moment(
        basis,
        "Informatieavond sociale basis in de wijk",
        description="Iedereen is welkom. U hoort wat er verandert en kunt vragen stellen.",
        parties=["inwoners", "clienten", "mantelzorgers", "vrijwilligers"],
        ladder="informeren",
        form="informatieavond",
        planned_on=now + timedelta(days=21),
        status="gepland",
        milestone_id=plan.id,
        internal_notes="Zaal nog reserveren.",
    )
    moment(
        inkoop,
        "Advies over de uitgangspunten voor inkoop",
        description="De adviescommissie sociaal domein geeft advies over de uitgangspunten.",
        parties=["adviescommissie", "clientorganisaties"],
        ladder="adviseren",
        form="adviesaanvraag",
        planned_on=now + timedelta(days=40),
        status="gepland",
    )
    moment(
        inwoner,
        "Raadsgesprekken met cliënten",
        description="Raadsleden gaan in gesprek met cliënten over wat zij nodig hebben.",
        parties=["clienten", "gemeenteraad"],
        ladder="raadplegen",
        form="raadsgesprekken",
        planned_on=now - timedelta(days=10),
        status="gepland",
    )
    moment(
        inwoner,
        "Werkatelier ‘de vraag achter de vraag’",
        description="Cliënten, gemeente en politiek werken samen aan wat ‘denken vanuit de inwoner’ betekent.",
        parties=["clienten", "mantelzorgers", "gemeenteraad"],
        ladder="coproduceren",
        form="werkatelier",
        planned_on=now - timedelta(days=30),
        status="gehouden",
        outcome="Drie voorbeelden waarin een andere oplossing beter hielp dan het bestaande aanbod.",
    )

    # residents who gave consent for the werkatelier and the persona sessions (seed 004)
    people = [r for r in residents if getattr(r, "municipality_id", None) == mid][:3]
    for r in people:
        give_consent(
            r,
            m.WORKSHOP_CONSENT,
            method="written",
            given_on=now - timedelta(days=40),
            recorded_by="demo",
        )
        give_consent(
            r,
            m.PERSONA_CONSENT,
            method="written",
            given_on=now - timedelta(days=40),
            recorded_by="demo",
        )
    workshop = m.Workshop(
        municipality_id=mid,
        theme="Denken vanuit de inwoner",
        workstream_id=inwoner.id,
        held_on=now - timedelta(days=30),
        location="Stadhuis, Grote Kerkplein 15",
        status="gehouden",
        summary="Gemeente, politiek en cliënten leverden input voor de werkwijze bij de inkoop.",
    )
    db.session.add(workshop)
    db.session.flush()

    def participant(kind: str, role: str = "", resident: Any = None) -> m.WorkshopParticipant:
        p = m.WorkshopParticipant(
            municipality_id=mid,
            workshop_id=workshop.id,
            kind=kind,
            role=role,
            resident_id=resident.id if resident is not None else None,
        )
        db.session.add(p)
        db.session.flush()
        return p

    gemeente = participant("gemeente", "Beleidsadviseur Wmo")
    politiek = participant("politiek", "Raadslid, commissie sociaal domein")
    clients = [participant("client", resident=r) for r in people[:2]]
    inputs = [
        (
            gemeente,
            "Vraag bij de keukentafel eerst naar wat iemand zelf wil bereiken.",
            "gebruikt",
            "",
        ),
        (politiek, "Laat de raad twee keer per jaar horen wat inwoners merken.", "gebruikt", ""),
    ]
    if clients:
        inputs.append(
            (clients[0], "Ik wil één vast aanspreekpunt, niet steeds een ander.", "gebruikt", "")
        )
    if len(clients) > 1:
        inputs.append(
            (
                clients[1],
                "Maak de vervoersregeling ook geldig voor bezoek aan familie.",
                "niet_gebruikt",
                "Valt buiten deze werkstroom; doorgegeven aan het team vervoer.",
            )
        )
    for p, text, decision, reason in inputs:
        db.session.add(
            m.WorkshopInput(
                municipality_id=mid,
                workshop_id=workshop.id,
                participant_id=p.id,
                kind=p.kind,
                text=text,
                decision=decision,
                reason=reason,
                decided_on=now - timedelta(days=20),
            )
        )

    session = m.CocreationSession(
        municipality_id=mid,
        title="Persona's maken met cliënten en mantelzorgers",
        held_on=now - timedelta(days=25),
        notes="Samen met de doelgroep, niet over de doelgroep.",
    )
    db.session.add(session)
    db.session.flush()
    for r in people[:2]:
        db.session.add(
            m.SessionParticipant(municipality_id=mid, session_id=session.id, resident_id=r.id)
        )
    persona = m.Persona(municipality_id=mid, name="Ans", status="in_gebruik")
    db.session.add(persona)
    db.session.flush()
    db.session.add(
        m.PersonaVersion(
            municipality_id=mid,
            persona_id=persona.id,
            number=1,
            situation="Ans (68) woont alleen en zorgt sinds kort voor haar broer. Ze wil zo lang mogelijk zelf blijven doen wat ze kan.",
            what_matters="Zelf de regie houden; mensen die haar kennen.",
            quotes="Vraag mij wat ik nodig heb, niet wat er te krijgen is.\nIk wil niet steeds mijn verhaal opnieuw vertellen.",
            needs="Eén vast aanspreekpunt in de wijk.",
            obstacles="Formulieren en wisselende contactpersonen.",
            session_id=session.id,
            created_by="demo",
        )
    )
    db.session.add(
        m.PersonaUse(
            municipality_id=mid,
            persona_id=persona.id,
            workstream_id=inwoner.id,
            note="Gebruikt bij het herschrijven van de werkwijze aan de keukentafel.",
        )
    )
    db.session.flush()
