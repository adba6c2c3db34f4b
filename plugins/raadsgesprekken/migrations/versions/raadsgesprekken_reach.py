"""raadsgesprekken: a stakeholder meeting can name an organisation from the core's registry

Revision ID: raadsgesprekken_reach
Revises: raadsgesprekken_loops
"""

import sqlalchemy as sa
from alembic import op

revision = "raadsgesprekken_reach"
down_revision = "raadsgesprekken_loops"
branch_labels = None
depends_on = "0014_reach"  # the core's organisation table


def upgrade():
    with op.batch_alter_table("raadsgesprekken_stakeholder_meeting") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.create_index(
            "ix_raadsgesprekken_stakeholder_meeting_organisation_id", ["organisation_id"]
        )
        batch.create_foreign_key(
            "fk_raadsgesprekken_stakeholder_meeting_organisation_id",
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("raadsgesprekken_stakeholder_meeting") as batch:
        batch.drop_constraint(
            "fk_raadsgesprekken_stakeholder_meeting_organisation_id", type_="foreignkey"
        )
        batch.drop_index("ix_raadsgesprekken_stakeholder_meeting_organisation_id")
        batch.drop_column("organisation_id")
