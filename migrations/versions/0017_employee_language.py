"""employee.language: the language an employee chose, kept across sessions and sign-ins

Revision ID: 0017_employee_language
Revises: 0016_lists
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_employee_language"
down_revision = "0016_lists"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employee") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("employee") as batch:
        batch.drop_column("language")
