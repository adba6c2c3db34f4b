"""raadsgesprekken: a summary for the executive gets a sent date and an answer term

Revision ID: raadsgesprekken_loops
Revises: raadsgesprekken_plugin_api
Create Date: 2026-12-01 02:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "raadsgesprekken_loops"
down_revision = "raadsgesprekken_plugin_api"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch table rebuild: on SQLite a rebuild drops the old table,
    # and with foreign keys on that would cascade to the ideas and feedback rows.
    op.add_column("raadsgesprekken_summary", sa.Column("sent_on", sa.Date(), nullable=True))
    op.add_column(
        "raadsgesprekken_summary", sa.Column("answer_term_days", sa.Integer(), nullable=True)
    )


def downgrade():
    with op.batch_alter_table("raadsgesprekken_summary") as batch:
        batch.drop_column("answer_term_days")
        batch.drop_column("sent_on")
