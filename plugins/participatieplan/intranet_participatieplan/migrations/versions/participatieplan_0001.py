"""participatieplan: the reform agenda, workstreams, milestones, participation moments,
werkateliers, co-creation sessions, personas and the question bank.

The first revision of the plugin's own Alembic branch; it needs the core's tables
(municipality, employee, resident) and nothing of any other plugin.

Revision ID: participatieplan_0001
Revises:
Create Date: 2026-12-01 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "participatieplan_0001"
down_revision = None
branch_labels = ("participatieplan",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "participatieplan_agenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("adopted_by", sa.String(length=200), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("budget_context", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_agenda_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_agenda")),
    )
    with op.batch_alter_table("participatieplan_agenda", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_agenda_municipality_id"),
            ["municipality_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_persona",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_persona_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_persona")),
    )
    with op.batch_alter_table("participatieplan_persona", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_persona_municipality_id"),
            ["municipality_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_session_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_session")),
    )
    with op.batch_alter_table("participatieplan_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_session_municipality_id"),
            ["municipality_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_persona_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("what_matters", sa.Text(), nullable=False),
        sa.Column("quotes", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("obstacles", sa.Text(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_persona_version_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["participatieplan_persona.id"],
            name=op.f("fk_participatieplan_persona_version_persona_id_participatieplan_persona"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["participatieplan_session.id"],
            name=op.f("fk_participatieplan_persona_version_session_id_participatieplan_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_persona_version")),
        sa.UniqueConstraint(
            "persona_id",
            "number",
            name=op.f("uq_participatieplan_persona_version_persona_id_number"),
        ),
    )
    with op.batch_alter_table("participatieplan_persona_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_persona_version_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_persona_version_persona_id"),
            ["persona_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_session_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_session_participant_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_participatieplan_session_participant_resident_id_resident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["participatieplan_session.id"],
            name=op.f(
                "fk_participatieplan_session_participant_session_id_participatieplan_session"
            ),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_session_participant")),
        sa.UniqueConstraint(
            "session_id",
            "resident_id",
            name=op.f("uq_participatieplan_session_participant_session_id_resident_id"),
        ),
    )
    with op.batch_alter_table("participatieplan_session_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_session_participant_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_session_participant_resident_id"),
            ["resident_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_session_participant_session_id"),
            ["session_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_workstream",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("internal_notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_id"],
            ["participatieplan_agenda.id"],
            name=op.f("fk_participatieplan_workstream_agenda_id_participatieplan_agenda"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_workstream_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["employee.id"],
            name=op.f("fk_participatieplan_workstream_owner_id_employee"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_workstream")),
    )
    with op.batch_alter_table("participatieplan_workstream", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workstream_agenda_id"), ["agenda_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workstream_municipality_id"),
            ["municipality_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("internal_notes", sa.Text(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_milestone_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["participatieplan_workstream.id"],
            name=op.f("fk_participatieplan_milestone_workstream_id_participatieplan_workstream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_milestone")),
    )
    with op.batch_alter_table("participatieplan_milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_milestone_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_milestone_workstream_id"),
            ["workstream_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_persona_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=True),
        sa.Column("target_plugin", sa.String(length=60), nullable=True),
        sa.Column("target_key", sa.String(length=200), nullable=True),
        sa.Column("target_title", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_persona_use_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["persona_id"],
            ["participatieplan_persona.id"],
            name=op.f("fk_participatieplan_persona_use_persona_id_participatieplan_persona"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["participatieplan_workstream.id"],
            name=op.f("fk_participatieplan_persona_use_workstream_id_participatieplan_workstream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_persona_use")),
    )
    with op.batch_alter_table("participatieplan_persona_use", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_persona_use_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_persona_use_persona_id"), ["persona_id"], unique=False
        )

    op.create_table(
        "participatieplan_workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_workshop_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["participatieplan_workstream.id"],
            name=op.f("fk_participatieplan_workshop_workstream_id_participatieplan_workstream"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_workshop")),
    )
    with op.batch_alter_table("participatieplan_workshop", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workshop_municipality_id"),
            ["municipality_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_moment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("ladder", sa.String(length=20), nullable=False),
        sa.Column("form", sa.String(length=30), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("outcome_reported_on", sa.Date(), nullable=True),
        sa.Column("internal_notes", sa.Text(), nullable=False),
        sa.Column("target_plugin", sa.String(length=60), nullable=True),
        sa.Column("target_key", sa.String(length=200), nullable=True),
        sa.Column("target_title", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["participatieplan_milestone.id"],
            name=op.f("fk_participatieplan_moment_milestone_id_participatieplan_milestone"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_moment_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["participatieplan_workstream.id"],
            name=op.f("fk_participatieplan_moment_workstream_id_participatieplan_workstream"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_moment")),
    )
    with op.batch_alter_table("participatieplan_moment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_moment_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_moment_workstream_id"), ["workstream_id"], unique=False
        )

    op.create_table(
        "participatieplan_workshop_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employee.id"],
            name=op.f("fk_participatieplan_workshop_participant_employee_id_employee"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_workshop_participant_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_participatieplan_workshop_participant_resident_id_resident"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["participatieplan_workshop.id"],
            name=op.f(
                "fk_participatieplan_workshop_participant_workshop_id_participatieplan_workshop"
            ),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_workshop_participant")),
    )
    with op.batch_alter_table("participatieplan_workshop_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workshop_participant_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workshop_participant_resident_id"),
            ["resident_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workshop_participant_workshop_id"),
            ["workshop_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_workshop_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_workshop_input_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participatieplan_workshop_participant.id"],
            name=op.f(
                "fk_participatieplan_workshop_input_participant_id_participatieplan_workshop_participant"
            ),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["participatieplan_workshop.id"],
            name=op.f("fk_participatieplan_workshop_input_workshop_id_participatieplan_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_workshop_input")),
    )
    with op.batch_alter_table("participatieplan_workshop_input", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workshop_input_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participatieplan_workshop_input_workshop_id"),
            ["workshop_id"],
            unique=False,
        )

    op.create_table(
        "participatieplan_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("scale_min_label", sa.String(length=100), nullable=False),
        sa.Column("scale_max_label", sa.String(length=100), nullable=False),
        sa.Column("starter", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_participatieplan_question_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participatieplan_question")),
    )
    with op.batch_alter_table("participatieplan_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participatieplan_question_municipality_id"),
            ["municipality_id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("participatieplan_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_question_municipality_id"))

    op.drop_table("participatieplan_question")
    with op.batch_alter_table("participatieplan_workshop_input", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_workshop_input_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_workshop_input_municipality_id"))

    op.drop_table("participatieplan_workshop_input")
    with op.batch_alter_table("participatieplan_workshop_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_workshop_participant_workshop_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_workshop_participant_resident_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_workshop_participant_municipality_id"))

    op.drop_table("participatieplan_workshop_participant")
    with op.batch_alter_table("participatieplan_moment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_moment_workstream_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_moment_municipality_id"))

    op.drop_table("participatieplan_moment")
    with op.batch_alter_table("participatieplan_workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_workshop_municipality_id"))

    op.drop_table("participatieplan_workshop")
    with op.batch_alter_table("participatieplan_persona_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_persona_use_persona_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_persona_use_municipality_id"))

    op.drop_table("participatieplan_persona_use")
    with op.batch_alter_table("participatieplan_milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_milestone_workstream_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_milestone_municipality_id"))

    op.drop_table("participatieplan_milestone")
    with op.batch_alter_table("participatieplan_workstream", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_workstream_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_workstream_agenda_id"))

    op.drop_table("participatieplan_workstream")
    with op.batch_alter_table("participatieplan_session_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_session_participant_session_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_session_participant_resident_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_session_participant_municipality_id"))

    op.drop_table("participatieplan_session_participant")
    with op.batch_alter_table("participatieplan_persona_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_persona_version_persona_id"))
        batch_op.drop_index(batch_op.f("ix_participatieplan_persona_version_municipality_id"))

    op.drop_table("participatieplan_persona_version")
    with op.batch_alter_table("participatieplan_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_session_municipality_id"))

    op.drop_table("participatieplan_session")
    with op.batch_alter_table("participatieplan_persona", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_persona_municipality_id"))

    op.drop_table("participatieplan_persona")
    with op.batch_alter_table("participatieplan_agenda", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participatieplan_agenda_municipality_id"))

    op.drop_table("participatieplan_agenda")
