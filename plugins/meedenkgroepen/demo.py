"""Demo data from seed 003 (Zaanstad): the six groups, the panels, a meeting with outcomes,
a questionnaire in preparation and a trajectory in step 2."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from intranet.plugin_api import (
    Consent,
    db,
    ensure_roles,
    local_today,
    utcnow,
)

from . import models as m

MAILBOX = "clientenparticipatie@zaanstad.nl"

GROUPS: list[tuple[str, str, str]] = [
    (
        "GGZ-wachtlijsten",
        "Gemeente Zaanstad wil ervoor zorgen dat mensen op de wachtlijst gehoord worden en weten dat ze er niet alleen voor staan. Een eerste stap is om te onderzoeken waar behoefte aan is tijdens het wachten. Waar loopt iemand tegenaan? Waar kunnen zij hulp bij gebruiken?",
        "Onderzoeken waar mensen op de GGZ-wachtlijst behoefte aan hebben tijdens het wachten.",
    ),
    (
        "Mantelzorgers",
        "Veel Zaankanters zijn mantelzorgers en maken gebruik van de mantelzorgwaardering. Gemeente Zaanstad zoekt mantelzorgers die mee willen denken over een nieuwe vorm van deze waardering.",
        "Een nieuwe vorm van de mantelzorgwaardering, samen met mantelzorgers.",
    ),
    (
        "Langdurig ziek",
        "Een chronisch ziek gezinslid heeft grote invloed op het hele gezin. Waar loopt u tegenaan en wat zou handiger kunnen in de dienstverlening van alle organisaties waar u mee te maken heeft?",
        "De dienstverlening aan gezinnen met een chronisch ziek gezinslid verbeteren.",
    ),
    (
        "Gedupeerden kinderopvangtoeslagenaffaire",
        "De mensen in deze groep helpen de gemeente om op de juiste manier de gedupeerden te benaderen en te helpen. Deze meedenkgroep heeft ook een besloten Facebookgroep opgericht, waar de gedupeerden elkaar spreken en helpen.",
        "Gedupeerden op de juiste manier benaderen en helpen.",
    ),
    (
        "Energiearmoede",
        "Veel huishoudens in Zaanstad hebben moeite met het betalen van de energierekening.",
        "Huishoudens met moeite om de energierekening te betalen beter helpen.",
    ),
    (
        "Werk & inkomen",
        "Wat werkt wel en wat werkt niet wanneer u een uitkering ontvangt? Hoe werkt u samen met uw casemanager. Welke processen kunnen beter ingericht worden?",
        "De dienstverlening bij een uitkering en de samenwerking met de casemanager verbeteren.",
    ),
]

DATABASE_THEMES = [
    "Wet maatschappelijke ondersteuning (Wmo)",
    "Wijkteams",
    "Hulpmiddelen",
    "Jeugdwet",
    "Jeugdteams",
    "Ondersteuning voor jongeren",
    "Participatiewet",
    "Werk en inkomen",
]

PANELS: list[tuple[str, str, list[str]]] = [
    (
        "E-mails vanuit de database",
        "Zodra er een enquête of vraag is, ontvangt u die in uw e-mailbox. Wij ontvangen graag uw reactie op de thema's die u aanspreken.",
        DATABASE_THEMES,
    ),
    (
        "Panel werk en inkomen",
        "Heeft u een uitkering? U kunt meedenken over Werk & Inkomen. Het gaat om ongeveer vijf vragenlijsten per jaar.",
        [],
    ),
    (
        "Leerlingenvervoer",
        "Maakt uw kind gebruik van het leerlingenvervoer? U ontvangt een paar keer per jaar een vragenlijst over bijvoorbeeld communicatie of dienstverlening.",
        [],
    ),
    (
        "Aanvullend Openbaar Vervoer",
        "Hoe zorgen we er samen voor dat het Aanvullend Openbaar Vervoer aansluit op de wensen van de gebruikers? Waar mag u als gebruiker op rekenen?",
        [],
    ),
]


def load(municipality: Any, residents: list[Any]) -> None:
    ensure_roles(
        municipality,
        {
            "participatiecoordinator": (
                "Participatiecoördinator",
                # members' motivations are special-category data
                ["meedenkgroepen.*", "core.privacy.special"],
                ["participatie"],
            ),
            "beleid-meedenken": (
                "Beleidsmedewerker (meedenken)",
                ["meedenkgroepen.view", "meedenkgroepen.trajectories.manage"],
                ["beleidsmedewerkers"],
            ),
        },
    )
    mid = municipality.id
    groups = []
    for theme, description, goal in GROUPS:
        group = m.Group(
            municipality_id=mid,
            theme=theme,
            description=description,
            goal=goal,
            status="actief",
            mailbox=MAILBOX,
        )
        if theme.startswith("Gedupeerden"):
            group.channel_label = "Besloten Facebookgroep van de meedenkgroep"
        db.session.add(group)
        groups.append(group)
    db.session.flush()

    ggz, carers = groups[0], groups[1]
    with_mail = [r for r in residents if r.email]
    for n, r in enumerate(residents[:5]):
        db.session.add(
            m.Membership(
                municipality_id=mid,
                group_id=ggz.id if n % 2 == 0 else carers.id,
                resident_id=r.id,
                signed_up_on=date(2026, 1, 20) + timedelta(days=n),
                channel="email",
                motivation="Wil graag meedenken vanuit eigen ervaring.",
                wants_minutes=n == 4,
                recorded_by="demo",
            )
        )
        db.session.add(  # the consent the sign-up carries
            Consent(
                municipality_id=mid,
                resident_id=r.id,
                purpose=m.GROUP_CONSENT,
                scope="Meedenkgroep",
                method="email",
                given_on=date(2026, 1, 20) + timedelta(days=n),
                recorded_by="demo",
            )
        )
    db.session.flush()
    meeting = m.Meeting(
        municipality_id=mid,
        group_id=ggz.id,
        starts_at=utcnow().replace(hour=17, minute=30, second=0, microsecond=0)
        - timedelta(days=14),
        location="Stadhuis Zaandam, zaal De Zaan",
        agenda="1. Kennismaking\n2. Waar loopt u tegenaan tijdens het wachten?\n3. Wat zou helpen?",
    )
    db.session.add(meeting)
    db.session.flush()
    for r in residents[:5:2]:
        meeting.attendances.append(m.Attendance(municipality_id=mid, resident_id=r.id))
    for n, text in enumerate(
        [
            "Een vast aanspreekpunt tijdens het wachten.",
            "Lotgenotencontact in de wijk, ook 's avonds.",
            "Duidelijke informatie over hoe lang het wachten duurt.",
        ],
        start=1,
    ):
        meeting.outcomes.append(m.Outcome(municipality_id=mid, position=n, text=text))
    db.session.add(
        m.Meeting(
            municipality_id=mid,
            group_id=carers.id,
            starts_at=datetime.now(UTC).replace(hour=18, minute=0, second=0, microsecond=0)
            + timedelta(days=10),
            location="https://meet.zaanstad.demo/mantelzorg",
            online=True,
            agenda="Ideeën voor een nieuwe mantelzorgwaardering.",
        )
    )
    db.session.add(
        m.GroupProposal(
            municipality_id=mid,
            theme="Schulden en armoede bij jongeren",
            description="Een inwoner wil meedenken over hulp bij schulden voor jongeren.",
            resident_id=residents[5].id if len(residents) > 5 else None,
            received_on=date(2026, 2, 3),
        )
    )

    panels = []
    for name, description, themes in PANELS:
        panel = m.Panel(
            municipality_id=mid, name=name, description=description, themes=themes, mailbox=MAILBOX
        )
        db.session.add(panel)
        panels.append(panel)
    db.session.flush()
    for n, r in enumerate(with_mail):
        db.session.add(
            m.PanelMember(
                municipality_id=mid,
                panel_id=panels[0].id,
                resident_id=r.id,
                themes=DATABASE_THEMES[n % 3 :: 3],
                joined_on=date(2026, 1, 10),
                channel="email",
            )
        )
    for r in with_mail:  # the consent each panel member gave when signing up
        db.session.add(
            Consent(
                municipality_id=mid,
                resident_id=r.id,
                purpose=m.PANEL_CONSENT,
                scope="Panels Zaanstad",
                method="email",
                given_on=date(2026, 1, 10),
                recorded_by="demo",
            )
        )
    for r in with_mail[:3]:
        db.session.add(
            m.PanelMember(
                municipality_id=mid,
                panel_id=panels[1].id,
                resident_id=r.id,
                themes=[],
                joined_on=date(2026, 1, 12),
                channel="email",
            )
        )
    q = m.Questionnaire(
        municipality_id=mid,
        panel_id=panels[1].id,
        title="Samenwerken met uw casemanager",
        intro="We willen graag weten hoe u de samenwerking met uw casemanager ervaart.",
        themes=[],
        opens_on=local_today(),
        closes_on=local_today() + timedelta(days=21),
        created_by="demo",
    )
    db.session.add(q)
    db.session.flush()
    for n, (kind, text, options) in enumerate(
        [
            ("scale", "Hoe tevreden bent u over het contact met uw casemanager?", []),
            ("single", "Hoe vaak heeft u contact?", ["Elke week", "Elke maand", "Minder vaak"]),
            ("multiple", "Hoe heeft u contact?", ["Telefoon", "E-mail", "Op kantoor", "Thuis"]),
            ("open", "Wat kan er beter?", []),
        ],
        start=1,
    ):
        q.questions.append(
            m.Question(
                municipality_id=mid,
                position=n,
                kind=kind,
                text=text,
                options=options,
                scale_min_label="Heel ontevreden" if kind == "scale" else "",
                scale_max_label="Heel tevreden" if kind == "scale" else "",
            )
        )

    t = m.Trajectory(
        municipality_id=mid,
        topic="Nieuwe mantelzorgwaardering",
        origin="gemeente",
        origin_note="Opdracht: de mantelzorgwaardering vernieuwen, samen met mantelzorgers.",
        information="Evaluatie van de huidige waardering en de cijfers over gebruik.",
        step=2,
    )
    db.session.add(t)
    db.session.flush()
    t.documents.append(
        m.PolicyDocument(municipality_id=mid, title="Evaluatie mantelzorgwaardering 2025")
    )
    t.transitions.append(
        m.StepTransition(
            municipality_id=mid, from_step=None, to_step=1, actor="demo", reason="Gestart"
        )
    )
    t.transitions.append(
        m.StepTransition(
            municipality_id=mid,
            from_step=1,
            to_step=2,
            actor="demo",
            reason="Informatie beschikbaar",
        )
    )
    db.session.flush()
