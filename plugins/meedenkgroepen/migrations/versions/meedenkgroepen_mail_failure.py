"""meedenkgroepen: why a mail failed, as a reason the page explains in the reader's language

Revision ID: meedenkgroepen_mail_failure
Revises: meedenkgroepen_meeting_orgs
Create Date: 2026-12-02 18:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "meedenkgroepen_mail_failure"  # alembic_version holds 32 characters
down_revision = "meedenkgroepen_meeting_orgs"
branch_labels = None
depends_on = None

TABLES = ("meedenkgroepen_feedback_mail", "meedenkgroepen_invitation")


def upgrade():
    # Plain ADD COLUMN, never a batch rebuild (see meedenkgroepen_loops). Rows that failed
    # before keep an empty reason and show the general "Het versturen is mislukt".
    for table in TABLES:
        op.add_column(
            table, sa.Column("failure", sa.String(length=20), nullable=False, server_default="")
        )


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later have it) for the same reason: a batch rebuild
    # of the invitations would cascade to their responses.
    for table in TABLES:
        op.drop_column(table, "failure")
