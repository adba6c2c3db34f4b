"""The audit log's hash chain: each municipality's events, in id order, each hashing the one before.

Every event stores ``prev_hash`` (the ``hash`` of the municipality's previous event; ``None``
for the first) and ``hash`` = SHA-256 of the canonical JSON of the event's fields and
``prev_hash``. Changing, inserting or removing an event (past the triggers, see
``models.py``) breaks a link, and ``flask --app wsgi intranet audit verify`` reports the first
broken one. Platform events (no municipality) form a chain of their own.

The canonical form is a stored format: changing :func:`canonical` breaks every chain.

Concurrent writers must not fork a chain (two events naming the same ``prev_hash``): before
reading the chain's last hash, a writer takes a lock that it holds until its transaction ends
— on PostgreSQL an advisory transaction lock per municipality, on SQLite the database's write
lock (SQLite has one writer at a time anyway). The next writer then reads the hash the first
one committed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, bindparam, select, text
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from .models import AuditEvent

#: first key of the PostgreSQL advisory locks that serialise the chains (the second is the
#: municipality's id, 0 for the platform chain)
LOCK_CLASS = 0x41554454  # "AUDT"

#: the fields that are hashed, in the canonical form (``id`` is not known before the insert;
#: the order of events is fixed by ``prev_hash``)
FIELDS = (
    "time",
    "municipality_id",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "result",
    "origin",
    "details",
    "resident_id",
)


def resident_of(object_type: str | None, object_id: str | None, details: Any) -> int | None:
    """The resident an event is about: the object itself, or ``details["resident"]``.

    Stored in its own column so a resident's access log is one indexed lookup.
    """
    candidates = [object_id] if object_type == "resident" else []
    if isinstance(details, dict):
        candidates.append(details.get("resident"))
    for value in candidates:
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or (
            isinstance(value, str) and value.isdigit() and value.isascii()
        ):
            number = int(value)
            if 0 < number < 2**31:
                return number
    return None


def _utc(value: datetime) -> str:
    """SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware ones: one form."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(fields: dict[str, Any], prev_hash: str | None) -> bytes:
    """The bytes that are hashed: sorted keys, no spaces, UTF-8, time in UTC to the microsecond."""
    data = {name: fields.get(name) for name in FIELDS}
    data["time"] = _utc(data["time"])
    data["prev_hash"] = prev_hash
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(fields: dict[str, Any], prev_hash: str | None) -> str:
    return hashlib.sha256(canonical(fields, prev_hash)).hexdigest()


def fields_of(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in FIELDS}


def lock_chain(session: Session, municipality_id: int | None) -> None:
    """Hold the chain until the transaction ends, so that no other writer forks it."""
    # On the session's connection, not through the ORM: these run for every audited request,
    # and the ORM's statement handling cost more than the statements themselves.
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(
            _PG_LOCK,
            {"cls": LOCK_CLASS, "key": municipality_id or 0},
        )
    else:
        # A write that changes nothing takes SQLite's one write lock (and starts the transaction)
        # before the chain's last hash is read; it is held until commit or rollback.
        connection.execute(_SQLITE_LOCK)


_PG_LOCK = text("SELECT pg_advisory_xact_lock(:cls, :key)")
_SQLITE_LOCK = text("UPDATE audit_retention_window SET cutoff = cutoff WHERE 1 = 0")


def _chain_filter(municipality_id: int | None):  # type: ignore[no-untyped-def]
    from .models import AuditEvent

    if municipality_id is None:
        return AuditEvent.municipality_id.is_(None)
    return AuditEvent.municipality_id == municipality_id


@cache
def _last_hash_query(platform: bool) -> Select[tuple[str]]:
    """Built once: every audited request reads its chain's last hash."""
    from .models import AuditEvent

    chain = (
        AuditEvent.municipality_id.is_(None)
        if platform
        else AuditEvent.municipality_id == bindparam("municipality_id")
    )
    return select(AuditEvent.hash).where(chain).order_by(AuditEvent.id.desc()).limit(1)


def last_hash(session: Session, municipality_id: int | None) -> str | None:
    connection = session.connection()
    if municipality_id is None:
        return connection.execute(_last_hash_query(True)).scalar_one_or_none()
    query = _last_hash_query(False)
    return connection.execute(query, {"municipality_id": municipality_id}).scalar_one_or_none()


def chain_new_events(session: Session, events: list[AuditEvent]) -> None:
    """Fill ``prev_hash`` and ``hash`` of events about to be inserted (from ``before_flush``).

    They are inserted in the order they were added to the session, which is the order of ids.
    """
    from ..timeutil import utcnow

    by_chain: dict[int | None, list[AuditEvent]] = defaultdict(list)
    for event in events:
        # what the column defaults would set at insert time, set now so it can be hashed
        event.time = (event.time or utcnow()).astimezone(UTC)
        if event.result is None:
            event.result = "success"
        # the stored JSON is what will be read back: hash that (integer keys become strings)
        event.details = json.loads(json.dumps(event.details or {}))
        event.resident_id = resident_of(event.object_type, event.object_id, event.details)
        by_chain[event.municipality_id].append(event)
    # always lock in the same order (platform chain first), so two writers never deadlock
    for municipality_id in sorted(by_chain, key=lambda m: -1 if m is None else m):
        lock_chain(session, municipality_id)
        prev = last_hash(session, municipality_id)
        for event in by_chain[municipality_id]:
            event.prev_hash = prev
            event.hash = prev = event_hash(fields_of(event), prev)


@dataclass(frozen=True)
class BrokenLink:
    """The first event of a chain whose link does not hold."""

    municipality_id: int | None
    event_id: int
    time: datetime
    action: str
    reason: str


@dataclass(frozen=True)
class ChainReport:
    municipality_id: int | None
    events: int
    broken: BrokenLink | None


def verify_chain(session: Session, municipality_id: int | None) -> ChainReport:
    """Walk one chain in id order; stop at the first event whose hash or link is wrong.

    The first remaining event may name a ``prev_hash``: the events before it were deleted by
    the retention run. Removing the oldest events (or the newest) past the triggers cannot be
    told from retention (or from a quiet period) by the chain alone.
    """
    from .models import AuditEvent

    count = 0
    prev: str | None = None
    rows = session.execute(
        select(AuditEvent)
        .where(_chain_filter(municipality_id))
        .order_by(AuditEvent.id)
        .execution_options(yield_per=1000)
    ).scalars()
    for event in rows:
        reason = None
        if count and event.prev_hash != prev:
            reason = "prev_hash is not the previous event's hash (an event was removed or inserted)"
        elif event.hash != event_hash(fields_of(event), event.prev_hash):
            reason = "hash does not match the event (the event was changed)"
        if reason is not None:
            return ChainReport(
                municipality_id,
                count,
                BrokenLink(municipality_id, event.id, event.time, event.action, reason),
            )
        prev = event.hash
        count += 1
    return ChainReport(municipality_id, count, None)


def chains(session: Session) -> Iterator[int | None]:
    """Every chain that holds events: the platform's (``None``) and each municipality's."""
    from .models import AuditEvent

    yield from session.execute(
        select(AuditEvent.municipality_id)
        .distinct()
        .order_by(AuditEvent.municipality_id.nulls_first())
    ).scalars()
