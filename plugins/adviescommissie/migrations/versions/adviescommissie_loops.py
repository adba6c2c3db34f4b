"""adviescommissie: the decision date "asked early enough" is judged against

Revision ID: adviescommissie_loops
Revises: 0005_adviescommissie
Create Date: 2026-12-01 02:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "adviescommissie_loops"
down_revision = "0005_adviescommissie"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch table rebuild: on SQLite a rebuild drops the old table,
    # and with foreign keys on that would cascade to the recommendations.
    op.add_column("adviescommissie_advice", sa.Column("decision_date", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("adviescommissie_advice") as batch:
        batch.drop_column("decision_date")
