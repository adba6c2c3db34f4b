"""Audit events hold ids and categories, never personal data, so an erasure leaves them intact.

The log is append-only in the database itself: triggers (created with the table, here for
``db.create_all()`` and in the migration) refuse every UPDATE and DELETE of ``audit_event``,
except a DELETE of an event older than a cutoff that the retention run opens inside its own
transaction (a row in ``audit_retention_window``, deleted again before it commits, so no other
transaction ever sees it). Each municipality's events are chained by hash (``chain.py``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, DateTime, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from .chain import chain_new_events


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        # the audit log page: one municipality's events, newest first
        Index("ix_audit_event_municipality_time", "municipality_id", "time"),
        # the chain's last hash, and ``audit verify``
        Index("ix_audit_event_municipality_chain", "municipality_id", "id"),
        # the access log of a resident (privacy.service.access_log)
        Index("ix_audit_event_municipality_resident", "municipality_id", "resident_id", "time"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    time: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str | None] = mapped_column(String(200))  # user name, or "cli:<os user>"
    action: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    object_type: Mapped[str | None] = mapped_column(String(80))
    object_id: Mapped[str | None] = mapped_column(String(80))
    result: Mapped[str] = mapped_column(String(20), nullable=False, default="success")
    origin: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    #: the resident the event is about (the object, or ``details["resident"]``), filled in on
    #: insert (chain.resident_of); no foreign key: the event outlives an erased resident
    resident_id: Mapped[int | None] = mapped_column(Integer)
    #: the hash of this municipality's previous event (None for its first)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    #: SHA-256 over the canonical JSON of this event and ``prev_hash`` (chain.canonical)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditRetentionWindow(db.Model):
    """Open only inside the retention run's transaction: events older than ``cutoff`` may go."""

    __tablename__ = "audit_retention_window"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cutoff: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _flush_context: object, _instances: object) -> None:
    """Application code may add audit events, never change or delete them."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if new:
        new.sort(key=lambda obj: obj._sa_instance_state.insert_order)
        chain_new_events(session, new)


# -- the triggers --------------------------------------------------------------------------
# The same statements are run by the migration (0008_audit_chain), which imports them.

POSTGRESQL_TRIGGERS = (
    """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (SELECT 1 FROM audit_retention_window w WHERE OLD.time < w.cutoff) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$
""",
    """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
""",
    """
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
""",
)

SQLITE_TRIGGERS = (
    """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused');
END
""",
    """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
WHEN NOT EXISTS (SELECT 1 FROM audit_retention_window w WHERE OLD.time < w.cutoff)
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused');
END
""",
)

for _statement in POSTGRESQL_TRIGGERS:
    event.listen(
        AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
