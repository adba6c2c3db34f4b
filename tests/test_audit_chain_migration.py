"""Migration 0008 chains the events that exist before it and installs the triggers."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'chain.sqlite3'}"
        return
    name = f"intranet_chain_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def flask(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTRANET_ENV": "development", "INTRANET_DATABASE_URL": url}
    env.pop("INTRANET_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_existing_events_are_chained_and_then_protected(empty_database: str) -> None:
    assert flask(empty_database, "db", "upgrade", "0007_resident_name_index").returncode == 0
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO municipality (id, slug, name, active, created_at)"
                " VALUES (1, 'a', 'A', true, '2026-01-01 09:00:00')"
            )
        )
        for n in range(5):
            conn.execute(
                text(
                    "INSERT INTO audit_event (time, municipality_id, actor, action, result, details)"
                    " VALUES (:t, :m, 'cli', 'old.event', 'success', :d)"
                ),
                {"t": f"2026-01-0{n + 1} 10:00:00", "m": 1 if n % 2 else None, "d": '{"n": 1}'},
            )
        conn.execute(
            text(
                "INSERT INTO audit_event (time, municipality_id, actor, action, object_type,"
                " object_id, result, details) VALUES ('2026-01-09 10:00:00', 1, 'cli',"
                " 'resident.viewed', 'resident', '42', 'success', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO audit_event (time, municipality_id, actor, action, result, details)"
                " VALUES ('2026-01-10 10:00:00', 1, 'cli', 'x.read', 'success', '{\"resident\": 43}')"
            )
        )
    upgraded = flask(empty_database, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    verified = flask(empty_database, "intranet", "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "a\tin orde\t4 gebeurtenissen" in verified.stdout
    assert "platform\tin orde\t3 gebeurtenissen" in verified.stdout
    with engine.connect() as conn:
        residents = conn.execute(
            text("SELECT action, resident_id FROM audit_event WHERE resident_id IS NOT NULL")
        ).all()
    assert sorted(residents) == [("resident.viewed", 42), ("x.read", 43)]
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'x'"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
    engine.dispose()
