"""Writing audit events from views, the CLI and plugins."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ..extensions import db
from .models import AuditEvent, AuditRetentionWindow

if TYPE_CHECKING:
    from ..municipalities.models import Municipality


def _actor() -> tuple[int | None, str]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.username
    if has_request_context():
        return None, "anoniem"
    try:
        return None, f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in some containers
        return None, "cli"


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    result: str = "success",
    details: dict[str, Any] | None = None,
    municipality: Municipality | None = None,
    actor: str | None = None,
    actor_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it is committed with the change it describes.

    ``details`` must not hold personal data of residents: ids and categories only.
    """
    default_id, default_name = _actor()
    if actor is not None:
        # What someone typed as a user name may hold control characters (a NUL cannot even
        # be stored in PostgreSQL): keep the printable part.
        actor = "".join(ch for ch in actor if ch.isprintable())[:200]
    if municipality is None and has_request_context():
        municipality = g.get("municipality")
    event = AuditEvent(
        municipality_id=municipality.id if municipality is not None else None,
        actor_id=actor_id if actor is not None else default_id,
        actor=actor or default_name,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        result=result,
        origin=request.remote_addr if has_request_context() else None,
        details=details or {},
    )
    db.session.add(event)
    return event


def record_now(action: str, **kwargs: Any) -> None:
    """Record and commit at once: for reads and refusals, which have no change to ride along."""
    record(action, **kwargs)
    if not write_pending_events(db.session):
        db.session.commit()
        return
    # Only the event was written: the rows loaded before are still what the database holds,
    # so they are not expired (the refused sign-in's page would read its municipality again).
    with kept_after_commit():
        db.session.commit()


@contextmanager
def kept_after_commit() -> Iterator[None]:
    """Commit without expiring the loaded rows: only where they are what the database holds
    (what was just written, or rows a commit of audit events alone did not touch)."""
    orm_session = db.session()
    previous = orm_session.expire_on_commit
    orm_session.expire_on_commit = False
    try:
        yield
    finally:
        orm_session.expire_on_commit = previous


def render_audited(template: str, **context: Any) -> str:
    """Render a page that records a read, then commit that audit event.

    Rendering first matters for speed: a commit expires every loaded row, and the template
    would then reload each resident on the page with a query of its own. Should the commit
    fail, the exception stops the page from going out unaudited.
    """
    from flask import render_template

    body = render_template(template, **context)
    write_pending_events(db.session)
    db.session.commit()
    return body


def write_pending_events(session: Session) -> bool:
    """Insert the session's new audit events with one Core ``INSERT``, when they are all it has.

    A read page's only change is its audit event: the ORM's flush (unit of work, identity map,
    the flush hooks) cost about a fifth of such a page. The events are chained exactly as the
    flush hook would (same lock, same last hash, same canonical hash) and leave the session;
    with any other pending change the ordinary flush writes everything in one go. True when
    the events were written here (nothing else is pending).
    """
    from .chain import chain_new_events, fields_of

    new = list(session.new)
    if not new or not all(isinstance(obj, AuditEvent) for obj in new):
        return False
    if session.deleted or session.dirty:
        return False
    new.sort(key=lambda obj: obj._sa_instance_state.insert_order)
    chain_new_events(session, new)
    rows = [{**fields_of(e), "prev_hash": e.prev_hash, "hash": e.hash} for e in new]
    for event in new:
        session.expunge(event)
    session.connection().execute(_INSERT_EVENT, rows)
    return True


_INSERT_EVENT = insert(AuditEvent.__table__)


def retention_cutoff(now: datetime) -> datetime:
    """Events older than this have passed the audit log's retention period."""
    return now - timedelta(days=int(current_app.config["AUDIT_RETENTION_DAYS"]))


def delete_expired_events(
    municipality: Municipality, now: datetime, *, dry_run: bool = False
) -> int:
    """The retention run's deletion of one municipality's events past their period.

    The triggers refuse every other DELETE: this opens the retention window (a row only this
    transaction sees), deletes, and closes it again before the caller commits.
    """
    cutoff = retention_cutoff(now)
    chain = AuditEvent.municipality_id == municipality.id
    expired = chain & (AuditEvent.time < cutoff)
    # Only the chain's expired beginning goes: an old-dated event after a kept one (a clock
    # that was wrong) stays, so the retention run never leaves a gap in the hash chain.
    first_kept = db.session.scalar(
        select(func.min(AuditEvent.id)).where(chain, AuditEvent.time >= cutoff)
    )
    if first_kept is not None:
        expired = expired & (AuditEvent.id < first_kept)
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(expired)) or 0
    return delete_with_window(db.session, cutoff, expired)


def delete_with_window(session: Session, cutoff: datetime, where: Any = None) -> int:
    """Delete audit events older than ``cutoff`` (matching ``where``) inside a retention window."""
    session.execute(insert(AuditRetentionWindow).values(cutoff=cutoff))
    stmt = delete(AuditEvent).where(AuditEvent.time < cutoff)
    if where is not None:
        stmt = stmt.where(where)
    try:
        deleted = session.execute(stmt, execution_options={"synchronize_session": False}).rowcount
    finally:
        session.execute(delete(AuditRetentionWindow))
    return deleted
