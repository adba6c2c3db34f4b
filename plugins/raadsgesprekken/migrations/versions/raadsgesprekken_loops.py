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
    with op.batch_alter_table("raadsgesprekken_summary") as batch:
        batch.add_column(sa.Column("sent_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("answer_term_days", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("raadsgesprekken_summary") as batch:
        batch.drop_column("answer_term_days")
        batch.drop_column("sent_on")
