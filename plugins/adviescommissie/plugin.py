"""Hook implementations of the adviescommissie plugin."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, render_template
from markupsafe import Markup

from intranet.contract import (
    CalendarItem,
    ErasureResult,
    NavItem,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    RetentionCategory,
    RetentionReport,
    Widget,
)
from intranet.hookspecs import hookimpl
from intranet.plugin_api import local_today

from . import models  # noqa: F401 - the tables must be known before create_all / migrations

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
        description="Gevraagd en ongevraagd advies van de adviescommissie sociaal domein, de reacties van de gemeente en de afgesproken waarden.",
        origin="Gemeente Zaanstad en cliëntenraden",
        version="0.2.0",
    )


@hookimpl
def intranet_permissions() -> list[Permission]:
    return [
        Permission(
            VIEW, "Adviescommissie: bekijken", "Adviezen, reacties, waarden en jaarverslag lezen."
        ),
        Permission(
            MEMBER,
            "Adviescommissie: als lid meewerken",
            "Adviesteksten, aanbevelingen, participatieadvies en het oordeel per waarde schrijven.",
        ),
        Permission(
            MANAGE,
            "Adviescommissie: secretariaat",
            "Adviesaanvragen registreren, status wijzigen, advies vaststellen en verzenden, "
            "leden, vergaderingen en waarden beheren.",
        ),
        Permission(
            RESPOND,
            "Adviescommissie: reactie gemeente vastleggen",
            "Per aanbeveling de reactie van de gemeente en per waarde de toelichting vastleggen.",
        ),
    ]


@hookimpl
def intranet_blueprints() -> list[Blueprint]:
    from .views import bp

    return [bp]


@hookimpl
def intranet_navigation() -> list[NavItem]:
    return [
        NavItem("Adviezen", f"{NAME}.index", VIEW, order=50),
        NavItem("Adviescommissie", f"{NAME}.members", VIEW, order=51),
        NavItem("Waarden", f"{NAME}.values", VIEW, order=52),
        NavItem("Jaarverslag advies", f"{NAME}.annual_report", VIEW, order=53),
    ]


@hookimpl
def intranet_plugin_enabled(municipality) -> None:  # type: ignore[no-untyped-def]
    from .service import ensure_default_values

    ensure_default_values(municipality)


@hookimpl
def intranet_dashboard_widgets(municipality, employee) -> list[Widget]:  # type: ignore[no-untyped-def]
    from intranet.access.permissions import effective_permissions

    from .dashboard import widget_data

    if VIEW not in effective_permissions(employee, municipality):
        return []
    data = widget_data(municipality, local_today())
    html = render_template("adviescommissie/widget.html", **data)
    return [Widget("Adviescommissie", Markup(html), order=50)]  # noqa: S704 - rendered by Jinja


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
    from .privacy import EXPERTISE_CATEGORY, MEMBER_RETENTION_DAYS

    return [
        ProcessingActivity(
            name="Leden van de adviescommissie sociaal domein",
            purpose="De samenstelling, zittingstermijnen, vergaderingen en aanwezigheid van de "
            "adviescommissie bijhouden.",
            legal_basis="Wettelijke taak: cliëntenparticipatie (Wmo 2015 art. 2.1.3, "
            "Participatiewet art. 47) (AVG art. 6 lid 1 sub e)",
            data_categories=(
                "naam (via inwonersregister)",
                "rol",
                "deskundigheid",
                "zittingstermijn",
                "aanwezigheid",
            ),
            data_subjects=("leden van de adviescommissie",),
            special_categories=(EXPERTISE_CATEGORY,),
            retention=f"Tot {MEMBER_RETENTION_DAYS // 365} jaar na het einde van de zittingstermijn.",
            retention_days=MEMBER_RETENTION_DAYS,
            retention_categories=(
                RetentionCategory(
                    "leden", "Leden, na het einde van de zittingstermijn", MEMBER_RETENTION_DAYS
                ),
            ),
        ),
        ProcessingActivity(
            name="Adviesregister adviescommissie",
            purpose="Gevraagde en ongevraagde adviezen, de reacties van de gemeente en de toets "
            "aan de afgesproken waarden vastleggen en verantwoorden.",
            legal_basis="Wettelijke taak (AVG art. 6 lid 1 sub e)",
            data_categories=(
                "naam en afdeling van de contactpersoon bij de gemeente",
                "gebruikersnaam medewerker",
            ),
            data_subjects=("medewerkers",),
            retention="Volgens de archiefselectielijst van de gemeente.",
        ),
    ]


@hookimpl
def intranet_retention_run(municipality, now: datetime, dry_run: bool) -> RetentionReport:  # type: ignore[no-untyped-def]
    from .privacy import retention_run

    return retention_run(municipality, now, dry_run)


@hookimpl
def intranet_demo_data(municipality, residents) -> None:  # type: ignore[no-untyped-def]
    from .demo import load

    load(municipality, residents)
