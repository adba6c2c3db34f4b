"""Alembic migrations create the whole schema from zero, and upgrade from the previous revision,
on the database under test (SQLite, or PostgreSQL when TEST_DATABASE_URL is set).

The core and every installed plugin each have their own branch (``migrations/versions`` and
``plugins/<name>/migrations/versions``); a plain ``flask db upgrade`` brings all of them to head.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from intranet import create_app
from intranet.extensions import db
from intranet.testing.databases import empty_database_url, flask_command

ROOT = Path(__file__).resolve().parent.parent

CORE_HEAD = "0020_job_heartbeat"
CORE_PREVIOUS = "0017_employee_language"
PLUGIN_HEADS = {
    "raadsgesprekken": "raadsgesprekken_reach",
    "adviescommissie": "adviescommissie_consultations",
    "meedenkgroepen": "meedenkgroepen_mail_failure",
}


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    with empty_database_url(tmp_path) as url:
        yield url


def flask_db(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return flask_command(url, "db", *args, cwd=ROOT)


def versions(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    engine.dispose()
    return rows


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_from_empty_and_from_previous_revision(empty_database: str) -> None:
    first = flask_db(empty_database, "upgrade")
    assert first.returncode == 0, first.stderr
    created = tables(empty_database)
    assert {
        "municipality",
        "employee",
        "resident",
        "consent",
        "audit_event",
        "role",
        "job",
        "raadsgesprekken_appointment",
        "adviescommissie_advice",
        "meedenkgroepen_panel",
    } <= created
    # One head for the core and one per plugin branch, all reached by the plain `upgrade`.
    heads = flask_db(empty_database, "heads")
    # plugins installed from a distribution of their own have a branch of their own too
    branches = dict(re.findall(r"^(\S+) \((\S+)\) \(head\)$", heads.stdout, re.M))
    OUTSIDE_HEADS = {
        branch: rev for rev, branch in branches.items() if branch not in {"core", *PLUGIN_HEADS}
    }
    assert heads.stdout.count("(head)") == 1 + len(PLUGIN_HEADS) + len(OUTSIDE_HEADS), heads.stdout
    for name, head in {**PLUGIN_HEADS, **OUTSIDE_HEADS}.items():
        assert f"{head} ({name}) (head)" in heads.stdout
    assert versions(empty_database) == {CORE_HEAD, *PLUGIN_HEADS.values(), *OUTSIDE_HEADS.values()}

    # The core's previous revision and back.
    down = flask_db(empty_database, "downgrade", CORE_PREVIOUS)
    assert down.returncode == 0, down.stderr
    assert versions(empty_database) == {
        CORE_PREVIOUS,
        *PLUGIN_HEADS.values(),
        *OUTSIDE_HEADS.values(),
    }
    again = flask_db(empty_database, "upgrade")
    assert again.returncode == 0, again.stderr
    assert tables(empty_database) == created

    # One plugin's branch down to nothing (its tables go, the rest stays), then back with the
    # explicit `head`, which means every head too.
    down = flask_db(empty_database, "downgrade", "raadsgesprekken@base")
    assert down.returncode == 0, down.stderr
    left = tables(empty_database)
    assert not {t for t in left if t.startswith("raadsgesprekken_")}
    assert {t for t in created if not t.startswith("raadsgesprekken_")} == left
    again = flask_db(empty_database, "upgrade", "head")
    assert again.returncode == 0, again.stderr
    assert tables(empty_database) == created
    assert versions(empty_database) == {CORE_HEAD, *PLUGIN_HEADS.values(), *OUTSIDE_HEADS.values()}


def test_migrations_match_the_models(empty_database: str) -> None:
    upgraded = flask_db(empty_database, "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
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


def test_each_plugin_has_its_own_branch_found_through_its_entry_point() -> None:
    app = create_app({"ENV_NAME": "development", "SECRET_KEY": "x" * 40})
    from intranet.migrating import MIGRATIONS_DIR, plugin_version_locations, version_locations

    with app.app_context():
        host = app.extensions["intranet"].plugins
        found = plugin_version_locations(host)
        for name in PLUGIN_HEADS:
            assert found[name] == ROOT / "plugins" / name / "migrations" / "versions"
        # The test-only plugins (tests/fake_site) have no migrations folder, hence no tables.
        assert "everything" not in found
        assert version_locations(host)[0] == MIGRATIONS_DIR / "versions"
    # The core's own folder holds the core revisions only.
    core = sorted(p.stem for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert {"0001_core", "0002_jobs", "0003_privacy", CORE_PREVIOUS, CORE_HEAD} <= set(core)
    assert not set(core) & set(PLUGIN_HEADS.values())
    assert not [c for c in core if c.startswith(tuple(PLUGIN_HEADS))]
