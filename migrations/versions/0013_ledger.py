"""feedback_term: each municipality's term in working days for feedback on contributions

Revision ID: 0013_ledger
Revises: 0014_reach
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_ledger"
down_revision = "0014_reach"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feedback_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_feedback_term_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_term")),
        sa.UniqueConstraint(
            "municipality_id", "kind", name=op.f("uq_feedback_term_municipality_id_kind")
        ),
    )
    with op.batch_alter_table("feedback_term", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_term_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("feedback_term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_term_municipality_id"))
    op.drop_table("feedback_term")
