"""The configured directory timeout is the most one sign-in waits, also with a warm pool.

A frozen directory (the test's own slapd stopped with SIGSTOP: connections are accepted by
the kernel, nothing answers) used to cost the timeout twice: once on the pooled connection,
then again on a fresh one. Timings are measured with a generous margin (timeout 1 s, the
bound 1.9 s); the number of connections tried is asserted exactly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from intranet import create_app
from intranet.auth.directory import Directory, DirectoryUnavailable, directory_for
from intranet.testing.helpers import PASSWORD, SECRET_KEY, login

pytestmark = pytest.mark.ldap

TIMEOUT = 1
BOUND = 1.9  # the timeout plus a margin for a busy machine; twice the timeout would be 2.0+


@contextlib.contextmanager
def frozen(slapd) -> Iterator[None]:  # type: ignore[no-untyped-def]
    pid = slapd._process.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.fixture
def zwolle_settings(deployment_config: Path):  # type: ignore[no-untyped-def]
    from intranet.config import load_deployment_settings

    settings = load_deployment_settings(deployment_config).for_municipality("zwolle").directory
    return replace(settings, timeout=TIMEOUT)


@pytest.mark.parametrize("operation", ["find_user", "authenticate"])
def test_frozen_directory_costs_one_timeout_with_a_warm_pool(
    slapd, zwolle_settings, operation
) -> None:  # type: ignore[no-untyped-def]
    directory = Directory(zwolle_settings, pooled=True)
    try:
        directory.find_user("griffier")  # warm: one bound service connection in the pool
        directory.authenticate("griffier", PASSWORD)  # and one bind connection
        connections = directory.stats.connections
        with frozen(slapd):
            started = time.monotonic()
            with pytest.raises(DirectoryUnavailable):
                if operation == "find_user":
                    directory.find_user("griffier")
                else:
                    directory.authenticate("griffier", PASSWORD)
            elapsed = time.monotonic() - started
        # the pooled connection timed out, and no fresh one was tried after the deadline
        assert directory.stats.connections == connections
        assert elapsed < BOUND, elapsed
        # recovers on its own once the directory answers again
        assert directory.find_user("griffier").username == "griffier"
    finally:
        directory.close()


def test_frozen_directory_with_a_cold_pool_costs_one_timeout(slapd, zwolle_settings) -> None:  # type: ignore[no-untyped-def]
    directory = Directory(zwolle_settings, pooled=True)
    try:
        with frozen(slapd):
            started = time.monotonic()
            with pytest.raises(DirectoryUnavailable):
                directory.authenticate("griffier", PASSWORD)
            elapsed = time.monotonic() - started
        assert directory.stats.connections == 1
        assert elapsed < BOUND, elapsed
    finally:
        directory.close()


def test_a_broken_pooled_connection_is_still_replaced_within_the_deadline(
    slapd, zwolle_settings
) -> None:  # type: ignore[no-untyped-def]
    directory = Directory(zwolle_settings, pooled=True)
    try:
        directory.find_user("griffier")
        slapd.stop()
        slapd.start()  # the pooled connection is dead; a fresh one works at once
        assert directory.find_user("griffier").username == "griffier"
        assert directory.stats.connections == 2
    finally:
        directory.close()


def test_password_sign_in_on_a_frozen_directory_answers_within_the_timeout(
    demo, slapd, deployment_config: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "intranet.toml"
    config.write_text(deployment_config.read_text().replace("timeout = 5", f"timeout = {TIMEOUT}"))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": demo.config["SQLALCHEMY_DATABASE_URI"],
            "DEPLOYMENT_CONFIG": str(config),
            "SESSION_COOKIE_SECURE": False,
        }
    )
    assert login(app.test_client(), "zwolle", "griffier").status_code == 302  # warm pool
    settings = app.extensions["intranet"].deployment.for_municipality("zwolle").directory
    directory = directory_for("zwolle", settings)
    connections = directory.stats.connections
    with frozen(slapd):
        started = time.monotonic()
        response = login(app.test_client(), "zwolle", "raadslid")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "niet bereikbaar" in response.get_data(as_text=True)
    assert directory.stats.connections == connections
    assert elapsed < BOUND, elapsed
