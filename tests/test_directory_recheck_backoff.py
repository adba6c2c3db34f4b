"""A hanging directory costs at most one timeout per back-off period, not one per page.

The directory is the real test slapd, frozen with SIGSTOP: connections are accepted by the
kernel and never answered, exactly the failure the issue describes. Which requests waited is
measured by what they asked the directory (its counters), never by the clock.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import pytest

from intranet import create_app
from intranet.auth import recheck
from intranet.auth.directory import directory_for
from intranet.extensions import db
from intranet.testing.helpers import SECRET_KEY, signed_in


@pytest.fixture
def short_timeout_app(demo, deployment_config: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The test app's database and directory, with a 1 s directory timeout and a re-check due
    on every request."""
    config = tmp_path / "intranet.toml"
    config.write_text(deployment_config.read_text().replace("timeout = 5", "timeout = 1"))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": demo.config["SQLALCHEMY_DATABASE_URI"],
            "DEPLOYMENT_CONFIG": str(config),
            "SESSION_COOKIE_SECURE": False,
            "LOG_LEVEL": "WARNING",
            "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
            "LOGIN_LIMIT_PER_USERNAME": "100000 per minute",
            "DIRECTORY_RECHECK_MINUTES": 0,
            "DIRECTORY_RECHECK_BACKOFF_SECONDS": 600,
        }
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _asked(app, slug: str = "zwolle") -> int:  # type: ignore[no-untyped-def]
    """Everything this process asked the municipality's directory so far."""
    settings = app.extensions["intranet"].deployment.for_municipality(slug).directory
    stats = directory_for(slug, settings).stats
    return stats.connections + stats.service_binds + stats.searches


def test_a_frozen_directory_is_waited_for_once_per_back_off_period(
    short_timeout_app, slapd, caplog
) -> None:  # type: ignore[no-untyped-def]
    app = short_timeout_app
    client = signed_in(app, "zwolle", "griffier")
    before = _asked(app)
    assert client.get("/zwolle/").status_code == 200
    assert _asked(app) > before  # the re-check is due on every request and reaches slapd

    pid = slapd._process.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        caplog.set_level(logging.WARNING, logger="intranet.auth.recheck")
        hits = []
        for _ in range(6):
            before = _asked(app)
            assert client.get("/zwolle/").status_code == 200  # employees keep working
            hits.append(_asked(app) > before)
        assert hits == [True, False, False, False, False, False]
        warnings = [r.getMessage() for r in caplog.records if "no rechecks for 600 s" in r.message]
        assert len(warnings) == 1 and "zwolle" in warnings[0]

        # the back-off period ends: one request tries again, waits, and backs off again
        recheck._backoff_until["zwolle"] = time.monotonic() - 1
        hits = []
        for _ in range(3):
            before = _asked(app)
            assert client.get("/zwolle/").status_code == 200
            hits.append(_asked(app) > before)
        assert hits == [True, False, False]
    finally:
        os.kill(pid, signal.SIGCONT)

    # the directory is back: after the back-off, re-checks run again and succeed
    recheck._backoff_until["zwolle"] = time.monotonic() - 1
    with client.session_transaction() as sess:
        sess["directory_checked"] = 0
    assert client.get("/zwolle/").status_code == 200
    with client.session_transaction() as sess:
        assert sess["directory_checked"] > 0
    assert not recheck.backing_off("zwolle")


def test_one_waiting_recheck_keeps_others_from_piling_up(short_timeout_app) -> None:  # type: ignore[no-untyped-def]
    """While one request waits on a municipality's directory, others skip the re-check."""
    app = short_timeout_app
    client = signed_in(app, "zwolle", "griffier")
    slot = recheck._slot("zwolle")
    assert slot.acquire(blocking=False)  # as if another request were waiting right now
    try:
        before = _asked(app)
        assert client.get("/zwolle/").status_code == 200
        assert _asked(app) == before
    finally:
        slot.release()
    assert client.get("/zwolle/").status_code == 200
    assert _asked(app) > before
