"""gunicorn imports the app once and forks its workers from it (``preload_app``): each worker
must open database connections of its own. A connection two processes use at once mixes
their answers, or breaks the parent's when the child closes it."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from intranet.extensions import db

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


def _in_child(check) -> bytes:  # type: ignore[no-untyped-def]
    """Run ``check()`` in a forked process; its answer as one byte (b"!" when it raised)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, leave without pytest's clean-up
        try:
            answer = b"1" if check() else b"0"
        except BaseException:  # noqa: BLE001 - any failure is the answer
            answer = b"!"
        os.write(write, answer)
        os._exit(0)
    os.close(write)
    try:
        return os.read(read, 1)
    finally:
        os.close(read)
        os.waitpid(pid, 0)


def test_a_forked_worker_opens_its_own_connections_and_leaves_the_parents_alone(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:  # the parent has used (and pooled) a connection
            assert connection.execute(text("SELECT 1")).scalar() == 1
        parents_pool = engine.pool

        def child_has_a_pool_of_its_own() -> bool:
            if engine.pool is parents_pool:
                return False
            with engine.connect() as connection:
                return connection.execute(text("SELECT 2")).scalar() == 2

        assert _in_child(child_has_a_pool_of_its_own) == b"1"
        # the child did not close the parent's connections: the parent goes on with its pool
        assert engine.pool is parents_pool
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 3")).scalar() == 3
