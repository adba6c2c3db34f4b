"""Hook implementations of the adviescommissie plugin."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, render_template
from markupsafe import Markup

from intranet.plugin_api import (
    CalendarItem,
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
    local_today,
    ngettext,
)

from . import models  # the tables must be known before create_all / migrations

NAME = "adviescommissie"
VIEW = f"{NAME}.view"
MEMBER = f"{NAME}.member"
MANAGE = f"{NAME}.manage"
RESPOND = f"{NAME}.respond"


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(
        name=NAME,
        title_nl="Adviescommissie",
        title_en="Advisory committee",
        description=_l(
            "Gevraagd en ongevraagd advies van de adviescommissie sociaal domein, de reacties van de gemeente en de afgesproken waarden."
        ),
        origin="Gemeente Zaanstad en cliëntenraden",
        version="0.2.0",
    )


@hookimpl
def intranet_permissions() -> list[Permission]:
    return [
        Permission(
            VIEW,
            _l("Adviescommissie: bekijken"),
            _l("Adviezen, reacties, waarden en jaarverslag lezen."),
        ),
        Permission(
            MEMBER,
            _l("Adviescommissie: als lid meewerken"),
            _l(
                "Adviesteksten, aanbevelingen, participatieadvies en het oordeel per waarde schrijven."
            ),
        ),
        Permission(
            MANAGE,
            _l("Adviescommissie: secretariaat"),
            _l(
                "Adviesaanvragen registreren, status wijzigen, advies vaststellen en verzenden, "
                "leden, vergaderingen en waarden beheren."
            ),
        ),
        Permission(
            RESPOND,
            _l("Adviescommissie: reactie gemeente vastleggen"),
            _l(
                "Per aanbeveling de reactie van de gemeente en per waarde de toelichting vastleggen."
            ),
        ),
    ]


@hookimpl
def intranet_blueprints() -> list[Blueprint]:
    from .views import bp

    return [bp]


@hookimpl
def intranet_navigation() -> list[NavItem]:
    return [
        NavItem(_("Adviezen"), f"{NAME}.index", VIEW, order=50),
        NavItem(_("Adviescommissie"), f"{NAME}.members", VIEW, order=51),
        NavItem(_("Waarden"), f"{NAME}.values", VIEW, order=52),
        NavItem(_("Jaarverslag advies"), f"{NAME}.annual_report", VIEW, order=53),
    ]


@hookimpl
def intranet_plugin_enabled(municipality) -> None:  # type: ignore[no-untyped-def]
    from .service import ensure_default_values

    ensure_default_values(municipality)


@hookimpl
def intranet_dashboard_widgets(municipality, employee) -> list[Widget]:  # type: ignore[no-untyped-def]
    from intranet.plugin_api import effective_permissions

    from .dashboard import widget_data

    if VIEW not in effective_permissions(employee, municipality):
        return []
    data = widget_data(municipality, local_today())
    html = render_template("adviescommissie/widget.html", **data)
    return [Widget(_("Adviescommissie"), Markup(html), order=50)]  # noqa: S704 - rendered by Jinja


@hookimpl
def intranet_calendar_items(municipality, start: date, end: date) -> list[CalendarItem]:  # type: ignore[no-untyped-def]
    from .dashboard import calendar_items

    return calendar_items(municipality, start, end)


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
def intranet_demo_data(municipality, residents) -> None:  # type: ignore[no-untyped-def]
    from .demo import load

    load(municipality, residents)


@hookimpl
def intranet_participation_targets(municipality):  # type: ignore[no-untyped-def]
    """Advice requests (solicited advice) still open, so a participation plan can link to one."""
    from intranet.plugin_api import ParticipationTarget, db, scoped

    from .states import CLOSED

    rows = db.session.execute(
        scoped(models.AdviceFile, municipality)
        .where(models.AdviceFile.solicited.is_(True), models.AdviceFile.status != CLOSED)
        .order_by(models.AdviceFile.received_on.desc())
    ).scalars()
    return [
        ParticipationTarget(
            plugin=NAME,
            key=f"advice:{a.id}",
            title=f"Adviesaanvraag {a.subject}",
            kind="adviesaanvraag",
            url=_detail_url(municipality, a.id),
        )
        for a in rows
    ]


@hookimpl
def intranet_participation_target_status(municipality, key: str):  # type: ignore[no-untyped-def]
    """How an advice file offered as a participation target stands now."""
    from intranet.plugin_api import ParticipationStatus, db, parse_id, scoped

    kind, _sep, ident = key.partition(":")
    advice_id = parse_id(ident)
    if kind != "advice" or advice_id is None:
        return None
    advice = db.session.execute(
        scoped(models.AdviceFile, municipality).where(models.AdviceFile.id == advice_id)
    ).scalar_one_or_none()
    if advice is None:
        return None
    outcome = ""
    if advice.sent_on:
        sent = advice.sent_on.strftime("%d-%m-%Y")
        count = len(advice.recommendations)
        answered = sum(1 for r in advice.recommendations if r.response)
        if count and answered:
            outcome = ngettext(
                "Advies verzonden op %(sent)s met %(num)d aanbeveling; de gemeente "
                "reageerde op %(answered)s.",
                "Advies verzonden op %(sent)s met %(num)d aanbevelingen; de gemeente "
                "reageerde op %(answered)s.",
                count,
                sent=sent,
                answered=answered,
            )
        elif count:
            outcome = ngettext(
                "Advies verzonden op %(sent)s met %(num)d aanbeveling.",
                "Advies verzonden op %(sent)s met %(num)d aanbevelingen.",
                count,
                sent=sent,
            )
        else:
            outcome = _("Advies verzonden op %(sent)s.", sent=sent)
    return ParticipationStatus(
        status=str(advice.status_label), outcome=outcome, url=_detail_url(municipality, advice.id)
    )


def _detail_url(municipality, advice_id: int):  # type: ignore[no-untyped-def]
    from flask import url_for

    try:
        return url_for(f"{NAME}.detail", municipality=municipality.slug, advice_id=advice_id)
    except RuntimeError:
        return None


@hookimpl
def intranet_contributions(municipality, resident=None, since=None) -> list:  # type: ignore[no-untyped-def]
    """Recommendations and the municipality's response to each (see contributions.py)."""
    from .contributions import contributions

    return contributions(municipality, resident=resident, since=since)


@hookimpl
def intranet_participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    """Residents who took part in the period, for the core's reach page."""
    from .participants import participants

    return participants(municipality, start, end)
