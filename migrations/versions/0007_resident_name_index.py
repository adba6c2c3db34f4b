"""residents listed by name per municipality: an index for the registry's pages

Revision ID: 0007_resident_name_index
Revises: 0003_privacy
Create Date: 2026-11-23 13:40:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op

revision = "0007_resident_name_index"
down_revision = "0003_privacy"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resident_municipality_name", ["municipality_id", "name", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_index("ix_resident_municipality_name")
