"""Scheduling and status rules as pure functions: plain values in, Dutch messages out.

The views collect the facts from the database and ask these functions; the tests call
them directly as well, so every rule is checked without a web request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from intranet.plugin_api import _, ngettext

from .models import CANCELLED, CLOSED, HELD, REPORTED, REQUESTED, SCHEDULED


@dataclass(frozen=True)
class Booking:
    """An existing, not cancelled appointment as the rules see it."""

    id: int
    starts_at: datetime
    ends_at: datetime
    member_ids: frozenset[int]
    slot_id: int | None = None
    #: how a planner recognises it: "van 10:00 tot 11:00, op het gemeentehuis (gesprek nr. 12)"
    label: str = ""


@dataclass(frozen=True)
class Problem:
    """A refusal, with the form field it belongs next to."""

    field: str
    message: str


@dataclass(frozen=True)
class SlotFacts:
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    available_member_ids: frozenset[int]


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def conflicts(
    *,
    starts_at: datetime,
    ends_at: datetime,
    member_ids: Iterable[int],
    member_names: Mapping[int, str],
    bookings: Iterable[Booking],
    slot: SlotFacts | None = None,
    day_slots: Iterable[SlotFacts] = (),
    exclude_id: int | None = None,
) -> list[Problem]:
    """Every reason why this appointment cannot be made; an empty list means it can.

    Rules: the end lies after the start; at least one council member; no council member is
    in two overlapping appointments; a slot's appointments stay within its capacity; an
    appointment in a slot lies within the slot and only uses members available in it; a
    free appointment on a conversation day (``day_slots``) only uses members who are
    available in a slot covering that time. Other days are "by appointment": no limits.
    """
    problems: list[Problem] = []
    members = sorted(set(member_ids))
    if ends_at <= starts_at:
        problems.append(Problem("ends", _("Het einde van het gesprek moet na het begin liggen.")))
    if not members:
        problems.append(Problem("members", _("Kies minstens één raadslid.")))
    others = [b for b in bookings if b.id != exclude_id]
    for member in members:
        for b in others:
            if member in b.member_ids and overlaps(starts_at, ends_at, b.starts_at, b.ends_at):
                problems.append(
                    Problem(
                        "members",
                        _(
                            "%(name)s heeft op dat moment al een ander gesprek: %(label)s.",
                            name=member_names.get(member, _("Een raadslid")),
                            label=b.label,
                        )
                        if b.label
                        else _(
                            "%(name)s heeft op dat moment al een ander gesprek.",
                            name=member_names.get(member, _("Een raadslid")),
                        ),
                    )
                )
                break
    if slot is not None:
        taken = sum(1 for b in others if b.slot_id == slot.id)
        if taken >= slot.capacity:
            problems.append(
                Problem(
                    "slot_id",
                    ngettext(
                        "Dit tijdvak is vol: er kan %(num)d gesprek tegelijk en "
                        "er zijn er al %(taken)s ingepland.",
                        "Dit tijdvak is vol: er kunnen %(num)d gesprekken tegelijk en "
                        "er zijn er al %(taken)s ingepland.",
                        slot.capacity,
                        taken=taken,
                    ),
                )
            )
        if starts_at < slot.starts_at or ends_at > slot.ends_at:
            problems.append(Problem("slot_id", _("Het gesprek valt buiten het gekozen tijdvak.")))
        for member in members:
            if member not in slot.available_member_ids:
                problems.append(
                    Problem(
                        "members",
                        _(
                            "%(name)s is in dit tijdvak niet beschikbaar.",
                            name=member_names.get(member, _("Een raadslid")),
                        ),
                    )
                )
    elif day_slots:
        day_slots = list(day_slots)
        for member in members:
            covered = any(
                member in s.available_member_ids
                and s.starts_at <= starts_at
                and ends_at <= s.ends_at
                for s in day_slots
            )
            if not covered:
                problems.append(
                    Problem(
                        "members",
                        _(
                            "%(name)s is op deze gespreksdag op dat moment niet beschikbaar.",
                            name=member_names.get(member, _("Een raadslid")),
                        ),
                    )
                )
    return problems


#: status -> statuses it may move to
TRANSITIONS: dict[str, frozenset[str]] = {
    REQUESTED: frozenset({SCHEDULED, CANCELLED}),
    SCHEDULED: frozenset({SCHEDULED, HELD, CANCELLED}),
    HELD: frozenset({REPORTED}),
    REPORTED: frozenset({CLOSED, REPORTED}),
    CLOSED: frozenset(),
    CANCELLED: frozenset({SCHEDULED}),
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def pair_warning(member_count: int) -> str | None:
    """Conversations are usually held by a pair; one member is allowed but worth a note."""
    if member_count == 1:
        return _("Let op: gesprekken worden meestal door twee raadsleden gevoerd.")
    return None
