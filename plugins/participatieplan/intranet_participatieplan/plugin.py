"""Hook implementations of the participatieplan plugin (seeds 001 and 004).

This module is the entry point (group ``intranet.plugins``, name ``participatieplan``). It
imports the core only through ``intranet.plugin_api``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, render_template, url_for
from markupsafe import Markup
from sqlalchemy import delete, select, update

from intranet.plugin_api import (
    BankQuestion,
    CalendarItem,
    ConsentPurpose,
    ErasureResult,
    NavItem,
    ParticipationStatus,
    ParticipationTarget,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    RetentionCategory,
    RetentionReport,
    Widget,
    _,
    _l,
    db,
    effective_permissions,
    hookimpl,
    local_today,
    ngettext,
    parse_id,
    retention_days,
    scoped,
)

from . import models as m
from .service import late_milestones, unreported_moments, upcoming_moments

NAME = m.P
VIEW = f"{NAME}.view"
PLAN_MANAGE = f"{NAME}.plan.manage"
WORKSHOPS_MANAGE = f"{NAME}.workshops.manage"

#: session participants: kept while the personas they helped make are being written
SESSION_RETENTION_DAYS = 2 * 365
#: clients at a werkatelier: the link to the resident goes, the input (by side) stays
WORKSHOP_RETENTION_DAYS = 2 * 365


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title_nl="Participatieplan",
        title_en="Participation plan",
        description=_l(
            "De hervormingsagenda sociaal domein met werkstromen, mijlpalen en de momenten "
            "waarop de gemeente de stad betrekt; werkateliers en persona's gemaakt met de doelgroep."
        ),
        origin="Gemeente Zwolle (hervormingsagenda) en Movisie (persona's, werkateliers)",
        version="0.1.0",
    )


@hookimpl
def intranet_permissions() -> list[Permission]:
    return [
        Permission(
            VIEW,
            _l("Participatieplan: lezen"),
            _l("Agenda, werkstromen, planning, werkateliers en persona's."),
        ),
        Permission(
            PLAN_MANAGE,
            _l("Participatieplan: plan bewerken"),
            _l("Agenda, werkstromen, mijlpalen en participatiemomenten."),
        ),
        Permission(
            WORKSHOPS_MANAGE,
            _l("Participatieplan: werkateliers en persona's begeleiden"),
            _l(
                "Werkateliers, inbreng, cocreatiesessies en persona's; inclusief de namen van deelnemende inwoners."
            ),
        ),
    ]


@hookimpl
def intranet_consent_purposes() -> list[ConsentPurpose]:
    return [
        ConsentPurpose(
            m.WORKSHOP_CONSENT,
            _l("Meedoen aan een werkatelier"),
            _l(
                "De inwoner doet als cliënt mee aan een thematisch werkatelier; de gemeente legt vast "
                "dat hij meedeed en welke inbreng hij gaf. Na intrekken kan hij niet meer worden toegevoegd."
            ),
        ),
        ConsentPurpose(
            m.PERSONA_CONSENT,
            _l("Meewerken aan persona's"),
            _l(
                "De inwoner helpt in een cocreatiesessie persona's te maken. Een persona bevat nooit "
                "gegevens van de inwoner zelf; alleen de deelname aan de sessie wordt vastgelegd."
            ),
        ),
    ]


@hookimpl
def intranet_blueprints() -> list[Blueprint]:
    from .views import bp

    return [bp]


@hookimpl
def intranet_public_blueprints() -> list[Blueprint]:
    from .views import public_bp

    return [public_bp]


@hookimpl
def intranet_navigation() -> list[NavItem]:
    return [
        NavItem(_("Participatieplan"), f"{NAME}.index", VIEW, order=60),
        NavItem(_("Werkateliers"), f"{NAME}.workshops", VIEW, order=61),
        NavItem(_("Persona's"), f"{NAME}.personas", VIEW, order=62),
    ]


def _url(endpoint: str, municipality: Any, **values: Any) -> str | None:
    """A link when one can be built (in a request), else None (CLI, jobs)."""
    try:
        return url_for(f"{NAME}.{endpoint}", municipality=municipality.slug, **values)
    except RuntimeError:
        return None


@hookimpl
def intranet_dashboard_widgets(municipality, employee) -> list[Widget]:  # type: ignore[no-untyped-def]
    if VIEW not in effective_permissions(employee, municipality):
        return []
    now = local_today()
    html = render_template(
        "participatieplan/widget.html",
        upcoming=upcoming_moments(municipality, now),
        late=late_milestones(municipality, now),
        unreported=unreported_moments(municipality),
    )
    return [Widget(_("Participatieplan"), Markup(html), order=60)]  # noqa: S704 - Jinja-escaped


@hookimpl
def intranet_calendar_items(municipality, start: date, end: date) -> list[CalendarItem]:  # type: ignore[no-untyped-def]
    items: list[CalendarItem] = []
    for mo in db.session.execute(
        scoped(m.Moment, municipality).where(
            m.Moment.planned_on >= start,
            m.Moment.planned_on < end,
            m.Moment.status.in_(("gepland", "gehouden")),
        )
    ).scalars():
        items.append(
            CalendarItem(
                title=_("Participatiemoment: %(title)s", title=mo.title),
                start=mo.planned_on,  # type: ignore[arg-type]
                end=mo.planned_on + timedelta(days=1),  # type: ignore[operator]
                description=f"{mo.form_label}, {mo.ladder_label}",
                url=_url("moment_detail", municipality, moment_id=mo.id),
                uid=f"participatieplan-moment-{mo.id}@{municipality.slug}",
                category=_("Participatiemoment"),
            )
        )
    for ms in db.session.execute(
        scoped(m.Milestone, municipality).where(
            m.Milestone.due_on >= start, m.Milestone.due_on < end
        )
    ).scalars():
        items.append(
            CalendarItem(
                title=_("Mijlpaal: %(title)s", title=ms.title),
                start=ms.due_on,
                end=ms.due_on + timedelta(days=1),
                url=_url("workstream_detail", municipality, workstream_id=ms.workstream_id),
                uid=f"participatieplan-milestone-{ms.id}@{municipality.slug}",
                category=_("Mijlpaal"),
            )
        )
    for ws in db.session.execute(
        scoped(m.Workshop, municipality).where(
            m.Workshop.held_on >= start, m.Workshop.held_on < end
        )
    ).scalars():
        items.append(
            CalendarItem(
                title=_("Werkatelier: %(theme)s", theme=ws.theme),
                start=ws.held_on,
                end=ws.held_on + timedelta(days=1),
                location=ws.location,
                url=_url("workshop_detail", municipality, workshop_id=ws.id),
                uid=f"participatieplan-workshop-{ws.id}@{municipality.slug}",
                category=_("Werkatelier"),
            )
        )
    return items


@hookimpl
def intranet_resident_data(municipality, resident) -> PersonalData:  # type: ignore[no-untyped-def]
    records: list[dict[str, Any]] = []
    for p in db.session.execute(
        scoped(m.WorkshopParticipant, municipality).where(
            m.WorkshopParticipant.resident_id == resident.id
        )
    ).scalars():
        inputs = [i.text for i in p.workshop.inputs if i.participant_id == p.id]
        records.append(
            {
                "soort": _("deelname aan een werkatelier"),
                "werkatelier": p.workshop.theme,
                "datum": p.workshop.held_on.isoformat(),
                "inbreng": inputs,
            }
        )
    for sp in db.session.execute(
        scoped(m.SessionParticipant, municipality).where(
            m.SessionParticipant.resident_id == resident.id
        )
    ).scalars():
        records.append(
            {
                "soort": _("deelname aan een cocreatiesessie voor persona's"),
                "sessie": sp.session.title,
                "datum": sp.session.held_on.isoformat(),
            }
        )
    return PersonalData(plugin=NAME, title=_("Participatieplan"), records=records)


@hookimpl
def intranet_erase_resident(municipality, resident, reason: str) -> ErasureResult:  # type: ignore[no-untyped-def]
    mid, rid = municipality.id, resident.id
    result = ErasureResult(plugin=NAME)
    participant_ids = list(
        db.session.execute(
            select(m.WorkshopParticipant.id).where(
                m.WorkshopParticipant.municipality_id == mid,
                m.WorkshopParticipant.resident_id == rid,
            )
        ).scalars()
    )
    anonymised = 0
    if participant_ids:
        anonymised = db.session.execute(
            update(m.WorkshopInput)
            .where(
                m.WorkshopInput.municipality_id == mid,
                m.WorkshopInput.participant_id.in_(participant_ids),
            )
            .values(participant_id=None)
        ).rowcount
    workshops = db.session.execute(
        delete(m.WorkshopParticipant).where(
            m.WorkshopParticipant.municipality_id == mid, m.WorkshopParticipant.resident_id == rid
        )
    ).rowcount
    sessions = db.session.execute(
        delete(m.SessionParticipant).where(
            m.SessionParticipant.municipality_id == mid, m.SessionParticipant.resident_id == rid
        )
    ).rowcount
    if workshops:
        result.erased.append(f"deelname aan werkateliers ({workshops})")
    if sessions:
        result.erased.append(f"deelname aan cocreatiesessies ({sessions})")
    if anonymised:
        result.anonymised.append(f"inbreng in werkateliers, nu zonder persoon ({anonymised})")
    result.kept = [
        (
            "persona's",
            _(
                "Een persona is een samengesteld portret zonder gegevens van de inwoner; hij blijft bestaan."
            ),
        )
    ]
    return result


@hookimpl
def intranet_processing_activities() -> list[ProcessingActivity]:
    return [
        ProcessingActivity(
            name=_("Werkateliers participatieplan"),
            purpose=_(
                "Cliënten laten meedenken in thematische werkateliers over de hervormingsagenda, en terugkoppelen wat met hun inbreng is gedaan."
            ),
            legal_basis=_("Toestemming (AVG art. 6 lid 1 sub a)"),
            data_categories=(_("deelname aan een werkatelier"), _("inbreng")),
            data_subjects=("cliënten",),
            retention=_(
                "De koppeling aan de inwoner tot %(years)s jaar na het werkatelier; de inbreng "
                "blijft zonder persoon.",
                years=WORKSHOP_RETENTION_DAYS // 365,
            ),
            retention_days=WORKSHOP_RETENTION_DAYS,
            retention_categories=(
                RetentionCategory(
                    "werkatelierdeelnemers",
                    _("Cliënten bij werkateliers, na het werkatelier"),
                    WORKSHOP_RETENTION_DAYS,
                ),
            ),
        ),
        ProcessingActivity(
            name=_("Persona's met de doelgroep"),
            purpose=_("Samen met inwoners uit de doelgroep persona's maken voor beleid."),
            legal_basis=_("Toestemming (AVG art. 6 lid 1 sub a)"),
            data_categories=(_("deelname aan een cocreatiesessie"),),
            data_subjects=("cliënten", "mantelzorgers", "ervaringsdeskundigen"),
            retention=_(
                "Tot %(years)s jaar na de sessie; de persona's zelf bevatten geen persoonsgegevens.",
                years=SESSION_RETENTION_DAYS // 365,
            ),
            retention_days=SESSION_RETENTION_DAYS,
            retention_categories=(
                RetentionCategory(
                    "sessiedeelnemers",
                    _("Deelnemers aan cocreatiesessies, na de sessie"),
                    SESSION_RETENTION_DAYS,
                ),
            ),
        ),
    ]


@hookimpl
def intranet_retention_run(municipality, now: datetime, dry_run: bool) -> RetentionReport:  # type: ignore[no-untyped-def]
    report = RetentionReport(plugin=NAME)
    day = now.date()
    workshop_days = retention_days(
        municipality, NAME, "werkatelierdeelnemers", WORKSHOP_RETENTION_DAYS
    )
    session_days = retention_days(municipality, NAME, "sessiedeelnemers", SESSION_RETENTION_DAYS)
    old_workshops = select(m.Workshop.id).where(
        m.Workshop.municipality_id == municipality.id,
        m.Workshop.held_on < day - timedelta(days=workshop_days),
    )
    participants = list(
        db.session.execute(
            scoped(m.WorkshopParticipant, municipality).where(
                m.WorkshopParticipant.resident_id.is_not(None),
                m.WorkshopParticipant.workshop_id.in_(old_workshops),
            )
        ).scalars()
    )
    old_sessions = select(m.CocreationSession.id).where(
        m.CocreationSession.municipality_id == municipality.id,
        m.CocreationSession.held_on < day - timedelta(days=session_days),
    )
    session_rows = list(
        db.session.execute(
            scoped(m.SessionParticipant, municipality).where(
                m.SessionParticipant.session_id.in_(old_sessions)
            )
        ).scalars()
    )
    report.anonymised = {"werkatelierdeelnemers": len(participants)}
    report.deleted = {"sessiedeelnemers": len(session_rows)}
    if not dry_run:
        ids = [p.id for p in participants]
        if ids:
            db.session.execute(
                update(m.WorkshopInput)
                .where(m.WorkshopInput.participant_id.in_(ids))
                .values(participant_id=None)
            )
            db.session.execute(
                delete(m.WorkshopParticipant).where(m.WorkshopParticipant.id.in_(ids))
            )
        for row in session_rows:
            db.session.delete(row)
    return report


@hookimpl
def intranet_participation_targets(municipality) -> list[ParticipationTarget]:  # type: ignore[no-untyped-def]
    """Workstreams, so other plugins (an advice file, a trajectory) can refer to one."""
    return [
        ParticipationTarget(
            plugin=NAME,
            key=f"workstream:{w.id}",
            title=f"Werkstroom {w.title}",
            kind="werkstroom",
            url=_url("workstream_detail", municipality, workstream_id=w.id),
        )
        for w in db.session.execute(
            scoped(m.Workstream, municipality)
            .where(m.Workstream.status != "afgerond")
            .order_by(m.Workstream.title)
        ).scalars()
    ]


@hookimpl
def intranet_participation_target_status(municipality, key: str) -> ParticipationStatus | None:  # type: ignore[no-untyped-def]
    kind, _sep, ident = key.partition(":")
    workstream_id = parse_id(ident)
    if kind != "workstream" or workstream_id is None:
        return None
    w = db.session.execute(
        scoped(m.Workstream, municipality).where(m.Workstream.id == workstream_id)
    ).scalar_one_or_none()
    if w is None:
        return None
    held = [mo for mo in w.moments if mo.status == "gehouden"]
    return ParticipationStatus(
        status=w.status_label,
        outcome=ngettext(
            "%(num)d participatiemoment gehouden",
            "%(num)d participatiemomenten gehouden",
            len(held),
        )
        if held
        else "",
        url=_url("workstream_detail", municipality, workstream_id=w.id),
    )


@hookimpl
def intranet_question_bank(municipality) -> list[BankQuestion]:  # type: ignore[no-untyped-def]
    return [
        BankQuestion(
            plugin=NAME,
            key=f"question:{q.id}",
            text=q.text,
            kind=q.kind,
            options=tuple(q.options or ()),
            theme=q.theme,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            scale_min_label=q.scale_min_label,
            scale_max_label=q.scale_max_label,
        )
        for q in db.session.execute(
            scoped(m.BankQuestion, municipality).order_by(m.BankQuestion.theme, m.BankQuestion.id)
        ).scalars()
    ]


@hookimpl
def intranet_plugin_enabled(municipality) -> None:  # type: ignore[no-untyped-def]
    """Seed the question bank's starter set (QueZ spirit) the first time it is switched on."""
    from .questionbank import seed_starter_set

    seed_starter_set(municipality)


@hookimpl
def intranet_demo_data(municipality, residents: list[Any]) -> None:  # type: ignore[no-untyped-def]
    from .demo import load

    load(municipality, residents)


@hookimpl
def intranet_contributions(municipality, resident=None, since=None) -> list:  # type: ignore[no-untyped-def]
    """Clients' werkatelier input, used or not (see contributions.py)."""
    from .contributions import contributions

    return contributions(municipality, resident=resident, since=since)


@hookimpl
def intranet_participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    """Residents who took part in the period, for the core's reach page."""
    from .participants import participants

    return participants(municipality, start, end)
