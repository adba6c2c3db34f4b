"""participatieplan: an organisation from the core's registry as a workshop participant

Revision ID: participatieplan_reach
Revises: participatieplan_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "participatieplan_reach"
down_revision = "participatieplan_0001"
branch_labels = None
depends_on = "0014_reach"  # the core's organisation table


def upgrade():
    with op.batch_alter_table("participatieplan_workshop_participant") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.create_index(
            "ix_participatieplan_workshop_participant_organisation_id", ["organisation_id"]
        )
        batch.create_foreign_key(
            "fk_participatieplan_workshop_participant_organisation_id",
            "organisation",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("participatieplan_workshop_participant") as batch:
        batch.drop_constraint(
            "fk_participatieplan_workshop_participant_organisation_id", type_="foreignkey"
        )
        batch.drop_index("ix_participatieplan_workshop_participant_organisation_id")
        batch.drop_column("organisation_id")
