"""The rules of the plan: when a moment may be held or have an outcome, what counts as late.

Pure functions of the values and "today" (the core's Amsterdam date), so the forms, the
pages, the dashboard widget and the tests all apply the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from intranet.plugin_api import _l


@dataclass(frozen=True)
class MomentFacts:
    status: str
    planned_on: date | None
    outcome: str
    outcome_reported_on: date | None


def moment_errors(facts: MomentFacts, today: date) -> dict[str, str]:
    """Field name -> Dutch message for every rule the values break (empty when all is well)."""
    errors: dict[str, object] = {}
    if facts.status in ("gepland", "gehouden") and facts.planned_on is None:
        errors["planned_on"] = _l(
            "Vul de datum in: een gepland of gehouden moment heeft een datum."
        )
    if facts.status == "gehouden" and facts.planned_on and facts.planned_on > today:
        errors["status"] = _l(
            "Een moment kan pas gehouden zijn op of na de datum; de datum ligt nog in de toekomst."
        )
    if facts.outcome.strip() and facts.status != "gehouden":
        errors["outcome"] = _l(
            "Een opbrengst leg je vast als het moment is gehouden. Kies eerst de status „Gehouden”."
        )
    if facts.outcome_reported_on is not None:
        if not facts.outcome.strip():
            errors["outcome_reported_on"] = _l(
                "Vul eerst de opbrengst in; pas dan kan die zijn teruggekoppeld."
            )
        elif facts.outcome_reported_on > today:
            errors["outcome_reported_on"] = _l("De datum van terugkoppeling ligt in de toekomst.")
        elif facts.planned_on and facts.outcome_reported_on < facts.planned_on:
            errors["outcome_reported_on"] = _l(
                "De terugkoppeling kan niet vóór het moment zelf liggen."
            )
    return {k: str(v) for k, v in errors.items()}


def moment_is_late(status: str, planned_on: date | None, today: date) -> bool:
    """Still "gepland" while its date has passed: held but not recorded, or slipped."""
    return status == "gepland" and planned_on is not None and planned_on < today


def needs_report_back(status: str, outcome_reported_on: date | None) -> bool:
    """Held, but the participants have not yet heard what came of it."""
    return status == "gehouden" and outcome_reported_on is None


def shown_state(status: str, planned_on: date | None, today: date) -> str:
    """The status a reader sees: "te laat" overrides "gepland" once the date has passed."""
    if moment_is_late(status, planned_on, today):
        return "te_laat"
    return status


def input_errors(decision: str, reason: str) -> dict[str, str]:
    """Input not used needs a reason, so the participants can be told why."""
    if decision == "niet_gebruikt" and not reason.strip():
        return {"reason": str(_l("Geef de reden waarom de inbreng niet is gebruikt."))}
    return {}
