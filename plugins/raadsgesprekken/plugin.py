"""Hook implementations of the raadsgesprekken plugin."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import Blueprint, has_request_context, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from intranet.plugin_api import (
    CalendarItem,
    ConsentPurpose,
    ErasureResult,
    NavItem,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    RetentionReport,
    Widget,
    _,
    _l,
    hookimpl,
    ngettext,
)

NAME = "raadsgesprekken"


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title_nl="Raadsgesprekken",
        title_en="Council conversations",
        description=_l(
            "Raadsleden gaan in gesprek met cliënten en mantelzorgers over zorg en ondersteuning, en geven door wat zij horen aan het college."
        ),
        origin="Gemeente Zwolle",
        version="0.2.0",
    )


@hookimpl
def intranet_consent_purposes() -> list[ConsentPurpose]:
    from .models import CONSENT_LABELS

    return [ConsentPurpose(code, label) for code, label in CONSENT_LABELS.items()]


@hookimpl
def intranet_permissions() -> list[Permission]:
    return [
        Permission(
            f"{NAME}.view",
            _l("Raadsgesprekken: bekijken"),
            _l("Eigen gesprekken, bereik en werkgroep."),
        ),
        Permission(
            f"{NAME}.intake",
            _l("Raadsgesprekken: aanvragen registreren"),
            _l("Inclusief gegevens van de inwoner."),
        ),
        Permission(
            f"{NAME}.schedule",
            _l("Raadsgesprekken: gespreksdagen en gesprekken plannen"),
            _l("Ziet alle gesprekken, ook adressen (griffie)."),
        ),
        Permission(
            f"{NAME}.report",
            _l("Raadsgesprekken: verslagen schrijven"),
            _l("Alleen van gesprekken waaraan het raadslid gekoppeld is."),
        ),
        Permission(
            f"{NAME}.reports.read",
            _l("Raadsgesprekken: verslagen lezen"),
            _l(
                "Herleidbare verslagen alleen voor gekoppelde raadsleden, griffie en voorzitter werkgroep."
            ),
        ),
        Permission(
            f"{NAME}.pass_on", _l("Raadsgesprekken: doorgeven aan het college en terugkoppelen")
        ),
        Permission(
            f"{NAME}.manage",
            _l("Raadsgesprekken: raadsleden, lijsten, werkgroep en instellingen beheren"),
        ),
    ]


@hookimpl
def intranet_blueprints() -> list[Blueprint]:
    from .views import bp

    return [bp]


@hookimpl
def intranet_navigation() -> list[NavItem]:
    return [
        NavItem(_("Gesprekken"), f"{NAME}.index", f"{NAME}.view", order=50),
        NavItem(_("Aanvragen"), f"{NAME}.requests", f"{NAME}.intake", order=51),
        NavItem(_("Gespreksdagen"), f"{NAME}.days", f"{NAME}.schedule", order=52),
        NavItem(_("Doorgeefluik"), f"{NAME}.summaries", f"{NAME}.pass_on", order=53),
        NavItem(_("Bereik"), f"{NAME}.reach", f"{NAME}.view", order=54),
        NavItem(_("Raadswerkgroep"), f"{NAME}.workgroup", f"{NAME}.view", order=55),
        NavItem(_("Raadsleden"), f"{NAME}.members", f"{NAME}.manage", order=56),
        NavItem(_("Instellingen gesprekken"), f"{NAME}.settings_page", f"{NAME}.manage", order=57),
    ]


@hookimpl
def intranet_dashboard_widgets(municipality, employee) -> list[Widget]:  # type: ignore[no-untyped-def]
    from intranet.plugin_api import effective_permissions

    from .service import PERM_INTAKE, PERM_VIEW, visible_appointments_stmt
    from .views.home import overview_counts

    perms = effective_permissions(employee, municipality)
    if PERM_VIEW not in perms:
        return []
    stmt = visible_appointments_stmt()
    open_requests, upcoming, to_write = overview_counts(municipality, stmt)
    from .service import PERM_PASS_ON
    from .views.passing_on import executive_loop_counts

    html = render_template(
        "raadsgesprekken/widget.html",
        open_requests=open_requests if PERM_INTAKE in perms else None,
        upcoming=upcoming,
        to_write=to_write,
        loops=executive_loop_counts(municipality) if PERM_PASS_ON in perms else None,
        today=_todays_appointments(stmt),
    )
    return [Widget(_("Raadsgesprekken"), Markup(html), order=50)]  # noqa: S704 - rendered by Jinja


def _todays_appointments(stmt):  # type: ignore[no-untyped-def]
    """The employee's conversations of today, also those already held this morning: they are
    no longer "upcoming" and have no report yet, but today is when they matter."""
    from datetime import timedelta

    from intranet.plugin_api import db, today

    from .models import ConversationAppointment
    from .service import local_to_utc

    day = today()
    return (
        db.session.execute(
            stmt.where(
                ConversationAppointment.cancelled.is_(False),
                ConversationAppointment.starts_at >= local_to_utc(day, time(0, 0)),
                ConversationAppointment.starts_at
                < local_to_utc(day + timedelta(days=1), time(0, 0)),
            ).order_by(ConversationAppointment.starts_at)
        )
        .scalars()
        .all()
    )


@hookimpl
def intranet_calendar_items(municipality, start: date, end: date) -> list[CalendarItem]:  # type: ignore[no-untyped-def]
    """Conversation days and appointments, without any resident's name or address."""
    from intranet.plugin_api import db, scoped

    from .models import ConversationAppointment, ConversationDay
    from .service import local_to_utc

    items = []
    for day in db.session.execute(
        scoped(ConversationDay, municipality).where(
            ConversationDay.day >= start, ConversationDay.day < end
        )
    ).scalars():
        items.append(
            CalendarItem(
                title=_("Gespreksdag raadsleden: %(title)s", title=day.title),
                start=day.day,
                location=day.location,
                description=ngettext("%(num)d tijdvak", "%(num)d tijdvakken", len(day.slots)),
                uid=f"raadsgesprekken-dag-{municipality.id}-{day.id}",
                category=_("Raadsgesprekken"),
            )
        )
    lo, hi = local_to_utc(start, time(0, 0)), local_to_utc(end, time(0, 0))
    for appt in db.session.execute(
        _appointments_for_reader(municipality).where(
            ConversationAppointment.cancelled.is_(False),
            ConversationAppointment.starts_at >= lo,
            ConversationAppointment.starts_at < hi,
        )
    ).scalars():
        items.append(
            CalendarItem(
                title=_("Raadsgesprek (%(form)s)", form=appt.form_label.lower()),
                start=_aware(appt.starts_at),
                end=_aware(appt.ends_at),
                location="" if appt.place_is_home else appt.place,
                url=_url(appt.id),
                uid=f"raadsgesprekken-gesprek-{municipality.id}-{appt.id}",
                category=_("Raadsgesprekken"),
            )
        )
    return items


