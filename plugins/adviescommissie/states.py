"""The status flow of an advice file, as pure functions (no database, no Flask).

ontvangen → in behandeling → advies vastgesteld → verzonden → reactie ontvangen → afgerond

A solicited advice starts at ``ontvangen`` (the request came in); an unsolicited advice is
started by the committee itself and starts at ``in behandeling``. The secretariat can send an
adopted advice back to ``in behandeling`` before it is sent. Which permission may perform each
step is part of the table below, so it is tested in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intranet.plugin_api import _, _l

RECEIVED = "received"
IN_PROGRESS = "in_progress"
ADOPTED = "adopted"
SENT = "sent"
RESPONSE_RECEIVED = "response_received"
CLOSED = "closed"

#: status -> Dutch label, in the order of the flow
STATUSES: dict[str, str] = {
    RECEIVED: _l("Ontvangen"),
    IN_PROGRESS: _l("In behandeling"),
    ADOPTED: _l("Advies vastgesteld"),
    SENT: _l("Verzonden"),
    RESPONSE_RECEIVED: _l("Reactie ontvangen"),
    CLOSED: _l("Afgerond"),
}

MANAGE = "adviescommissie.manage"
RESPOND = "adviescommissie.respond"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    permission: str
    #: the button text
    label: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(RECEIVED, IN_PROGRESS, MANAGE, _l("In behandeling nemen")),
    Transition(IN_PROGRESS, ADOPTED, MANAGE, _l("Advies vaststellen")),
    Transition(ADOPTED, IN_PROGRESS, MANAGE, _l("Vaststelling terugdraaien")),
    Transition(ADOPTED, SENT, MANAGE, _l("Advies verzenden")),
    Transition(SENT, RESPONSE_RECEIVED, RESPOND, _l("Reactie van de gemeente afronden")),
    Transition(RESPONSE_RECEIVED, CLOSED, MANAGE, _l("Dossier afronden")),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


@dataclass(frozen=True)
class Facts:
    """What the preconditions of a transition look at, gathered by the caller."""

    has_advice_text: bool = False
    recommendations: int = 0
    unanswered_recommendations: int = 0


class TransitionError(ValueError):
    """A step that is not allowed; the message is Dutch and shown to the user."""


def initial_status(solicited: bool) -> str:
    return RECEIVED if solicited else IN_PROGRESS


def transition(source: str, target: str) -> Transition | None:
    return _BY_PAIR.get((source, target))


def allowed_targets(source: str, permissions: Iterable[str]) -> list[Transition]:
    """The steps from ``source`` that someone holding ``permissions`` may take."""
    held = set(permissions)
    return [t for t in TRANSITIONS if t.source == source and t.permission in held]


def blocker(target: str, facts: Facts) -> str | None:
    """Why the file cannot move to ``target`` yet (Dutch), or None."""
    if target == ADOPTED:
        if not facts.has_advice_text:
            return _("Schrijf eerst de tekst van het advies.")
        if facts.recommendations == 0:
            return _("Voeg eerst minstens één aanbeveling toe.")
    if target == RESPONSE_RECEIVED and facts.unanswered_recommendations:
        return _(
            "Leg eerst bij elke aanbeveling de reactie van de gemeente vast (nog %(n)s open).",
            n=facts.unanswered_recommendations,
        )
    return None


def check(source: str, target: str, permissions: Iterable[str], facts: Facts) -> Transition:
    """Return the transition, or raise :class:`TransitionError` with the reason in Dutch."""
    step = transition(source, target)
    if step is None:
        raise TransitionError(
            _(
                "Van „%(source)s” kan het dossier niet naar „%(target)s”.",
                source=STATUSES.get(source, source),
                target=STATUSES.get(target, target),
            )
        )
    if step.permission not in set(permissions):
        raise PermissionError(step.permission)
    reason = blocker(target, facts)
    if reason:
        raise TransitionError(reason)
    return step


def is_open_for_advice(status: str) -> bool:
    """The committee may still edit the advice text and recommendations."""
    return status in (RECEIVED, IN_PROGRESS)


def is_awaiting_response(status: str) -> bool:
    return status == SENT
