"""The plugin's own Alembic branch: on top of the core's revisions it creates exactly the
plugin's tables as the models describe them, and its downgrade removes them again. Runs on the
database under test (SQLite, or a fresh PostgreSQL database when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import intranet_participatieplan
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

import intranet
from intranet import create_app
from intranet.extensions import db

PLUGIN_VERSIONS = (
    Path(intranet_participatieplan.__file__).resolve().parent / "migrations" / "versions"
)
#: the core's migrations folder (script_location), beside the intranet package
MIGRATIONS_DIR = Path(intranet.__file__).resolve().parent.parent / "migrations"


@pytest.fixture
def empty_database(tmp_path: Path):  # type: ignore[no-untyped-def]
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'plan-migrations.sqlite3'}"
        return
    name = f"participatieplan_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _config() -> Config:
    """The core's Alembic set-up with the plugin's folder among the version locations (the core
    may already find it there itself; then it is listed once)."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    locations = [str(MIGRATIONS_DIR / "versions"), str(PLUGIN_VERSIONS)]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(dict.fromkeys(locations)))
    return config


def test_the_branch_is_labelled_and_rests_on_the_core() -> None:
    script = ScriptDirectory.from_config(_config())
    base = script.get_revision("participatieplan_0001")
    assert "participatieplan" in script.get_revision("participatieplan@head").branch_labels | {
        label
        for rev in script.iterate_revisions("participatieplan@head", "base")
        for label in rev.branch_labels
    }
    assert base.branch_labels == {"participatieplan"}
    assert base.down_revision is None
    assert base.dependencies == "0001_core"


def test_upgrade_creates_the_tables_the_models_describe(empty_database: str) -> None:
    app = create_app(
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "SECRET_KEY": "x" * 40,
        }
    )
    config = _config()
    with app.app_context():
        command.upgrade(config, "heads")
        engine = create_engine(empty_database)
        tables = {t for t in inspect(engine).get_table_names() if t.startswith("participatieplan_")}
        assert {
            "participatieplan_agenda",
            "participatieplan_workstream",
            "participatieplan_milestone",
            "participatieplan_moment",
            "participatieplan_workshop",
            "participatieplan_persona",
        } <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = [
                d for d in compare_metadata(context, db.metadata) if "participatieplan_" in repr(d)
            ]
        assert diff == [], f"the plugin's models and its migrations differ: {diff}"

        command.downgrade(config, "participatieplan@base")
        left = {t for t in inspect(engine).get_table_names() if t.startswith("participatieplan_")}
        assert left == set()
        assert "resident" in inspect(engine).get_table_names()  # the core stays
        engine.dispose()
