"""config_version: the token that tells every process its caches are stale

Revision ID: 0012_config_version
Revises: 0008_audit_chain
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0012_config_version"
down_revision = "0008_audit_chain"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "config_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "token": secrets.token_hex(16)}])


def downgrade():
    op.drop_table("config_version")
