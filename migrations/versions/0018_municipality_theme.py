"""municipality_theme: a municipality's NL Design System theme (tokens and logo)

Revision ID: 0018_municipality_theme
Revises: 0017_employee_language
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_municipality_theme"
down_revision = "0017_employee_language"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "municipality_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base", sa.String(length=40), nullable=False),
        sa.Column("tokens_css", sa.Text(), nullable=True),
        sa.Column("logo_png", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["municipality_id"], ["municipality.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("municipality_id"),
    )
    op.create_index(
        op.f("ix_municipality_theme_municipality_id"), "municipality_theme", ["municipality_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_municipality_theme_municipality_id"), table_name="municipality_theme")
    op.drop_table("municipality_theme")