def _appointments_for_reader(municipality):  # type: ignore[no-untyped-def]
    """In a request the calendar is someone's (the page, or the personal feed computed as its
    employee): only the conversations they may open, so a council member sees their own.
    Without a reader (a job or the shell) every conversation of the municipality."""
    from intranet.plugin_api import scoped

    from .models import ConversationAppointment
    from .service import visible_appointments_stmt

    if has_request_context() and current_user.is_authenticated:
        return visible_appointments_stmt()
    return scoped(ConversationAppointment, municipality)


def _aware(value: datetime) -> datetime:
    from intranet.plugin_api import as_utc

    return as_utc(value)  # type: ignore[return-value]


def _url(appointment_id: int) -> str | None:
    try:
        return url_for(f"{NAME}.appointment", appointment_id=appointment_id)
    except RuntimeError:
        return None


@hookimpl
def intranet_resident_data(municipality, resident) -> PersonalData:  # type: ignore[no-untyped-def]
    from .privacy import resident_data

    return resident_data(municipality, resident)


@hookimpl
def intranet_erase_resident(municipality, resident, reason: str) -> ErasureResult:  # type: ignore[no-untyped-def]
    from .privacy import erase_resident

    return erase_resident(municipality, resident, reason)


@hookimpl
def intranet_processing_activities(municipality) -> list[ProcessingActivity]:  # type: ignore[no-untyped-def]
    from .privacy import processing_activities

    return processing_activities(municipality)


@hookimpl
def intranet_retention_run(municipality, now: datetime, dry_run: bool) -> RetentionReport:  # type: ignore[no-untyped-def]
    from .retention import retention_run

    return retention_run(municipality, now, dry_run)


@hookimpl
def intranet_plugin_enabled(municipality) -> None:  # type: ignore[no-untyped-def]
    from .service import ensure_defaults

    ensure_defaults(municipality)


@hookimpl
def intranet_demo_data(municipality, residents) -> None:  # type: ignore[no-untyped-def]
    from .demo import load

    load(municipality, residents)


@hookimpl
def intranet_contributions(municipality, resident=None, since=None, owed_only=False) -> list:  # type: ignore[no-untyped-def]
    """Ideas from council conversations and the executive's answers (see contributions.py)."""
    from .contributions import contributions

    return contributions(municipality, resident=resident, since=since, owed_only=owed_only)


@hookimpl
def intranet_participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    """Residents who took part in the period, for the core's reach page."""
    from .participants import participants

    return participants(municipality, start, end)
