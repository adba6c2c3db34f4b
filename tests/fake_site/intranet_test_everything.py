"""A test-only plugin that implements every hook of the contract and records each call."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint
from markupsafe import Markup, escape

from intranet.access.permissions import public, requires
from intranet.contract import (
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
    RetentionReport,
    Widget,
)
from intranet.hookspecs import hookimpl

NAME = "everything"
#: (hook name, municipality slug or None) for every call, so tests can see who was called
CALLS: list[tuple[str, str | None]] = []
#: set to a hook name to make that hook raise, to test how the core copes
FAIL: set[str] = set()
#: municipality slug -> the contributions the plugin reports there (tests fill it)
CONTRIBUTIONS: dict[str, list] = {}  # type: ignore[type-arg]

bp = Blueprint(NAME, __name__)


@bp.route("/")
@requires("everything.view")
def index():  # type: ignore[no-untyped-def]
    return "<!doctype html><title>alles</title><p>Alles-plugin</p>"


def _called(hook: str, municipality=None) -> None:  # type: ignore[no-untyped-def]
    CALLS.append((hook, getattr(municipality, "slug", None)))
    if hook in FAIL:
        raise RuntimeError(f"{hook} fails on purpose")


@hookimpl
def intranet_plugin_info() -> PluginInfo:
    return PluginInfo(NAME, "Alles", "Everything", "Test-plugin met elke hook.", "tests", "1.0")


@hookimpl
def intranet_blueprints():  # type: ignore[no-untyped-def]
    _called("intranet_blueprints")
    return [bp]


@hookimpl
def intranet_permissions():  # type: ignore[no-untyped-def]
    _called("intranet_permissions")
    return [Permission("everything.view", "Alles bekijken")]


@hookimpl
def intranet_navigation(municipality, employee):  # type: ignore[no-untyped-def]
    _called("intranet_navigation", municipality)
    return [NavItem("Alles", "everything.index", "everything.view", order=60)]


@hookimpl
def intranet_dashboard_widgets(municipality, employee):  # type: ignore[no-untyped-def]
    _called("intranet_dashboard_widgets", municipality)
    return [Widget("Alles-widget", Markup(f"<p>Hallo {escape(employee.display_name)}</p>"))]  # noqa: S704


@hookimpl
def intranet_calendar_items(municipality, start, end):  # type: ignore[no-untyped-def]
    _called("intranet_calendar_items", municipality)
    return [
        CalendarItem(
            title="Alles-bijeenkomst",
            start=datetime.combine(start.replace(day=15), time(14, 0)),
            end=datetime.combine(start.replace(day=15), time(16, 0)),
            location="Stadhuis",
            uid=f"alles-{start.isoformat()}@test",
            category="Test",
        )
    ]


@hookimpl
def intranet_resident_data(municipality, resident):  # type: ignore[no-untyped-def]
    _called("intranet_resident_data", municipality)
    return PersonalData(
        NAME, "Alles", [{"naam": resident.name, "diagnose": "GGZ-wachtlijst"}], special=["diagnose"]
    )


@hookimpl
def intranet_erase_resident(municipality, resident, reason):  # type: ignore[no-untyped-def]
    _called("intranet_erase_resident", municipality)
    return ErasureResult(NAME, erased=["alles"], kept=[("factuur", "Fiscale bewaarplicht")])


@hookimpl
def intranet_processing_activities(municipality):  # type: ignore[no-untyped-def]
    _called("intranet_processing_activities", municipality)
    return [
        ProcessingActivity(
            "Alles", "Testen", "Toestemming", ("naam",), ("inwoners",), "1 jaar", 365
        )
    ]


@hookimpl
def intranet_retention_run(municipality, now, dry_run):  # type: ignore[no-untyped-def]
    _called("intranet_retention_run", municipality)
    return RetentionReport(NAME, deleted={"alles": 0 if dry_run else 1})


@hookimpl
def intranet_plugin_enabled(municipality):  # type: ignore[no-untyped-def]
    _called("intranet_plugin_enabled", municipality)


@hookimpl
def intranet_plugin_disabled(municipality):  # type: ignore[no-untyped-def]
    _called("intranet_plugin_disabled", municipality)


@hookimpl
def intranet_demo_data(municipality, residents):  # type: ignore[no-untyped-def]
    _called("intranet_demo_data", municipality)


@hookimpl
def intranet_register_commands(cli):  # type: ignore[no-untyped-def]
    import click

    @cli.command("alles")
    def alles() -> None:
        """A command added by the test plugin."""
        click.echo("alles-commando")


@hookimpl
def intranet_participation_targets(municipality):  # type: ignore[no-untyped-def]
    _called("intranet_participation_targets", municipality)
    return [ParticipationTarget(NAME, "groep-1", "Alles-groep", "meedenkgroep")]


@hookimpl
def intranet_participation_target_status(municipality, key):  # type: ignore[no-untyped-def]
    _called("intranet_participation_target_status", municipality)
    if key != "groep-1":
        return None
    return ParticipationStatus("Actief", "Drie ideeën opgehaald")


@hookimpl
def intranet_question_bank(municipality):  # type: ignore[no-untyped-def]
    _called("intranet_question_bank", municipality)
    return [BankQuestion(NAME, "vraag-1", "Wat vindt u van alles?")]


@hookimpl
def intranet_contributions(municipality, resident=None, since=None):  # type: ignore[no-untyped-def]
    _called("intranet_contributions", municipality)
    return list(CONTRIBUTIONS.get(municipality.slug, []))


public_bp = Blueprint("everything_public", __name__)


@public_bp.route("/")
@public
def public_index():  # type: ignore[no-untyped-def]
    return "<!doctype html><title>publiek</title><p>Publieke pagina</p>"


@hookimpl
def intranet_public_blueprints():  # type: ignore[no-untyped-def]
    _called("intranet_public_blueprints")
    return [public_bp]


@hookimpl
def intranet_consent_purposes():  # type: ignore[no-untyped-def]
    _called("intranet_consent_purposes")
    return [ConsentPurpose("everything.mail", "Alles-mail ontvangen")]


@hookimpl
def intranet_participants(municipality, start, end):  # type: ignore[no-untyped-def]
    _called("intranet_participants", municipality)
    return []
