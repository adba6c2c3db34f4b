"""audit log: append-only triggers, a hash chain per municipality, indexes for the access log

Events get a ``resident_id`` column (the resident they are about, from the object or
``details["resident"]``), so a resident's access log is one index range.

Revision ID: 0008_audit_chain
Revises: 0007_resident_name_index
Create Date: 2026-12-01 01:00:00

The triggers are the same statements ``db.create_all()`` runs (``intranet.audit.models``);
existing events are chained in id order per municipality before the triggers exist.
"""

import sqlalchemy as sa
from alembic import op

from intranet.audit.chain import FIELDS, event_hash, resident_of
from intranet.audit.models import POSTGRESQL_TRIGGERS, SQLITE_TRIGGERS

revision = "0008_audit_chain"
down_revision = "0007_resident_name_index"
branch_labels = None
depends_on = None

audit_event = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("time", sa.DateTime(timezone=True)),
    sa.column("municipality_id", sa.Integer),
    sa.column("actor_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("result", sa.String),
    sa.column("origin", sa.String),
    sa.column("details", sa.JSON),
    sa.column("resident_id", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _backfill() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(audit_event).order_by(audit_event.c.municipality_id, audit_event.c.id)
    ).mappings()
    last: dict[int | None, str | None] = {}
    updates = []
    for row in rows:
        chain = row["municipality_id"]
        prev = last.get(chain)
        fields = dict(row)
        fields["resident_id"] = resident_of(row["object_type"], row["object_id"], row["details"])
        digest = event_hash({name: fields[name] for name in FIELDS}, prev)
        updates.append(
            {
                "row_id": row["id"],
                "resident": fields["resident_id"],
                "prev_hash": prev,
                "hash": digest,
            }
        )
        last[chain] = digest
    if updates:
        conn.execute(
            audit_event.update()
            .where(audit_event.c.id == sa.bindparam("row_id"))
            .values(
                resident_id=sa.bindparam("resident"),
                prev_hash=sa.bindparam("prev_hash"),
                hash=sa.bindparam("hash"),
            ),
            updates,
        )


def upgrade():
    op.create_table(
        "audit_retention_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_retention_window")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resident_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(
            "ix_audit_event_municipality_time", ["municipality_id", "time"], unique=False
        )
        batch_op.create_index(
            "ix_audit_event_municipality_chain", ["municipality_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_audit_event_municipality_resident",
            ["municipality_id", "resident_id", "time"],
            unique=False,
        )
    # last: on SQLite a batch operation recreates the table, and its triggers with it
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_municipality_resident")
        batch_op.drop_index("ix_audit_event_municipality_chain")
        batch_op.drop_index("ix_audit_event_municipality_time")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("resident_id")
    op.drop_table("audit_retention_window")
