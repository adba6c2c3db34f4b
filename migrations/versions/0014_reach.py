"""reach: organisations with resident contacts, reach groups, outreach actions

Revision ID: 0014_reach
Revises: 0012_config_version
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_reach"
down_revision = "0012_config_version"
branch_labels = None
depends_on = None


def _tenant() -> sa.Column:
    return sa.Column(
        "municipality_id",
        sa.Integer(),
        sa.ForeignKey("municipality.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade():
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254)),
        sa.Column("phone", sa.String(length=40)),
        sa.Column("website", sa.String(length=300)),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_organisation_municipality_name", "organisation", ["municipality_id", "name"])
    op.create_table(
        "organisation_contact",
        sa.Column("id", sa.Integer(), primary_key=True),
        _tenant(),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisation.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "resident_id",
            sa.Integer(),
            sa.ForeignKey("resident.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.UniqueConstraint("organisation_id", "resident_id"),
    )
    op.create_table(
        "reach_group",
        sa.Column("id", sa.Integer(), primary_key=True),
        _tenant(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("special", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("municipality_id", "name"),
    )
    op.create_table(
        "resident_reach_group",
        sa.Column("id", sa.Integer(), primary_key=True),
        _tenant(),
        sa.Column(
            "resident_id",
            sa.Integer(),
            sa.ForeignKey("resident.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("reach_group.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("consent_method", sa.String(length=20), nullable=False),
        sa.Column("consent_given_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("resident_id", "group_id"),
    )
    op.create_table(
        "outreach_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        _tenant(),
        sa.Column("done_on", sa.Date(), nullable=False, index=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("reach_group.id", ondelete="SET NULL"),
            index=True,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("outreach_action")
    op.drop_table("resident_reach_group")
    op.drop_table("reach_group")
    op.drop_table("organisation_contact")
    op.drop_index("ix_organisation_municipality_name", table_name="organisation")
    op.drop_table("organisation")
