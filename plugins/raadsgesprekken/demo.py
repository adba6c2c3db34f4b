"""Demo data drawn from seed 000 (Zwolle: "Raadsleden willen in gesprek met Zwolse cliënten").

Council members are linked to the demo directory's accounts by *username*
(``raadslid``, ``raadslid2``): the Employee row only exists after a first sign-in, and the
plugin resolves the link at request time (service.current_member), so nothing has to be
fixed up when they sign in later.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from intranet.plugin_api import (
    MONTHS,
    WEEKDAYS,
    Consent,
    db,
    ensure_roles,
    local_today,
    utcnow,
)

from .models import (
    CLOSED,
    CONSENT_ANONYMISED,
    CONSENT_CONTACT,
    HELD,
    REPORTED,
    REQUESTED,
    SCHEDULED,
    AppointmentCouncilMember,
    ConversationAppointment,
    ConversationDay,
    ConversationReport,
    ConversationRequest,
    ConversationSlot,
    CouncilMember,
    ExecutiveSummary,
    RaadsgesprekkenSettings,
    ReportIdea,
    RequestStatusChange,
    ResidentFeedback,
    SlotAvailability,
    StakeholderMeeting,
)
from .service import ensure_defaults, local_to_utc


def _next_friday(start: date, min_days: int = 14) -> date:
    day = start + timedelta(days=min_days)
    return day + timedelta(days=(4 - day.weekday()) % 7)


def _status(req: ConversationRequest, *steps: str, by: str = "griffier") -> None:
    previous = None
    for step in steps:
        req.history.append(
            RequestStatusChange(
                municipality_id=req.municipality_id,
                from_status=previous,
                to_status=step,
                by=by,
                at=utcnow(),
            )
        )
        previous = step
    req.status = steps[-1]
    if steps[-1] == CLOSED:
        req.closed_at = utcnow()


def load(municipality, residents) -> None:  # type: ignore[no-untyped-def]
    mid = municipality.id
    ensure_roles(
        municipality,
        {
            "raadsgesprekken-griffie": (
                "Griffie: raadsgesprekken",
                [
                    "raadsgesprekken.*",
                    "core.residents.view",
                    "core.residents.edit",
                    # intake matches the kind of care with council members' interests
                    "core.privacy.special",
                ],
                ["griffie"],
            ),
            "raadsgesprekken-raadslid": (
                "Raadslid: raadsgesprekken",
                [
                    "raadsgesprekken.view",
                    "raadsgesprekken.report",
                    "raadsgesprekken.reports.read",
                ],
                ["raadsleden"],
            ),
        },
    )
    ensure_defaults(municipality)
    db.session.add(
        RaadsgesprekkenSettings(
            municipality_id=mid,
            clerk_email="raadsgriffie@zwolle.demo",
            clerk_phone="(038) 498 21 81",
        )
    )
    bakker = CouncilMember(
        municipality_id=mid,
        name="Mirjam Bakker",
        party="GroenLinks",
        email="raadslid@zwolle.demo",
        username="raadslid",
        in_working_group=True,
        is_chair=True,
    )
    amrani = CouncilMember(
        municipality_id=mid,
        name="Ahmed El Amrani",
        party="PvdA",
        email="raadslid2@zwolle.demo",
        username="raadslid2",
        in_working_group=True,
    )
    visser = CouncilMember(
        municipality_id=mid,
        name="Gerda Visser",
        party="CDA",
        email="g.visser@raad.zwolle.demo",
        in_working_group=True,
    )
    db.session.add_all([bakker, amrani, visser])
    db.session.flush()

    today = local_today()
    friday = _next_friday(today)
    title = f"{WEEKDAYS[friday.weekday()].capitalize()} {friday.day} {MONTHS[friday.month - 1]}"
    day = ConversationDay(
        municipality_id=mid, day=friday, title=title, location="Stadhuis, Grote Kerkplein 15"
    )
    db.session.add(day)
    slots = []
    for hour in (10, 11, 13, 14, 15):
        slot = ConversationSlot(
            municipality_id=mid,
            conversation_day=day,
            starts=time(hour, 0),
            ends=time(hour + 1, 0),
            capacity=2,
        )
        for member in (bakker, amrani) if hour < 14 else (bakker, amrani, visser):
            slot.available.append(SlotAvailability(municipality_id=mid, member_id=member.id))
        slots.append(slot)
        db.session.add(slot)
    db.session.flush()

    by_name = {r.name: r for r in residents}

    def request(name: str, **kw) -> ConversationRequest:  # type: ignore[no-untyped-def]
        resident = by_name[name]
        req = ConversationRequest(
            municipality_id=mid,
            resident_id=resident.id,
            neighbourhood=resident.neighbourhood or "",
            requested_on=kw.pop("requested_on", today - timedelta(days=10)),
            **kw,
        )
        db.session.add(req)
        for purpose in (CONSENT_CONTACT, CONSENT_ANONYMISED):
            db.session.add(
                Consent(
                    municipality_id=mid,
                    resident_id=resident.id,
                    purpose=purpose,
                    scope="Raadsgesprekken",
                    method="verbal" if req.channel == "phone" else "email",
                    given_on=req.requested_on,
                    recorded_by="demo",
                )
            )
        return req

    anna = request(
        "Anna de Jong",
        requester="client",
        care_kinds=["huishoudelijke hulp"],
        received_via="wijkteam",
        form="home",
        grouping="alone",
        trusted_name="Kees de Jong",
        trusted_relation="zoon, mantelzorger",
        needs=["plain_language"],
        preferred_times="Ochtenden",
        channel="phone",
    )
    cor = request(
        "Cor van Dijk",
        requester="client",
        care_kinds=["schuldhulp", "uit de bijstand komen"],
        received_via="other",
        form="city_hall",
        grouping="alone",
        needs=[],
        preferred_times="Vrijdag",
        channel="phone",
    )
    fatma = request(
        "Fatma Öztürk",
        requester="carer",
        care_kinds=["jeugdzorg", "dagbesteding"],
        received_via="huisarts",
        form="elsewhere",
        form_address="Buurthuis De Kroon, Holtenbroek",
        grouping="group",
        needs=["interpreter"],
        preferred_times="Na schooltijd",
        channel="phone",
    )
    els = request(
        "Els Kramer",
        requester="client",
        care_kinds=["ggz-hulp"],
        received_via="wijkteam",
        form="city_hall",
        grouping="alone",
        client_council_member=True,
        channel="email",
        requested_on=today - timedelta(days=40),
    )
    bram = request(
        "Bram Hendriks",
        requester="carer",
        care_kinds=["dag- en/of nachtopvang", "dagbesteding"],
        received_via="wijkteam",
        form="phone",
        grouping="alone",
        channel="email",
        requested_on=today - timedelta(days=35),
    )
    request(
        "Gerrit Pol",
        requester="on_behalf",
        care_kinds=["ggz-hulp"],
        received_via="huisarts",
        form="phone",
        grouping="alone",
        channel="email",
        requested_on=today - timedelta(days=2),
    )
    db.session.flush()
    for req in (anna, cor, fatma):
        _status(req, REQUESTED)
    # Anna: planned on the conversation day, at home, with the pair
    appt = ConversationAppointment(
        municipality_id=mid,
        starts_at=local_to_utc(friday, time(10, 0)),
        ends_at=local_to_utc(friday, time(11, 0)),
        slot_id=slots[0].id,
        form="home",
        place=by_name["Anna de Jong"].address or "",
        place_is_home=True,
    )
    appt.members = [
        AppointmentCouncilMember(municipality_id=mid, member_id=bakker.id),
        AppointmentCouncilMember(municipality_id=mid, member_id=amrani.id),
    ]
    db.session.add(appt)
    db.session.flush()
    anna.appointment_id = appt.id
    _status(anna, REQUESTED, SCHEDULED)

    reports: dict[int, ConversationReport] = {}
    # Els and Bram: conversations last weeks, with reports (one closed)
    for req, days_ago, member_ids, themes, important, quotes, ideas, status in (
        (
            els,
            20,
            (bakker.id, visser.id),
            ["cliëntondersteuning", "kwaliteit van zorg"],
            "Dat zij bij het keukentafelgesprek niet alleen hoeft te zitten en dat de cliëntondersteuner van tevoren langskomt.",
            "Ik wist niet dat ik iemand mocht meenemen naar het keukentafelgesprek.",
            ["Noem de cliëntondersteuner al in de eerste brief."],
            (REPORTED,),
        ),
        (
            bram,
            14,
            (bakker.id, amrani.id),
            ["bereikbaarheid en wachttijden", "vernieuwen en verbeteren"],
            "Dat er 's nachts opvang is zonder eerst drie loketten langs te moeten.",
            "Als mantelzorger sta je er 's nachts alleen voor.\nEén telefoonnummer zou al zoveel schelen.",
            [
                "Eén telefoonnummer voor nachtopvang.",
                "Mantelzorgers laten meepraten over de kwaliteit van de dagbesteding.",
            ],
            (REPORTED, CLOSED),  # the complete loop: passed on, answered, fed back (below)
        ),
    ):
        held_day = today - timedelta(days=days_ago)
        past = ConversationAppointment(
            municipality_id=mid,
            starts_at=local_to_utc(held_day, time(14, 0)),
            ends_at=local_to_utc(held_day, time(15, 0)),
            form=req.form,
            place="Stadhuis, Grote Kerkplein 15" if req.form == "city_hall" else "",
        )
        past.members = [
            AppointmentCouncilMember(municipality_id=mid, member_id=m) for m in member_ids
        ]
        db.session.add(past)
        db.session.flush()
        req.appointment_id = past.id
        req.wants_feedback = True
        _status(req, REQUESTED, SCHEDULED, HELD, *status)
        report = ConversationReport(
            municipality_id=mid,
            appointment_id=past.id,
            themes=themes,
            important=important,
            quotes=quotes,
            written_by="raadslid",
        )
        report.ideas = [ReportIdea(municipality_id=mid, text=t) for t in ideas]
        db.session.add(report)
        reports[req.id] = report

    # Bram's conversation went the whole way (seed 000, the council as doorgeefluik): bundled
    # for the college, sent with an answer term, answered, and fed back to her.
    db.session.flush()
    bram_report = reports[bram.id]
    answered_at = local_to_utc(today - timedelta(days=5), time(10, 0))
    summary = ExecutiveSummary(
        municipality_id=mid,
        title="Wat mantelzorgers ons vertelden over nachtopvang",
        period_start=today - timedelta(days=15),
        period_end=today - timedelta(days=13),
        created_by="griffier",
        report_ids=[bram_report.id],
        sent_on=today - timedelta(days=12),
        answer_term_days=10,
    )
    db.session.add(summary)
    db.session.flush()
    answers = (
        "Het college neemt dit over: vanaf volgend kwartaal is er één telefoonnummer voor "
        "nachtopvang, dag en nacht bereikbaar.",
        "Deels: mantelzorgers worden uitgenodigd voor de jaarlijkse evaluatie van de "
        "dagbesteding; een vaste plek in de kwaliteitsgesprekken volgt na die evaluatie.",
    )
    for idea, answer in zip(bram_report.ideas, answers, strict=True):
        idea.summary_id = summary.id
        idea.answer = answer
        idea.answered_at = answered_at
        idea.answered_by = "griffier"
    db.session.add(
        ResidentFeedback(
            municipality_id=mid,
            summary_id=summary.id,
            request_id=bram.id,
            method="mail" if bram.resident and bram.resident.email else "letter",
            sent_at=answered_at + timedelta(days=1),
            sent_by="griffier",
        )
    )

    for held_on, with_whom, notes in (
        (
            today - timedelta(days=60),
            "Zorgaanbieders huishoudelijke hulp en dagbesteding",
            "Aanbieders willen graag weten wat cliënten van de kwaliteit vinden.",
        ),
        (
            today - timedelta(days=55),
            "Sociaal wijkteam Holtenbroek",
            "Wijkteam helpt cliënten te bereiken die niet in een cliëntenraad zitten.",
        ),
        (
            today - timedelta(days=50),
            "Deskundige van Movisie",
            "Advies over de opzet van gesprekken met cliënten en cliëntengroepen.",
        ),
    ):
        db.session.add(
            StakeholderMeeting(
                municipality_id=mid,
                held_on=held_on,
                with_whom=with_whom,
                by_whom="Mirjam Bakker, Gerda Visser",
                notes=notes,
                recorded_by="demo",
            )
        )
    db.session.flush()
