"""Hook implementations of the meedenkgroepen plugin (Zaanstad, seed 003)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, render_template, url_for
from markupsafe import Markup

from intranet.plugin_api import (
    CalendarItem,
    ConsentPurpose,
    ErasureResult,
    NavItem,
    ParticipationTarget,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    RetentionReport,
    Widget,
    _,
    _l,
    db,
    hookimpl,
    local_date,
    local_today,
    ngettext,
    parse_id,
    scoped,
)

from . import models as m
from .service import overdue_feedback
from .sixsteps import STEPS

NAME = "meedenkgroepen"
VIEW = f"{NAME}.view"


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title_nl="Meedenkgroepen en panels",
        title_en="Think-along groups and panels",
        description=_l(
            "Meedenkgroepen per thema, vragenlijstpanels en de werkwijze in 6 stappen voor nieuw beleid."
        ),
        origin="Gemeente Zaanstad",
        version="0.2.0",
    )


@hookimpl
def intranet_consent_purposes() -> list[ConsentPurpose]:
    return [
        ConsentPurpose(
            m.GROUP_CONSENT,
            _l("Meedenken in een meedenkgroep"),
            _l(
                "Vastgelegd bij de aanmelding voor een meedenkgroep. Na intrekken krijgt de inwoner "
                "geen opbrengsten of terugkoppeling meer, ook niet als die al klaarstaan, en staat "
                "hij niet meer in de ledenlijst."
            ),
        ),
        ConsentPurpose(
            m.PROPOSAL_CONSENT,
            _l("Bericht over een voorstel voor een nieuwe meedenkgroep"),
            _l(
                "Vastgelegd bij het voorstel. De indiener krijgt per e-mail het besluit over het "
                "voorstel; na intrekken niet meer, ook niet als het bericht al klaarstaat."
            ),
        ),
        ConsentPurpose(
            m.PANEL_CONSENT,
            _l("Vragenlijsten van een panel ontvangen"),
            _l(
                "Vastgelegd bij de aanmelding voor een panel. Na intrekken krijgt de inwoner "
                "geen vragenlijsten of herinneringen meer, ook niet als die al klaarstaan."
            ),
        ),
    ]


@hookimpl
def intranet_permissions() -> list[Permission]:
    return [
        Permission(
            VIEW, _l("Meedenkgroepen en panels: bekijken"), _l("Inclusief de namen van deelnemers.")
        ),
        Permission(
            f"{NAME}.groups.manage",
            _l("Meedenkgroepen beheren"),
            _l("Groepen, aanmeldingen, bijeenkomsten, opbrengsten en terugkoppeling."),
        ),
        Permission(
            f"{NAME}.panels.manage",
            _l("Panels en vragenlijsten beheren"),
            _l(
                "Panelleden, vragenlijsten opstellen en versturen, herinneringen, papieren antwoorden."
            ),
        ),
        Permission(
            f"{NAME}.trajectories.manage",
            _l("Trajecten in 6 stappen beheren"),
            _l("Nieuw beleid met de werkwijze in 6 stappen."),
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
        NavItem(_("Meedenkgroepen"), f"{NAME}.index", VIEW, order=50),
        NavItem(_("Vragenlijsten"), f"{NAME}.questionnaires", VIEW, order=51),
        NavItem(_("Trajecten"), f"{NAME}.trajectories", VIEW, order=52),
    ]


@hookimpl
def intranet_dashboard_widgets(municipality, employee) -> list[Widget]:  # type: ignore[no-untyped-def]
    from intranet.plugin_api import effective_permissions

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
    return [Widget(_("Meedenkgroepen en panels"), Markup(html), order=50)]  # noqa: S704 - Jinja-escaped


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
        from intranet.plugin_api import as_utc

        starts = as_utc(meeting.starts_at)
        if not (start <= local_date(starts) < end):  # type: ignore[arg-type]
            continue
        items.append(
            CalendarItem(
                title=(
                    _("Meedenkgroep %(theme)s (vervolgbijeenkomst)", theme=meeting.group.theme)
                    if meeting.follow_up_of_id
                    else _("Meedenkgroep %(theme)s", theme=meeting.group.theme)
                ),
                start=starts,  # type: ignore[arg-type]
                end=starts + timedelta(hours=2),  # type: ignore[operator]
                location=_("Online") if meeting.online else meeting.location,
                url=_url("meeting_detail", municipality, meeting_id=meeting.id),
                uid=f"meedenkgroepen-meeting-{meeting.id}@{municipality.slug}",
                category=_("Meedenkgroep"),
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
                title=_(
                    "Vragenlijst %(title)s (%(status)s)",
                    title=q.title,
                    status=q.status_label.lower(),
                ),
                start=q.opens_on,
                end=q.closes_on + timedelta(days=1),
                url=_url("questionnaire_detail", municipality, questionnaire_id=q.id),
                uid=f"meedenkgroepen-questionnaire-{q.id}@{municipality.slug}",
                category=_("Vragenlijst"),
            )
        )
    return items


@hookimpl
def intranet_resident_data(municipality, resident) -> PersonalData:  # type: ignore[no-untyped-def]
    from .privacy import resident_data

    return resident_data(municipality, resident)


@hookimpl
def intranet_erase_resident(municipality, resident, reason: str) -> ErasureResult:  # type: ignore[no-untyped-def]
    from .privacy import erase_resident

    return erase_resident(municipality, resident, reason)


@hookimpl
def intranet_processing_activities() -> list[ProcessingActivity]:
    from .privacy import processing_activities

    return processing_activities()


@hookimpl
def intranet_retention_run(municipality, now: datetime, dry_run: bool) -> RetentionReport:  # type: ignore[no-untyped-def]
    from .retention import retention_run

    return retention_run(municipality, now, dry_run)


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
def intranet_participation_target_status(municipality, key: str):  # type: ignore[no-untyped-def]
    """How a group or trajectory offered in intranet_participation_targets stands now."""
    from intranet.plugin_api import ParticipationStatus

    kind, _sep, ident = key.partition(":")
    target_id = parse_id(ident)
    if target_id is None:
        return None
    if kind == "group":
        group = db.session.execute(
            scoped(m.Group, municipality).where(m.Group.id == target_id)
        ).scalar_one_or_none()
        if group is None:
            return None
        held = [mt for mt in group.meetings if mt.outcomes_mailed_at or mt.outcomes]
        outcomes = [o.text for mt in group.meetings for o in mt.outcomes]
        summary = ""
        if held:
            summary = ngettext(
                "%(num)d bijeenkomst met opbrengsten",
                "%(num)d bijeenkomsten met opbrengsten",
                len(held),
            )
            if outcomes:
                summary += _("; laatste opbrengst: %(outcome)s", outcome=outcomes[-1])
        return ParticipationStatus(
            status=str(group.status_label),
            outcome=summary,
            url=_url("group_detail", municipality, group_id=group.id),
        )
    if kind == "trajectory":
        t = db.session.execute(
            scoped(m.Trajectory, municipality).where(m.Trajectory.id == target_id)
        ).scalar_one_or_none()
        if t is None:
            return None
        return ParticipationStatus(
            status=(
                _("Afgesloten")
                if t.closed_at
                else _("Stap %(step)s: %(name)s", step=t.step, name=STEPS.get(t.step, "?"))
            ),
            outcome=t.result_text,
            url=_url("trajectory_detail", municipality, trajectory_id=t.id),
        )
    return None


@hookimpl
def intranet_demo_data(municipality, residents: list[Any]) -> None:  # type: ignore[no-untyped-def]
    from .demo import load

    load(municipality, residents)


@hookimpl
def intranet_contributions(municipality, resident=None, since=None) -> list:  # type: ignore[no-untyped-def]
    """Meeting outcomes, trajectory contributions and questionnaire answers (contributions.py)."""
    from .contributions import contributions

    return contributions(municipality, resident=resident, since=since)


@hookimpl
def intranet_participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    """Residents who took part in the period, for the core's reach page."""
    from .participants import participants

    return participants(municipality, start, end)
