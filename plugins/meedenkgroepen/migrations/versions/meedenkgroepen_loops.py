"""meedenkgroepen: the loops closed: next steps (step 5), interim results (step 6) without
closing the trajectory, feedback to the panel members who answered a questionnaire

Revision ID: meedenkgroepen_loops
Revises: 0006_meedenkgroepen
Create Date: 2026-12-01 02:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "meedenkgroepen_loops"
down_revision = "0006_meedenkgroepen"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch table rebuild: on SQLite a rebuild drops the old table,
    # and with foreign keys on that would cascade to invitations, responses and contributions.
    op.add_column(
        "meedenkgroepen_trajectory",
        sa.Column("next_steps", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column(
        "meedenkgroepen_questionnaire",
        sa.Column("feedback_text", sa.Text(), nullable=False, server_default=""),
    )
    # the job of the feedback mailing, for its progress bar (a loose reference, like a log)
    op.add_column(
        "meedenkgroepen_questionnaire", sa.Column("feedback_job_id", sa.Integer(), nullable=True)
    )
    op.add_column(
        "meedenkgroepen_questionnaire",
        sa.Column("feedback_sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "meedenkgroepen_interim_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_meedenkgroepen_interim_result_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["meedenkgroepen_trajectory.id"],
            name=op.f("fk_meedenkgroepen_interim_result_trajectory_id_meedenkgroepen_trajectory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meedenkgroepen_interim_result")),
    )
    with op.batch_alter_table("meedenkgroepen_interim_result") as batch:
        batch.create_index(
            batch.f("ix_meedenkgroepen_interim_result_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch.create_index(
            batch.f("ix_meedenkgroepen_interim_result_trajectory_id"),
            ["trajectory_id"],
            unique=False,
        )


def downgrade():
    op.drop_table("meedenkgroepen_interim_result")
    with op.batch_alter_table("meedenkgroepen_questionnaire") as batch:
        batch.drop_column("feedback_sent_at")
        batch.drop_column("feedback_job_id")
        batch.drop_column("feedback_text")
    with op.batch_alter_table("meedenkgroepen_trajectory") as batch:
        batch.drop_column("next_steps")
