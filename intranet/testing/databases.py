"""Fresh, empty databases and ``flask`` commands against them, for migration and install tests.

SQLite by default; with ``TEST_DATABASE_URL`` a new PostgreSQL database beside it, dropped
afterwards (the tests never touch the suite's own database).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def empty_database_url(tmp_path: Path, prefix: str = "intranet_migrations") -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards (PostgreSQL)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / f'{prefix}.sqlite3'}"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def flask_command(
    url: str,
    *args: str,
    cwd: Path,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
    app: str = "wsgi",
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m flask --app wsgi ARGS`` in development settings against ``url``."""
    full_env = {
        **os.environ,
        "INTRANET_ENV": "development",
        "INTRANET_DATABASE_URL": url,
        **(env or {}),
    }
    full_env.pop("INTRANET_CONFIG", None)
    command: Sequence[str] = [python, "-m", "flask", "--app", app, *args]
    return subprocess.run(
        command, cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )
