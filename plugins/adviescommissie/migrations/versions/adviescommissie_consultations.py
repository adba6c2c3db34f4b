"""adviescommissie: organisations from the registry consulted while preparing an advice

Revision ID: adviescommissie_consultations
Revises: adviescommissie_loops
Create Date: 2026-12-01 04:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "adviescommissie_consultations"
down_revision = "adviescommissie_loops"
branch_labels = None
depends_on = "0014_reach"  # the core's organisation table

T = "adviescommissie_consultation"


def upgrade():
    op.create_table(
        T,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("advice_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("consulted_on", sa.Date(), nullable=False),
        sa.Column("how", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f(f"fk_{T}_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["advice_id"],
            ["adviescommissie_advice.id"],
            name=op.f(f"fk_{T}_advice_id_adviescommissie_advice"),
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
            "advice_id", "organisation_id", name="uq_adviescommissie_consultation_organisation"
        ),
    )
    for column in ("municipality_id", "advice_id", "organisation_id"):
        op.create_index(op.f(f"ix_{T}_{column}"), T, [column], unique=False)


def downgrade():
    op.drop_table(T)
