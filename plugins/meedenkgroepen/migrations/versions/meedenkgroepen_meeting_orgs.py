"""meedenkgroepen: organisations from the registry that took part in a meeting

Revision ID: meedenkgroepen_meeting_orgs
Revises: meedenkgroepen_participants
Create Date: 2026-12-01 04:10:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "meedenkgroepen_meeting_orgs"  # alembic_version holds 32 characters
down_revision = "meedenkgroepen_participants"
branch_labels = None
depends_on = "0014_reach"  # the core's organisation table

T = "meedenkgroepen_meeting_organisation"


def upgrade():
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f(f"fk_{T}_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meedenkgroepen_meeting.id"],
            name=op.f(f"fk_{T}_meeting_id_meedenkgroepen_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f(f"fk_{T}_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
        sa.UniqueConstraint(
            "meeting_id", "organisation_id", name="uq_meedenkgroepen_meeting_organisation"
        ),
    )
    for column in ("municipality_id", "meeting_id", "organisation_id"):
        op.create_index(op.f(f"ix_{T}_{column}"), T, [column], unique=False)


def downgrade():
    op.drop_table(T)
