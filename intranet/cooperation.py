"""How plugins cooperate without importing each other: through hooks called for them.

A plugin links to another plugin's participation target (a think-along group, an advice
file) by ``(plugin, key)`` and a copy of the title; these helpers list the targets on offer
and ask for a linked target's current state. A plugin that is not installed, disabled for
the municipality or failing simply contributes nothing, so the linking plugin keeps working.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import current_app

from .contract import BankQuestion, ParticipationStatus, ParticipationTarget
from .plugin_manager import flatten

log = logging.getLogger(__name__)

ENABLED, DISABLED, NOT_INSTALLED = "enabled", "disabled", "not_installed"


def _host() -> Any:
    return current_app.extensions["intranet"].plugins


def plugin_availability(municipality: Any, name: str) -> str:
    """``enabled``, ``disabled`` (installed, switched off here) or ``not_installed``."""
    host = _host()
    if not host.is_known(name):
        return NOT_INSTALLED
    return ENABLED if name in host.enabled_names(municipality) else DISABLED


def participation_targets(
    municipality: Any, exclude: str | Iterable[str] | None = None
) -> list[ParticipationTarget]:
    """What the plugins enabled in the municipality offer to link to (think-along groups,
    trajectories, advice requests), leaving out ``exclude`` (usually the caller itself). A
    failing plugin is left out with a notice on the page, so a link list never breaks a page."""
    skip = {exclude} if isinstance(exclude, str) else set(exclude or ())
    results = _host().call_for_page(municipality, "intranet_participation_targets")
    return [
        t
        for t in flatten(r for r in results if r.plugin not in skip)
        if isinstance(t, ParticipationTarget)
    ]


def participation_target_status(
    municipality: Any, plugin: str, key: str
) -> ParticipationStatus | None:
    """How a linked target stands now, or None when its plugin cannot say (not installed,
    disabled here, failing, or the target is gone)."""
    if plugin_availability(municipality, plugin) != ENABLED:
        return None
    try:
        results = _host().call_plugin(
            plugin, "intranet_participation_target_status", municipality=municipality, key=key
        )
    except Exception:
        log.exception("plugin %s failed in intranet_participation_target_status", plugin)
        return None
    for result in results:
        if isinstance(result.value, ParticipationStatus):
            return result.value
    return None


def question_bank(municipality: Any, exclude: str | None = None) -> list[BankQuestion]:
    """Questions the plugins enabled in the municipality offer to questionnaire builders."""
    results = _host().call_for_page(municipality, "intranet_question_bank")
    return [
        q for q in flatten(r for r in results if r.plugin != exclude) if isinstance(q, BankQuestion)
    ]
