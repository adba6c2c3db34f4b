"""The configured directory timeout is the most one sign-in waits, also with a warm pool.

A frozen directory (connections are accepted, nothing answers: here a TCP forwarder in front
of the test's slapd that stops passing data on) used to cost the timeout twice: once on the
pooled connection, then again on a fresh one. Timings are measured with a generous margin
(timeout 1 s, the bound 1.9 s); the number of connections tried is asserted exactly.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from intranet import create_app
from intranet.auth.directory import Directory, DirectoryUnavailable, directory_for
from intranet.testing.helpers import PASSWORD, SECRET_KEY, login
from intranet.testing.netproxy import TcpProxy

pytestmark = pytest.mark.ldap

TIMEOUT = 1
BOUND = 1.9  # the timeout plus a margin for a busy machine; twice the timeout would be 2.0+
#: a whole sign-in request (CSRF, audit row, page) gets more room on a busy machine
APP_TIMEOUT = 2
APP_BOUND = 3.5


class FreezableProxy(TcpProxy):
    """:class:`TcpProxy` that can also hold all traffic, like a directory that hangs."""

    def __init__(self, target_host: str, target_port: int) -> None:
        super().__init__(target_host, target_port)
        self.holding = threading.Event()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:  # type: ignore[override]
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                while self.holding.is_set():
                    time.sleep(0.01)
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def proxy(slapd) -> Iterator[FreezableProxy]:  # type: ignore[no-untyped-def]
    forwarder = FreezableProxy("127.0.0.1", slapd.port)
    forwarder.start()
    try:
        yield forwarder
    finally:
        forwarder.holding.clear()
        forwarder.stop()


@contextlib.contextmanager
def frozen(proxy: FreezableProxy) -> Iterator[None]:
    proxy.holding.set()
    try:
        yield
    finally:
        proxy.holding.clear()


@pytest.fixture
def zwolle_settings(deployment_config: Path, proxy: FreezableProxy):  # type: ignore[no-untyped-def]
    from intranet.config import load_deployment_settings

    settings = load_deployment_settings(deployment_config).for_municipality("zwolle").directory
    return replace(settings, url=f"ldap://127.0.0.1:{proxy.port}", timeout=TIMEOUT)


@pytest.mark.parametrize("operation", ["find_user", "authenticate"])
def test_frozen_directory_costs_one_timeout_with_a_warm_pool(
    proxy, zwolle_settings, operation
) -> None:  # type: ignore[no-untyped-def]
    directory = Directory(zwolle_settings, pooled=True)
    try:
        directory.find_user("griffier")  # warm: one bound service connection in the pool
        directory.authenticate("griffier", PASSWORD)  # and one bind connection
        connections = directory.stats.connections
        with frozen(proxy):
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


def test_frozen_directory_with_a_cold_pool_costs_one_timeout(proxy, zwolle_settings) -> None:  # type: ignore[no-untyped-def]
    directory = Directory(zwolle_settings, pooled=True)
    try:
        with frozen(proxy):
            started = time.monotonic()
            with pytest.raises(DirectoryUnavailable):
                directory.authenticate("griffier", PASSWORD)
            elapsed = time.monotonic() - started
        assert directory.stats.connections == 1
        assert elapsed < BOUND, elapsed
    finally:
        directory.close()


def test_a_broken_pooled_connection_is_still_replaced_within_the_deadline(
    proxy, zwolle_settings
) -> None:  # type: ignore[no-untyped-def]
    directory = Directory(zwolle_settings, pooled=True)
    try:
        directory.find_user("griffier")
        proxy.stop()  # cuts the pooled connection, as a directory restart would
        proxy.start()  # and listens again on the same port: a fresh connection works at once
        assert directory.find_user("griffier").username == "griffier"
        assert directory.stats.connections == 2
    finally:
        directory.close()


def test_password_sign_in_on_a_frozen_directory_answers_within_the_timeout(
    demo, slapd, proxy, deployment_config: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "intranet.toml"
    text = deployment_config.read_text().replace("timeout = 5", f"timeout = {APP_TIMEOUT}")
    config.write_text(text.replace(slapd.url, f"ldap://127.0.0.1:{proxy.port}"))
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
    with frozen(proxy):
        started = time.monotonic()
        response = login(app.test_client(), "zwolle", "raadslid")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "niet bereikbaar" in response.get_data(as_text=True)
    assert directory.stats.connections == connections
    assert elapsed < APP_BOUND, elapsed  # twice the timeout would be 4 s and more
