"""calendar_feed: a personal, revocable calendar subscription address per employee

Revision ID: 0016_lists
Revises: 0013_ledger
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_lists"
down_revision = "0013_ledger"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_audited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(op.f("ix_calendar_feed_municipality_id"), "calendar_feed", ["municipality_id"])


def downgrade():
    op.drop_index(op.f("ix_calendar_feed_municipality_id"), table_name="calendar_feed")
    op.drop_table("calendar_feed")
