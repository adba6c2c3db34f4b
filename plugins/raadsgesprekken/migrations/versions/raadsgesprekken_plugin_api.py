"""raadsgesprekken: retention of reports as a shared retention category

The plugin's own setting ``raadsgesprekken_settings.retention_months`` gives way to the core's
retention categories (``retention_override``, category ``verslagen``, set on
``/<municipality>/privacy/bewaartermijnen``). A municipality that had chosen a period other
than the default 12 months keeps it, as an override of months * 30 days; then the column goes.


Revision ID: raadsgesprekken_plugin_api
Revises: 0004_raadsgesprekken
Create Date: 2026-12-01 01:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "raadsgesprekken_plugin_api"
down_revision = "0004_raadsgesprekken"
branch_labels = None
depends_on = "0003_privacy"  # writes retention_override

PLUGIN = "raadsgesprekken"
CATEGORY = "verslagen"
DEFAULT_MONTHS = 12


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT s.municipality_id, s.retention_months FROM raadsgesprekken_settings s"
            " WHERE s.retention_months <> :default AND NOT EXISTS ("
            "  SELECT 1 FROM retention_override o WHERE o.municipality_id = s.municipality_id"
            "  AND o.plugin = :plugin AND o.category = :category)"
        ),
        {"default": DEFAULT_MONTHS, "plugin": PLUGIN, "category": CATEGORY},
    ).all()
    for municipality_id, months in rows:
        bind.execute(
            sa.text(
                "INSERT INTO retention_override (municipality_id, plugin, category, days)"
                " VALUES (:municipality_id, :plugin, :category, :days)"
            ),
            {
                "municipality_id": municipality_id,
                "plugin": PLUGIN,
                "category": CATEGORY,
                "days": months * 30,
            },
        )
    with op.batch_alter_table("raadsgesprekken_settings", schema=None) as batch_op:
        batch_op.drop_column("retention_months")


def downgrade():
    with op.batch_alter_table("raadsgesprekken_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "retention_months",
                sa.Integer(),
                nullable=False,
                server_default=str(DEFAULT_MONTHS),
            )
        )
    bind = op.get_bind()
    overrides = bind.execute(
        sa.text(
            "SELECT municipality_id, days FROM retention_override"
            " WHERE plugin = :plugin AND category = :category"
        ),
        {"plugin": PLUGIN, "category": CATEGORY},
    ).all()
    for municipality_id, days in overrides:
        bind.execute(
            sa.text(
                "UPDATE raadsgesprekken_settings SET retention_months = :months"
                " WHERE municipality_id = :municipality_id"
            ),
            {"months": max(1, min(120, round(days / 30))), "municipality_id": municipality_id},
        )
