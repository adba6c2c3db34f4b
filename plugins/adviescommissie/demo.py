"""Demo data drawn from seeds 002 and 003: values, members, a meeting and advice files.

Dates are relative to today so the dashboard widget and the calendar have something to show.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from intranet.plugin_api import (
    AMSTERDAM,
    db,
    ensure_roles,
    local_today,
)

from . import deadlines, states
from .models import (
    AdviceFile,
    AdviceRecommendation,
    AdviceStatusChange,
    AdviceValueAssessment,
    CommitteeAttendance,
    CommitteeMeeting,
    CommitteeMember,
)
from .service import active_values, ensure_default_values

READER = ["adviescommissie.view"]
SECRETARIAT = [
    "adviescommissie.view",
    "adviescommissie.member",
    "adviescommissie.manage",
    "core.residents.view",
    # members' expertise ("ervaringsdeskundige GGZ") is special-category data
    "core.privacy.special",
]
OFFICIAL = ["adviescommissie.view", "adviescommissie.respond"]

ROLES = {
    "zaanstad": {
        "adviescommissie-secretariaat": (
            "Secretariaat adviescommissie",
            SECRETARIAT,
            ["adviescommissie-secretariaat"],
        ),
        "adviescommissie-ambtenaar": (
            "Reactie op adviezen vastleggen",
            OFFICIAL,
            ["beleidsmedewerkers"],
        ),
    },
    "zwolle": {
        "adviescommissie-lezer": ("Adviescommissie lezen", READER, ["griffie"]),
        "adviescommissie-ambtenaar": (
            "Reactie op adviezen vastleggen",
            OFFICIAL,
            ["beleidsmedewerkers"],
        ),
        "adviescommissie-secretariaat": ("Secretariaat adviescommissie", SECRETARIAT, []),
    },
}


def _change(advice: AdviceFile, source: str | None, target: str, by: str, on: date) -> None:
    advice.changes.append(
        AdviceStatusChange(
            municipality_id=advice.municipality_id,
            from_status=source,
            to_status=target,
            by=by,
            at=datetime.combine(on, time(10, 0), AMSTERDAM).astimezone(UTC),
        )
    )


def _walk(advice: AdviceFile, until: str, start: date, by: str) -> None:
    """Record the status history up to ``until``, one step every few days from ``start``."""
    flow = [s for s in states.STATUSES if advice.solicited or s != states.RECEIVED]
    previous = None
    for n, status in enumerate(flow[: flow.index(until) + 1]):
        _change(advice, previous, status, by, start + timedelta(days=4 * n))
        previous = status
    advice.status = until


def load(municipality: Any, residents: list[Any]) -> None:
    ensure_roles(municipality, ROLES.get(municipality.slug, {}))
    ensure_default_values(municipality)
    today = local_today()
    mid = municipality.id
    secretary = "secretaris" if municipality.slug == "zaanstad" else "demo"

    # members: the first three demo residents, one whose term ends within the reminder period
    members = []
    for resident, role, expertise, start, end in zip(
        residents,
        ("chair", "secretary", "member"),
        ("Wmo en hulpmiddelen", "Jeugd", "Ervaringsdeskundige werk en inkomen"),
        (today - timedelta(days=900), today - timedelta(days=400), today - timedelta(days=1400)),
        (today + timedelta(days=500), today + timedelta(days=700), today + timedelta(days=40)),
        strict=False,
    ):
        member = CommitteeMember(
            municipality_id=mid,
            resident_id=resident.id,
            role=role,
            expertise=expertise,
            term_start=start,
            term_end=end,
        )
        db.session.add(member)
        members.append(member)
    db.session.flush()

    meeting = CommitteeMeeting(
        municipality_id=mid,
        starts_at=datetime.combine(today + timedelta(days=9), time(19, 30), AMSTERDAM).astimezone(
            UTC
        ),
        location="Stadhuis, zaal 2",
        agenda="1. Opening\n2. Adviesaanvraag aanbesteding hulpmiddelen\n"
        "3. Ongevraagd advies bejegening aan de poort\n4. Rondvraag",
    )
    db.session.add(meeting)
    past = CommitteeMeeting(
        municipality_id=mid,
        starts_at=datetime.combine(today - timedelta(days=30), time(19, 30), AMSTERDAM).astimezone(
            UTC
        ),
        location="Stadhuis, zaal 2",
        agenda="1. Opening\n2. Waarden: top 5 uit de workshop\n3. Werkwijze in 6 stappen",
        minutes="De commissie bespreekt de vijf waarden en stelt de afspraken vast. "
        "De gemeente licht bij elke adviesaanvraag toe hoe het voorstel aan de waarden bijdraagt.",
    )
    db.session.add(past)
    db.session.flush()
    for member, status in zip(members, ("present", "present", "excused"), strict=False):
        past.attendance.append(
            CommitteeAttendance(municipality_id=mid, member_id=member.id, status=status)
        )

    values = active_values(municipality)

    # 1. solicited: procurement of mobility aids, sent, awaiting the response
    received = today - timedelta(days=60)
    procurement = AdviceFile(
        municipality_id=mid,
        solicited=True,
        subject="Aanbesteding hulpmiddelen Wmo 2027",
        policy_area="wmo",
        subject_kind="procurement",
        department="Sociaal Domein, team Wmo",
        official="Beleidsadviseur Wmo",
        description="De gemeente vraagt advies over het programma van eisen voor de aanbesteding "
        "van hulpmiddelen (rolstoelen, scootmobielen, tilliften).",
        documents="Programma van eisen hulpmiddelen (concept)\nhttps://www.example.org/pve-hulpmiddelen",
        received_on=received,
        deadline=deadlines.advice_deadline(received),
        # the programme of requirements is decided well after the advice: asked early enough
        decision_date=deadlines.advice_deadline(received) + timedelta(days=60),
        timeliness="early",
        timeliness_note="Gevraagd vóór het programma van eisen vastligt: er kan nog iets veranderen.",
        advice_text="De commissie waardeert dat zij vroeg is gevraagd. Gebruikers van hulpmiddelen "
        "weten als geen ander wat werkt; betrek hen vóór de aanbesteding.",
        participation_advice="Organiseer vóór de aanbesteding een meedenkgroep van gebruikers van "
        "hulpmiddelen en hun mantelzorgers, en vraag hen naar levertijden, reparaties en bejegening.",
        created_by=secretary,
    )
    db.session.add(procurement)
    _walk(procurement, states.SENT, received, secretary)
    procurement.adopted_on = received + timedelta(days=8)
    procurement.sent_on = received + timedelta(days=12)
    procurement.response_due = deadlines.response_due(procurement.sent_on)
    for n, text in enumerate(
        (
            "Organiseer vóór de aanbesteding een meedenkgroep van gebruikers van hulpmiddelen.",
            "Neem een maximale levertijd en reparatietermijn op in het programma van eisen.",
            "Laat leveranciers cliënten met ‘u’ aanspreken, tenzij de cliënt anders aangeeft.",
        ),
        start=1,
    ):
        procurement.recommendations.append(
            AdviceRecommendation(municipality_id=mid, number=n, text=text)
        )
    db.session.flush()
    for value in values[:2]:
        procurement.assessments.append(
            AdviceValueAssessment(
                municipality_id=mid,
                value_id=value.id,
                explanation="In het programma van eisen staan eisen aan deskundigheid en bejegening.",
                assessment="partly",
                assessment_note="Goed begin; de eisen aan bejegening mogen concreter.",
            )
        )

    # 2. unsolicited: respect at the front door, responded last year and closed
    start = date(today.year - 1, 9, 1)
    unsolicited = AdviceFile(
        municipality_id=mid,
        solicited=False,
        subject="Bejegening aan de poort: toon en woordkeuze",
        policy_area="participation_act",
        subject_kind="implementation",
        description="Uit een workshop met cliëntenraadsleden bleek dat de inhoud vaak niet het "
        "probleem is, maar de toon, de woordkeuze of het niet kunnen spreken met de juiste persoon.",
        received_on=start,
        advice_text="Maak afspraken over bejegening en toets de dienstverlening aan de vijf "
        "gezamenlijk vastgestelde waarden.",
        created_by=secretary,
    )
    db.session.add(unsolicited)
    _walk(unsolicited, states.CLOSED, start, secretary)
    unsolicited.adopted_on = start + timedelta(days=4)
    unsolicited.sent_on = start + timedelta(days=8)
    unsolicited.response_due = deadlines.response_due(unsolicited.sent_on)
    unsolicited.response_received_on = unsolicited.sent_on + timedelta(days=35)
    unsolicited.followup_note = (
        "De commissie volgt de training bejegening en bespreekt die over een half jaar."
    )
    for n, (text, response, reasoning) in enumerate(
        (
            (
                "Spreek cliënten niet ongevraagd met de voornaam of met ‘je’ aan.",
                "adopted",
                "Opgenomen in de schrijfwijzer en de training voor klantcontactmedewerkers.",
            ),
            (
                "Zorg dat een cliënt binnen twee werkdagen de juiste persoon spreekt.",
                "partly",
                "Twee werkdagen is niet overal haalbaar; we streven naar vijf werkdagen.",
            ),
            (
                "Stel een vast aanspreekpunt per cliënt in.",
                "rejected",
                "Niet uitvoerbaar met de huidige bezetting; het wijkteam blijft aanspreekpunt.",
            ),
        ),
        start=1,
    ):
        unsolicited.recommendations.append(
            AdviceRecommendation(
                municipality_id=mid,
                number=n,
                text=text,
                response=response,
                reasoning=reasoning,
                responded_on=unsolicited.response_received_on,
                responded_by="ambtenaar",
            )
        )

    # 3. solicited: a new request, just received, deadline within the month
    fresh = today - timedelta(days=20)
    db.session.add(
        youth := AdviceFile(
            municipality_id=mid,
            solicited=True,
            subject="Verordening jeugdhulp: wijziging eigen bijdrage",
            policy_area="youth",
            subject_kind="bylaw",
            department="Sociaal Domein, team Jeugd",
            official="Juridisch beleidsmedewerker Jeugd",
            received_on=fresh,
            deadline=deadlines.advice_deadline(fresh),
            decision_date=fresh + timedelta(days=21),  # the council decides in three weeks
            timeliness="late",
            timeliness_note="De verordening gaat al over drie weken naar de raad.",
            created_by=secretary,
        )
    )
    _walk(youth, states.IN_PROGRESS, fresh, secretary)
    db.session.flush()
