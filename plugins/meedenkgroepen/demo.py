"""Demo data from seed 003 (Zaanstad): the six groups, the panels, a meeting with outcomes,
a questionnaire in preparation and a trajectory in step 2."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from intranet.plugin_api import (
    Consent,
    Organisation,
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
    _complete_loops(mid, panels[0], meeting)


def _complete_loops(mid: int, panel: Any, meeting: Any) -> None:
    """What "done" looks like (seed 003: "In een vervolgbijeenkomst vertellen we wat er met de
    opbrengsten is gedaan"): a questionnaire whose outcome was fed back to whoever answered,
    and a trajectory through all six steps with contributions used and not used."""
    sent_at = utcnow() - timedelta(days=60)
    q = m.Questionnaire(
        municipality_id=mid,
        panel_id=panel.id,
        title="Hoe bereikbaar is het wijkteam?",
        intro="We willen weten hoe makkelijk u het wijkteam bereikt.",
        themes=[],
        opens_on=local_today() - timedelta(days=60),
        closes_on=local_today() - timedelta(days=39),
        status="gesloten",
        created_by="demo",
        feedback_text="Veel panelleden gaven aan dat het wijkteam 's middags slecht bereikbaar "
        "is. Daarom is het wijkteam vanaf deze maand ook tussen 12.00 en 14.00 uur telefonisch "
        "bereikbaar. Uw idee om een terugbelverzoek te kunnen doen, nemen we mee in de nieuwe "
        "website.",
        feedback_sent_at=sent_at + timedelta(days=45),
    )
    q.questions.append(
        m.Question(
            municipality_id=mid,
            position=1,
            kind="single",
            text="Kunt u het wijkteam goed bereiken?",
            options=["Ja", "Soms", "Nee"],
        )
    )
    q.questions.append(
        m.Question(municipality_id=mid, position=2, kind="open", text="Wat zou helpen?")
    )
    db.session.add(q)
    db.session.flush()
    members = sorted(panel.members, key=lambda pm: pm.id)[:4]
    answers = (
        ("Soms", "Ook tussen de middag bereikbaar zijn."),
        ("Nee", "Een terugbelverzoek kunnen doen via de website."),
        ("Soms", "Eén vast telefoonnummer voor alle vragen."),
    )
    for n, member in enumerate(members):
        answered = n < len(answers)
        db.session.add(
            m.Invitation(
                municipality_id=mid,
                questionnaire_id=q.id,
                resident_id=member.resident_id,
                member_id=member.id,
                status=m.SENT,
                sent_at=sent_at,
                answered_at=sent_at + timedelta(days=2 + n) if answered else None,
                answered_via="online" if answered else None,
                created_at=sent_at,
            )
        )
        if answered:
            choice, text = answers[n]
            response = m.Response(
                municipality_id=mid, questionnaire_id=q.id, submitted_at=sent_at + timedelta(days=2)
            )
            response.answers.append(
                m.Answer(municipality_id=mid, question_id=q.questions[0].id, choices=[choice])
            )
            response.answers.append(
                m.Answer(municipality_id=mid, question_id=q.questions[1].id, text=text)
            )
            db.session.add(response)
            db.session.add(
                m.FeedbackMail(
                    municipality_id=mid,
                    ref=f"questionnaire:{q.id}",
                    kind="terugkoppeling",
                    resident_id=member.resident_id,
                    status=m.SENT,
                    sent_at=q.feedback_sent_at,
                )
            )

    t = m.Trajectory(
        municipality_id=mid,
        topic="Vervoer naar de dagbesteding",
        origin="inwoner",
        origin_note="Een mantelzorger vroeg waarom het taxivervoer zo vaak te laat is.",
        information="Klachtenoverzicht van het Wmo-vervoer en het contract met de vervoerder.",
        step=6,
        involvement_ok=True,
        involvement_note="Deelnemers van de meedenkgroep, het panel en twee vervoerders zijn "
        "gehoord; cliënten van de dagbesteding zelf via hun begeleiders.",
        next_steps="Het college besluit in het voorjaar over het nieuwe contract. Daarna "
        "vertellen we in de meedenkgroep wat er is veranderd.",
        result_kind="advies",
        result_text="Advies aan het college: vaste chauffeurs per route en een wachttijd van "
        "hoogstens 15 minuten in het nieuwe vervoerscontract.",
        closed_at=utcnow() - timedelta(days=3),
        feedback_mailed_at=utcnow() - timedelta(days=2),
    )
    db.session.add(t)
    db.session.flush()
    t.documents.append(m.PolicyDocument(municipality_id=mid, title="Klachtenoverzicht Wmo-vervoer"))
    t.conversations.append(
        m.Conversation(
            municipality_id=mid,
            held_on=local_today() - timedelta(days=50),
            kind="georganiseerd",
            participants="Twee vervoerders en de cliëntenraad dagbesteding",
            summary="Wachttijden ontstaan vooral door wisselende chauffeurs.",
            recorded_by="demo",
        )
    )
    for name, rung in (
        ("Deelnemers van de dagbesteding en hun mantelzorgers", "adviseren"),
        ("Vervoerders", "raadplegen"),
    ):
        t.participant_groups.append(m.ParticipantGroup(municipality_id=mid, name=name, rung=rung))
    # the groups refer to the registry: the client council (from the core's demo
    # organisations, when there) took part as an organisation, next to the meeting's attendees
    db.session.flush()
    council = db.session.execute(
        select(Organisation)
        .where(Organisation.municipality_id == mid, Organisation.kind == "client_organisation")
        .order_by(Organisation.id)
    ).scalar()
    if council is not None:
        t.participant_groups[0].participants.append(
            m.TrajectoryParticipant(
                municipality_id=mid, trajectory_id=t.id, organisation_id=council.id, added_by="demo"
            )
        )
    for a in meeting.attendances[:2]:
        t.participant_groups[0].participants.append(
            m.TrajectoryParticipant(
                municipality_id=mid, trajectory_id=t.id, resident_id=a.resident_id, added_by="demo"
            )
        )
    for n, (source, note, text, decision, explanation, meeting_id, questionnaire_id) in enumerate(
        (
            (
                "bijeenkomst",
                "Meedenkgroep",
                "Vaste chauffeurs per route, zodat cliënten weten wie ze ophaalt.",
                "gebruikt",
                "Staat in het advies aan het college.",
                meeting.id,
                None,
            ),
            (
                "vragenlijst",
                q.title,
                "Een terugbelverzoek kunnen doen via de website.",
                "niet_gebruikt",
                "Gaat niet over vervoer; doorgegeven aan het team dat de website vernieuwt.",
                None,
                q.id,
            ),
            (
                "gesprek",
                "Cliëntenraad dagbesteding",
                "Hoogstens 15 minuten wachten op de taxi.",
                "gebruikt",
                "Staat in het advies als eis voor het nieuwe contract.",
                None,
                None,
            ),
        ),
        start=1,
    ):
        t.contributions.append(
            m.Contribution(
                municipality_id=mid,
                position=n,
                source=source,
                source_note=note,
                text=text,
                complete=True,
                decision=decision,
                explanation=explanation,
                meeting_id=meeting_id,
                questionnaire_id=questionnaire_id,
            )
        )
    t.interim_results.append(
        m.InterimResult(
            municipality_id=mid,
            text="De vervoerder werkt sinds deze maand met vaste chauffeurs op twee routes.",
            recorded_by="demo",
            recorded_at=utcnow() - timedelta(days=10),
        )
    )
    reasons = (
        "Gestart",
        "Informatie beschikbaar",
        "Gesprekken gevoerd",
        "Invloed afgesproken",
        "Bijdragen verzameld",
        "Kwaliteit gecontroleerd",
    )
    for step in range(1, 7):
        t.transitions.append(
            m.StepTransition(
                municipality_id=mid,
                from_step=step - 1 or None,
                to_step=step,
                actor="demo",
                reason=reasons[step - 1],
            )
        )
    t.transitions.append(
        m.StepTransition(
            municipality_id=mid,
            from_step=6,
            to_step=6,
            actor="demo",
            reason="Afgerond met een resultaat",
        )
    )
    for a in meeting.attendances:
        db.session.add(
            m.FeedbackMail(
                municipality_id=mid,
                ref=f"trajectory:{t.id}",
                kind="terugkoppeling",
                resident_id=a.resident_id,
                status=m.SENT,
                sent_at=t.feedback_mailed_at,
            )
        )
    db.session.flush()
