"""Hook implementations of the meedenkgroepen plugin (Zaanstad, seed 003)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, render_template, url_for
from markupsafe import Markup
from sqlalchemy import delete, update

from intranet.contract import (
    CalendarItem,
    ConsentPurpose,
    ErasureResult,
    NavItem,
    ParticipationTarget,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    RetentionCategory,
    RetentionReport,
    Widget,
)
from intranet.extensions import db
from intranet.hookspecs import hookimpl
from intranet.plugin_api import local_today
from intranet.tenancy import scoped

from . import models as m
from .service import local_date, overdue_feedback
from .sixsteps import STEPS

NAME = "meedenkgroepen"
VIEW = f"{NAME}.view"

MEMBERSHIP_RETENTION_DAYS = 2 * 365
PANEL_RETENTION_DAYS = 365
INVITATION_RETENTION_DAYS = 365


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title_nl="Meedenkgroepen en panels",
        title_en="Think-along groups and panels",
        description="Meedenkgroepen per thema, vragenlijstpanels en de werkwijze in 6 stappen voor nieuw beleid.",
        origin="Gemeente Zaanstad",
        version="0.2.0",
    )


@hookimpl
def intranet_consent_purposes() -> list[ConsentPurpose]:
    return [
        ConsentPurpose(
            m.GROUP_CONSENT,
            "Meedenken in een meedenkgroep",
            "Vastgelegd bij de aanmelding voor een meedenkgroep. Na intrekken krijgt de inwoner "
            "geen opbrengsten of terugkoppeling meer, ook niet als die al klaarstaan, en staat "
            "hij niet meer in de ledenlijst.",
        ),
        ConsentPurpose(
            m.PANEL_CONSENT,
            "Vragenlijsten van een panel ontvangen",
            "Vastgelegd bij de aanmelding voor een panel. Na intrekken krijgt de inwoner "
            "geen vragenlijsten of herinneringen meer, ook niet als die al klaarstaan.",
        ),
    ]


@hookimpl
def intranet_permissions() -> list[Permission]:
    return [
        Permission(
            VIEW, "Meedenkgroepen en panels: bekijken", "Inclusief de namen van deelnemers."
        ),
        Permission(
            f"{NAME}.groups.manage",
            "Meedenkgroepen beheren",
            "Groepen, aanmeldingen, bijeenkomsten, opbrengsten en terugkoppeling.",
        ),
        Permission(
            f"{NAME}.panels.manage",
            "Panels en vragenlijsten beheren",
            "Panelleden, vragenlijsten opstellen en versturen, herinneringen, papieren antwoorden.",
        ),
        Permission(
            f"{NAME}.trajectories.manage",
            "Trajecten in 6 stappen beheren",
            "Nieuw beleid met de werkwijze in 6 stappen.",
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
        NavItem("Meedenkgroepen", f"{NAME}.index", VIEW, order=50),
        NavItem("Vragenlijsten", f"{NAME}.questionnaires", VIEW, order=51),
        NavItem("Trajecten", f"{NAME}.trajectories", VIEW, order=52),
    ]


@hookimpl
def intranet_dashboard_widgets(municipality, employee) -> list[Widget]:  # type: ignore[no-untyped-def]
    from intranet.access.permissions import effective_permissions

    if VIEW not in effective_permissions(employee, municipality):
        return []
    meetings = db.session.execute(scoped(m.Meeting, municipality)).scalars().all()
    running = [
        q
        for q in db.session.execute(
            scoped(m.Questionnaire, municipality).where(m.Questionnaire.status == "verzonden")
        ).scalars()
        if q.closes_on >= local_today()
    ]
    per_step = Counter(
        t.step
        for t in db.session.execute(
            scoped(m.Trajectory, municipality).where(m.Trajectory.closed_at.is_(None))
        ).scalars()
    )
    html = render_template(
        "meedenkgroepen/widget.html",
        overdue=overdue_feedback(meetings),
        running=running,
        per_step=per_step,
        steps=STEPS,
    )
    return [Widget("Meedenkgroepen en panels", Markup(html), order=50)]  # noqa: S704 - Jinja-escaped


def _url(endpoint: str, municipality, **values: Any) -> str | None:  # type: ignore[no-untyped-def]
    """A link when one can be built (in a request), else None (CLI, jobs)."""
    try:
        return url_for(f"{NAME}.{endpoint}", municipality=municipality.slug, **values)
    except RuntimeError:
        return None


def _as_datetime(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@hookimpl
def intranet_calendar_items(municipality, start: date, end: date) -> list[CalendarItem]:  # type: ignore[no-untyped-def]
    items: list[CalendarItem] = []
    meetings = db.session.execute(
        scoped(m.Meeting, municipality).where(
            m.Meeting.starts_at >= _as_datetime(start) - timedelta(days=1),
            m.Meeting.starts_at < _as_datetime(end) + timedelta(days=1),
        )
    ).scalars()
    for meeting in meetings:
        from intranet.timeutil import as_utc

        starts = as_utc(meeting.starts_at)
        if not (start <= local_date(starts) < end):  # type: ignore[arg-type]
            continue
        items.append(
            CalendarItem(
                title=f"Meedenkgroep {meeting.group.theme}"
                + (" (vervolgbijeenkomst)" if meeting.follow_up_of_id else ""),
                start=starts,  # type: ignore[arg-type]
                end=starts + timedelta(hours=2),  # type: ignore[operator]
                location="Online" if meeting.online else meeting.location,
                url=_url("meeting_detail", municipality, meeting_id=meeting.id),
                uid=f"meedenkgroepen-meeting-{meeting.id}@{municipality.slug}",
                category="Meedenkgroep",
            )
        )
    questionnaires = db.session.execute(
        scoped(m.Questionnaire, municipality).where(
            m.Questionnaire.opens_on < end, m.Questionnaire.closes_on >= start
        )
    ).scalars()
    for q in questionnaires:
        items.append(
            CalendarItem(
                title=f"Vragenlijst {q.title} ({q.status_label.lower()})",
                start=q.opens_on,
                end=q.closes_on + timedelta(days=1),
                url=_url("questionnaire_detail", municipality, questionnaire_id=q.id),
                uid=f"meedenkgroepen-questionnaire-{q.id}@{municipality.slug}",
                category="Vragenlijst",
            )
        )
    return items


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@hookimpl
def intranet_resident_data(municipality, resident) -> PersonalData:  # type: ignore[no-untyped-def]
    records: list[dict[str, Any]] = []
    for ms in db.session.execute(
        scoped(m.Membership, municipality).where(m.Membership.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": "lid van meedenkgroep",
                "meedenkgroep": ms.group.theme,
                "aangemeld op": _iso(ms.signed_up_on),
                "hoe aangemeld": ms.channel_label,
                "motivatie": ms.motivation,
                "wil opbrengsten ontvangen": ms.wants_minutes,
                "afgemeld op": _iso(ms.left_on),
            }
        )
    for a in db.session.execute(
        scoped(m.Attendance, municipality).where(m.Attendance.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": "aanwezig bij bijeenkomst",
                "meedenkgroep": a.meeting.group.theme,
                "datum": _iso(a.meeting.starts_at),
            }
        )
    for pm in db.session.execute(
        scoped(m.PanelMember, municipality).where(m.PanelMember.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": "lid van panel",
                "panel": pm.panel.name,
                "thema's": ", ".join(pm.themes or []),
                "aangemeld op": _iso(pm.joined_on),
                "afgemeld op": _iso(pm.left_at),
            }
        )
    for inv in db.session.execute(
        scoped(m.Invitation, municipality).where(m.Invitation.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": "uitnodiging voor vragenlijst",
                "vragenlijst": inv.questionnaire.title,
                "status": inv.status_label,
                "verzonden op": _iso(inv.sent_at),
                "herinnering op": _iso(inv.reminded_at),
                "ingevuld": inv.answered_at is not None,
                "toelichting": "Antwoorden worden los van de persoon bewaard en zijn niet naar u te herleiden.",
            }
        )
    for p in db.session.execute(
        scoped(m.GroupProposal, municipality).where(m.GroupProposal.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": "voorstel voor een nieuwe meedenkgroep",
                "thema": p.theme,
                "ontvangen op": _iso(p.received_on),
                "besluit": p.decision_label,
                "reden": p.decision_reason,
            }
        )
    for fm in db.session.execute(
        scoped(m.FeedbackMail, municipality).where(m.FeedbackMail.resident_id == resident.id)
    ).scalars():
        records.append(
            {
                "soort": f"e-mail ({fm.kind})",
                "status": fm.status_label,
                "verzonden op": _iso(fm.sent_at),
            }
        )
    return PersonalData(
        plugin=NAME, title="Meedenkgroepen en panels", records=records, special=["motivatie"]
    )


@hookimpl
def intranet_erase_resident(municipality, resident, reason: str) -> ErasureResult:  # type: ignore[no-untyped-def]
    mid, rid = municipality.id, resident.id
    result = ErasureResult(plugin=NAME)
    counts = {
        "lidmaatschappen van meedenkgroepen": db.session.execute(
            delete(m.Membership).where(
                m.Membership.municipality_id == mid, m.Membership.resident_id == rid
            )
        ).rowcount,
        "aanwezigheid bij bijeenkomsten": db.session.execute(
            delete(m.Attendance).where(
                m.Attendance.municipality_id == mid, m.Attendance.resident_id == rid
            )
        ).rowcount,
    }
    member_ids = [
        pm.id
        for pm in db.session.execute(
            scoped(m.PanelMember, municipality).where(m.PanelMember.resident_id == rid)
        ).scalars()
    ]
    if member_ids:
        db.session.execute(
            update(m.Invitation)
            .where(m.Invitation.municipality_id == mid, m.Invitation.member_id.in_(member_ids))
            .values(member_id=None)
        )
    counts["panellidmaatschappen"] = db.session.execute(
        delete(m.PanelMember).where(
            m.PanelMember.municipality_id == mid, m.PanelMember.resident_id == rid
        )
    ).rowcount
    result.erased = [f"{k} ({n})" for k, n in counts.items() if n]
    anonymised = {
        "uitnodigingen voor vragenlijsten": db.session.execute(
            update(m.Invitation)
            .where(m.Invitation.municipality_id == mid, m.Invitation.resident_id == rid)
            .values(resident_id=None, member_id=None)
        ).rowcount,
        "verstuurde opbrengsten en terugkoppeling": db.session.execute(
            update(m.FeedbackMail)
            .where(m.FeedbackMail.municipality_id == mid, m.FeedbackMail.resident_id == rid)
            .values(resident_id=None)
        ).rowcount,
        "voorstellen voor nieuwe groepen": db.session.execute(
            update(m.GroupProposal)
            .where(m.GroupProposal.municipality_id == mid, m.GroupProposal.resident_id == rid)
            .values(resident_id=None)
        ).rowcount,
    }
    result.anonymised = [f"{k} ({n})" for k, n in anonymised.items() if n]
    result.kept = [
        (
            "antwoorden op vragenlijsten",
            "Worden zonder koppeling aan de persoon bewaard; ze zijn niet naar de inwoner te herleiden.",
        )
    ]
    return result


@hookimpl
def intranet_processing_activities() -> list[ProcessingActivity]:
    return [
        ProcessingActivity(
            name="Meedenkgroepen",
            purpose="Inwoners die hulp krijgen en hun naasten laten meedenken over beleid, en hen de opbrengsten en terugkoppeling mailen.",
            legal_basis="Toestemming (AVG art. 6 lid 1 sub a)",
            data_categories=(
                "aanmelding en motivatie",
                "aanwezigheid",
                "e-mailadres (uit het inwonersregister)",
            ),
            data_subjects=("cliënten", "mantelzorgers", "ervaringsdeskundigen"),
            special_categories=(m.MOTIVATION_CATEGORY,),
            retention=f"Tot {MEMBERSHIP_RETENTION_DAYS // 365} jaar na afmelding.",
            retention_days=MEMBERSHIP_RETENTION_DAYS,
            retention_categories=(
                RetentionCategory(
                    "lidmaatschappen",
                    "Lidmaatschappen van meedenkgroepen, na afmelding",
                    MEMBERSHIP_RETENTION_DAYS,
                ),
            ),
        ),
        ProcessingActivity(
            name="Vragenlijstpanels",
            purpose="Panelleden een paar keer per jaar een vragenlijst mailen over de thema's die zij kozen.",
            legal_basis="Toestemming (AVG art. 6 lid 1 sub a)",
            data_categories=(
                "panellidmaatschap en thema's",
                "uitnodigingen en of er is geantwoord",
            ),
            data_subjects=("panelleden",),
            retention=f"Lidmaatschap tot {PANEL_RETENTION_DAYS} dagen na afmelding; uitnodigingen worden {INVITATION_RETENTION_DAYS} dagen na sluiting van de vragenlijst losgekoppeld van de persoon.",
            retention_days=INVITATION_RETENTION_DAYS,
            retention_categories=(
                RetentionCategory("panelleden", "Panelleden, na afmelding", PANEL_RETENTION_DAYS),
                RetentionCategory(
                    "uitnodigingen",
                    "Uitnodigingen, na sluiting van de vragenlijst (daarna zonder persoon)",
                    INVITATION_RETENTION_DAYS,
                ),
            ),
        ),
        ProcessingActivity(
            name="Antwoorden op vragenlijsten",
            purpose="Beleid toetsen aan wat inwoners vinden.",
            legal_basis="Toestemming (AVG art. 6 lid 1 sub a)",
            data_categories=("antwoorden, zonder koppeling aan de persoon",),
            data_subjects=("panelleden",),
            retention="Zolang nodig voor het beleid; de antwoorden zijn niet naar een persoon te herleiden.",
        ),
    ]


@hookimpl
def intranet_retention_run(municipality, now: datetime, dry_run: bool) -> RetentionReport:  # type: ignore[no-untyped-def]
    from intranet.privacy.service import retention_days

    report = RetentionReport(plugin=NAME)
    mid = municipality.id
    today = now.date()
    membership_days = retention_days(
        municipality, NAME, "lidmaatschappen", MEMBERSHIP_RETENTION_DAYS
    )
    panel_days = retention_days(municipality, NAME, "panelleden", PANEL_RETENTION_DAYS)
    invitation_days = retention_days(municipality, NAME, "uitnodigingen", INVITATION_RETENTION_DAYS)
    memberships = (
        db.session.execute(
            scoped(m.Membership, municipality).where(
                m.Membership.left_on.is_not(None),
                m.Membership.left_on < today - timedelta(days=membership_days),
            )
        )
        .scalars()
        .all()
    )
    members = (
        db.session.execute(
            scoped(m.PanelMember, municipality).where(
                m.PanelMember.left_at.is_not(None),
                m.PanelMember.left_at < now - timedelta(days=panel_days),
            )
        )
        .scalars()
        .all()
    )
    closed_ids = [
        q.id
        for q in db.session.execute(
            scoped(m.Questionnaire, municipality).where(
                m.Questionnaire.closes_on < today - timedelta(days=invitation_days)
            )
        ).scalars()
    ]
    invitations = (
        db.session.execute(
            scoped(m.Invitation, municipality).where(
                m.Invitation.questionnaire_id.in_(closed_ids or [0]),
                m.Invitation.resident_id.is_not(None),
            )
        )
        .scalars()
        .all()
    )
    report.deleted = {"lidmaatschappen": len(memberships), "panelleden": len(members)}
    report.anonymised = {"uitnodigingen": len(invitations)}
    if not dry_run:
        for row in memberships:
            db.session.delete(row)
        member_ids = [pm.id for pm in members]
        if member_ids:
            db.session.execute(
                update(m.Invitation)
                .where(m.Invitation.municipality_id == mid, m.Invitation.member_id.in_(member_ids))
                .values(member_id=None)
            )
        for row in members:
            db.session.delete(row)
        for inv in invitations:
            inv.resident_id = None
            inv.member_id = None
    return report


@hookimpl
def intranet_participation_targets(municipality) -> list[ParticipationTarget]:  # type: ignore[no-untyped-def]
    targets = [
        ParticipationTarget(
            plugin=NAME,
            key=f"group:{g.id}",
            title=f"Meedenkgroep {g.theme}",
            kind="meedenkgroep",
            url=_url("group_detail", municipality, group_id=g.id),
        )
        for g in db.session.execute(
            scoped(m.Group, municipality)
            .where(m.Group.status != "gesloten")
            .order_by(m.Group.theme)
        ).scalars()
    ]
    targets += [
        ParticipationTarget(
            plugin=NAME,
            key=f"trajectory:{t.id}",
            title=f"Traject {t.topic}",
            kind="traject",
            url=_url("trajectory_detail", municipality, trajectory_id=t.id),
        )
        for t in db.session.execute(
            scoped(m.Trajectory, municipality).where(m.Trajectory.closed_at.is_(None))
        ).scalars()
    ]
    return targets


@hookimpl
def intranet_demo_data(municipality, residents: list[Any]) -> None:  # type: ignore[no-untyped-def]
    from .demo import load

    load(municipality, residents)
