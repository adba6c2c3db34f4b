"""job.title_params, job.message_params: a job's title and progress shown in the reader's language

A job stores its title and progress message as the Dutch source text (the message id) and,
beside it, the values to fill in; the page translates when it shows them. NULL params mark a
text that is shown as stored (rows from before, and free text such as an error).

Revision ID: 0019_job_text_params
Revises: 0018_municipality_theme
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_job_text_params"
down_revision = "0018_municipality_theme"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("title_params", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("message_params", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("job") as batch:
        batch.drop_column("message_params")
        batch.drop_column("title_params")
