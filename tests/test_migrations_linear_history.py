"""A database built by the old, linear migration history (every plugin's tables in the core's
line, ``alembic_version`` = ``0007_resident_name_index``) moves to the per-plugin branches with
``flask db upgrade``: no table created twice, no row lost, the schema equal to the models.

The old history is a frozen copy in ``tests/data/linear_history`` (as it was on main before the
move), so this test keeps proving the path for databases in the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    create_engine,
    func,
    select,
    text,
)

from intranet.testing.databases import empty_database_url, flask_command

ROOT = Path(__file__).resolve().parent.parent
LINEAR = Path(__file__).resolve().parent / "data" / "linear_history"
PLUGINS = ("raadsgesprekken", "adviescommissie", "meedenkgroepen")
ROWS_PER_TABLE = 2


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    with empty_database_url(tmp_path, prefix="intranet_linear") as url:
        yield url


def build_linear(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(LINEAR))
    engine = create_engine(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def value_for(table: Table, column: Any, n: int) -> Any:
    """A valid value of the column's type, different per row ``n`` (unique constraints)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return n % 2 == 0
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, DateTime):
        return dt.datetime(2026, 3, n, 9, 30, tzinfo=dt.UTC)
    if isinstance(kind, Date):
        return dt.date(2026, 3, n)
    if isinstance(kind, Time):
        return dt.time(9 + n, 15)
    if isinstance(kind, JSON):
        return {"rij": n, "tabel": table.name}
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or 200
        return f"{n}-{table.name}-{column.name}-ëé"[:length]
    raise AssertionError(f"no test value for {table.name}.{column.name}: {kind!r}")


def fill_every_table(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Insert rows into every table (parents first; foreign keys point at row ``n``)."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            for n in range(1, ROWS_PER_TABLE + 1):
                row = {c.name: value_for(table, c, n) for c in table.columns}
                conn.execute(table.insert().values(**row))
            if engine.dialect.name == "postgresql" and "id" in table.c:
                # rows written with explicit ids: move the id sequence past them, as rows the
                # app inserted would have (later data migrations insert without ids)
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                        f'(SELECT max(id) FROM "{table.name}"))'
                    )
                )
    snapshot = snapshot_of(engine, meta)
    engine.dispose()
    return snapshot


def snapshot_of(engine: Any, meta: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def current_snapshot(url: str, names: set[str]) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine, only=sorted(names))
    snapshot = snapshot_of(engine, meta)
    engine.dispose()
    return snapshot


def versions(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    engine.dispose()
    return rows


def test_database_at_the_last_linear_revision_moves_to_plugin_branches(
    empty_database: str,
) -> None:
    build_linear(empty_database, "0007_resident_name_index")
    assert versions(empty_database) == {"0007_resident_name_index"}
    before = fill_every_table(empty_database)
    for plugin in PLUGINS:
        plugin_tables = [t for t in before if t.startswith(f"{plugin}_")]
        assert plugin_tables, plugin
        assert all(len(before[t]) == ROWS_PER_TABLE for t in plugin_tables)

    # The move itself: up to the old last revision, nothing runs, nothing changes.
    moved = flask_command(empty_database, "db", "upgrade", "0007_resident_name_index", cwd=ROOT)
    assert moved.returncode == 0, moved.stderr
    # Nothing ran: the plugins' revisions were recorded, not executed a second time.
    assert "Running upgrade" not in moved.stderr, moved.stderr
    assert versions(empty_database) == {
        "0007_resident_name_index",
        "0004_raadsgesprekken",
        "0005_adviescommissie",
        "0006_meedenkgroepen",
    }
    assert current_snapshot(empty_database, set(before)) == before

    # Then what came after the move runs on top, and none of the old history again.
    upgraded = flask_command(empty_database, "db", "upgrade", cwd=ROOT)
    assert upgraded.returncode == 0, upgraded.stderr
    assert not [line for line in ran(upgraded.stderr) if _old_revision_ran(line)]
    assert_no_row_lost(empty_database, before)
    check = flask_command(empty_database, "db", "check", cwd=ROOT)
    assert check.returncode == 0, check.stdout + check.stderr
    again = flask_command(empty_database, "db", "upgrade", cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert "Running upgrade" not in again.stderr


OLD_HISTORY = (
    "0001_core",
    "0002_jobs",
    "0003_privacy",
    "0004_raadsgesprekken",
    "0005_adviescommissie",
    "0006_meedenkgroepen",
    "0007_resident_name_index",
)


def ran(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "Running upgrade" in line]


def _old_revision_ran(line: str) -> bool:
    return any(f"-> {revision}" in line for revision in OLD_HISTORY)


#: Tables that later data migrations add rows to (raadsgesprekken's retention months become
#: retention overrides).
FILLED_BY_LATER_MIGRATIONS = {"retention_override"}


def assert_no_row_lost(url: str, before: dict[str, list[tuple[Any, ...]]]) -> None:
    after = row_counts(url, set(before))
    for table, rows in before.items():
        if table in FILLED_BY_LATER_MIGRATIONS:
            assert after[table] >= len(rows), table
        else:
            assert after[table] == len(rows), table


def row_counts(url: str, names: set[str]) -> dict[str, int]:
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine, only=sorted(names))
    with engine.connect() as conn:
        counts = {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in meta.tables.items()
        }
    engine.dispose()
    return counts


def test_database_halfway_the_linear_history_gets_the_rest(empty_database: str) -> None:
    """At ``0005_adviescommissie`` (raadsgesprekken and adviescommissie there, meedenkgroepen
    and the resident index not yet) the upgrade records the two and runs only what is missing."""
    build_linear(empty_database, "0005_adviescommissie")
    before = fill_every_table(empty_database)
    assert not [t for t in before if t.startswith("meedenkgroepen_")]

    upgraded = flask_command(empty_database, "db", "upgrade", cwd=ROOT)
    assert upgraded.returncode == 0, upgraded.stderr
    old = [line for line in ran(upgraded.stderr) if _old_revision_ran(line)]
    assert len(old) == 2, old
    assert any("-> 0006_meedenkgroepen" in line for line in old)
    assert any("0003_privacy -> 0007_resident_name_index" in line for line in old)
    assert_no_row_lost(empty_database, before)
    check = flask_command(empty_database, "db", "check", cwd=ROOT)
    assert check.returncode == 0, check.stdout + check.stderr
