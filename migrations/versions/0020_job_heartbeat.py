"""job.heartbeat_at: a job whose process died is noticed and no longer shows as running for ever

A running job writes the time into this column every ``JOBS_HEARTBEAT_SECONDS``; a queued one
gets it when it is handed to the queue. A job silent for ``JOBS_STALLED_AFTER_SECONDS`` is
taken for lost (intranet.jobs.recovery).

Revision ID: 0020_job_heartbeat
Revises: 0019_job_text_params
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_job_heartbeat"
down_revision = "0019_job_text_params"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("job") as batch:
        batch.drop_column("heartbeat_at")
