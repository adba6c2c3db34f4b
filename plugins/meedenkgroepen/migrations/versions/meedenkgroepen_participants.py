"""meedenkgroepen: a trajectory's step-3 participant groups refer to residents and
organisations in the registry

The free-text name of every existing participant group stays as it is (it remains the group's
description); no row changes. New: one row per resident or organisation in a group.

Revision ID: meedenkgroepen_participants
Revises: meedenkgroepen_loops
Create Date: 2026-12-01 04:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "meedenkgroepen_participants"
down_revision = "meedenkgroepen_loops"
branch_labels = None
depends_on = "0014_reach"  # the core's organisation table

T = "meedenkgroepen_trajectory_participant"


def upgrade():
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f(f"fk_{T}_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["meedenkgroepen_trajectory.id"],
            name=op.f(f"fk_{T}_trajectory_id_meedenkgroepen_trajectory"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["meedenkgroepen_participant_group.id"],
            name=op.f(f"fk_{T}_group_id_meedenkgroepen_participant_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f(f"fk_{T}_resident_id_resident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f(f"fk_{T}_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{T}")),
        sa.UniqueConstraint("group_id", "resident_id", name="uq_meedenkgroepen_tp_resident"),
        sa.UniqueConstraint(
            "group_id", "organisation_id", name="uq_meedenkgroepen_tp_organisation"
        ),
    )
    for column in ("municipality_id", "trajectory_id", "group_id", "resident_id", "organisation_id"):
        op.create_index(op.f(f"ix_{T}_{column}"), T, [column], unique=False)


def downgrade():
    op.drop_table(T)
