"""The plugin contract: every hook a plugin may implement.

Each hook is documented with its exact signature in docs/plugins.md and has a test named
``test_hook_<hook>``; ``tests/test_hook_meta.py`` fails when either is missing.
Hooks that belong to one municipality are only called for plugins enabled there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pluggy

PROJECT = "intranet"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def intranet_plugin_info():  # type: ignore[no-untyped-def]
    """Return the plugin's :class:`~intranet.contract.PluginInfo` (name, titles, origin, version)."""


@hookspec
def intranet_blueprints():  # type: ignore[no-untyped-def]
    """Return a list of Flask blueprints, mounted under ``/<municipality>/<plugin name>/``."""


@hookspec
def intranet_public_blueprints():  # type: ignore[no-untyped-def]
    """Return blueprints for residents without an account, mounted under
    ``/publiek/<municipality>/<plugin name>/``; every view in them must be marked ``@public``.
    A deployment can expose only ``/publiek/`` to the internet."""


@hookspec
def intranet_permissions():  # type: ignore[no-untyped-def]
    """Return a list of :class:`~intranet.contract.Permission` the plugin's views check."""


@hookspec
def intranet_navigation(municipality, employee):  # type: ignore[no-untyped-def]
    """Return a list of :class:`~intranet.contract.NavItem` for the main navigation."""


@hookspec
def intranet_dashboard_widgets(municipality, employee):  # type: ignore[no-untyped-def]
    """Return a list of :class:`~intranet.contract.Widget` for the employee's dashboard."""


@hookspec
def intranet_calendar_items(municipality, start: date, end: date):  # type: ignore[no-untyped-def]
    """Return :class:`~intranet.contract.CalendarItem` objects that fall in ``[start, end)``."""


@hookspec
def intranet_resident_data(municipality, resident):  # type: ignore[no-untyped-def]
    """Return a :class:`~intranet.contract.PersonalData` with all the plugin holds on a resident."""


@hookspec
def intranet_erase_resident(municipality, resident, reason: str):  # type: ignore[no-untyped-def]
    """Erase or anonymise the resident's data; return an :class:`~intranet.contract.ErasureResult`."""


@hookspec
def intranet_consent_purposes():  # type: ignore[no-untyped-def]
    """Return :class:`~intranet.contract.ConsentPurpose` objects the plugin relies on."""


@hookspec
def intranet_processing_activities(municipality):  # type: ignore[no-untyped-def]
    """Return :class:`~intranet.contract.ProcessingActivity` lines for the GDPR register."""


@hookspec
def intranet_retention_run(municipality, now: datetime, dry_run: bool):  # type: ignore[no-untyped-def]
    """Delete or anonymise what passed its retention period; return a RetentionReport."""


@hookspec
def intranet_participation_targets(municipality):  # type: ignore[no-untyped-def]
    """Return :class:`~intranet.contract.ParticipationTarget` objects other plugins may link to."""


@hookspec
def intranet_participation_target_status(municipality, key: str):  # type: ignore[no-untyped-def]
    """Return a :class:`~intranet.contract.ParticipationStatus` for one of the plugin's own
    participation targets (``key`` as offered), or None when the key is not (or no longer) its."""


@hookspec
def intranet_question_bank(municipality):  # type: ignore[no-untyped-def]
    """Return :class:`~intranet.contract.BankQuestion` objects a questionnaire builder may copy."""


@hookspec
def intranet_contributions(  # type: ignore[no-untyped-def]
    municipality, resident=None, since: date | None = None, owed_only: bool = False
):
    """Return :class:`~intranet.contract.Contribution` objects: what participants contributed
    and what was done with it. With ``resident`` only theirs; with ``since`` only those
    contributed on or after that date. Called once per plugin per page (the Terugkoppeling
    page, the dashboard widget, the resident's page, an access request).

    With ``owed_only`` the page shows only what is still owed feedback (the start page's
    widget, the Terugkoppeling list): a plugin may then leave out the rest, so that those pages
    do not load the municipality's whole history. Leaving it out is optional: the core keeps
    only the owed ones either way."""


@hookspec
def intranet_plugin_enabled(municipality):  # type: ignore[no-untyped-def]
    """Called once when the plugin is enabled for a municipality (for example to seed lists)."""


@hookspec
def intranet_plugin_disabled(municipality):  # type: ignore[no-untyped-def]
    """Called once when the plugin is disabled for a municipality; its data must be kept."""


@hookspec
def intranet_demo_data(municipality, residents: list[Any]):  # type: ignore[no-untyped-def]
    """Add demonstration data for a municipality, referring to the given demo residents."""


@hookspec
def intranet_register_commands(cli):  # type: ignore[no-untyped-def]
    """Add Click commands to the ``flask intranet`` command group."""


@hookspec
def intranet_participants(municipality, start: date, end: date):  # type: ignore[no-untyped-def]
    """Return the ids of the residents who took part in the plugin's activities on a day in
    ``[start, end)`` (an iterable of ints; duplicates are fine). The reach page counts them
    per reach group; only plugins enabled in the municipality are called."""
