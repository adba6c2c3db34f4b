"""Alembic migrations create the whole schema from zero, and upgrade from the previous revision,
on the database under test (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from intranet import create_app
from intranet.extensions import db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_database(tmp_path: Path):  # type: ignore[no-untyped-def]
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"intranet_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def flask_db(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTRANET_ENV": "development", "INTRANET_DATABASE_URL": url}
    env.pop("INTRANET_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_upgrade_from_empty_and_from_previous_revision(empty_database: str) -> None:
    first = flask_db(empty_database, "upgrade")
    assert first.returncode == 0, first.stderr
    engine = create_engine(empty_database)
    tables = set(inspect(engine).get_table_names())
    assert {
        "municipality",
        "employee",
        "resident",
        "consent",
        "audit_event",
        "role",
        "job",
    } <= tables
    heads = flask_db(empty_database, "heads")
    assert heads.stdout.count("(head)") == 1, heads.stdout
    down = flask_db(empty_database, "downgrade", "--", "-1")
    assert down.returncode == 0, down.stderr
    again = flask_db(empty_database, "upgrade")
    assert again.returncode == 0, again.stderr
    assert set(inspect(engine).get_table_names()) == tables
    engine.dispose()


def test_migrations_match_the_models(empty_database: str) -> None:
    assert flask_db(empty_database, "upgrade").returncode == 0
    app = create_app(
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "SECRET_KEY": "x" * 40,
        }
    )
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask --app wsgi db migrate`: {diff}"
