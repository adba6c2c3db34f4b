"""Pooled directory connections, timeouts and equal work, counted in slapd's own log.

slapd runs with ``-d stats``: one ``ACCEPT`` line per new connection, one ``BIND ...
method=128`` line per simple bind and one ``SRCH base=`` line per search, each written
before slapd answers. So the log says exactly what a sign-in cost the directory.
"""

from __future__ import annotations

import dataclasses
import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from intranet.auth import directory as directory_module
from intranet.auth.directory import (
    POOL_SIZE,
    Directory,
    DirectoryUnavailable,
    InvalidCredentials,
    directory_for,
    reset_directories,
)
from intranet.config import DirectorySettings
from intranet.testing.helpers import PASSWORD, login
from intranet_dev.slapd import Slapd, free_port, service_account_dn

pytestmark = pytest.mark.ldap

ZWOLLE = "dc=zwolle,dc=demo"
ZAANSTAD = "dc=zaanstad,dc=demo"


def _log_size(slapd: Slapd) -> int:
    return slapd.log_path.stat().st_size


def _log_since(slapd: Slapd, offset: int) -> str:
    return slapd.log_path.read_bytes()[offset:].decode(errors="replace")


@dataclasses.dataclass
class Cost:
    """What the directory saw: new connections, binds (by DN) and searches."""

    connections: int
    binds: list[str]
    searches: int

    @classmethod
    def of(cls, log: str) -> Cost:
        return cls(
            connections=len(re.findall(r" ACCEPT from ", log)),
            binds=re.findall(r' BIND dn="([^"]*)" method=128', log),
            searches=len(re.findall(r" SRCH base=", log)),
        )


def _settled_log_size(slapd: Slapd) -> int:
    """The log's size once slapd has written what it was still writing: its threads log a
    connection's ACCEPT a moment after the client went on, and on a busy machine a line of
    the step before could otherwise be counted for the next one."""
    size, unchanged = _log_size(slapd), 0
    deadline = time.monotonic() + 2.0
    while unchanged < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
        now = _log_size(slapd)
        unchanged = unchanged + 1 if now == size else 0
        size = now
    return size


def _cost(slapd: Slapd, action) -> Cost:  # type: ignore[no-untyped-def]
    offset = _settled_log_size(slapd)
    action()
    _settled_log_size(slapd)  # and the action's own last lines are in
    return Cost.of(_log_since(slapd, offset))


def _settings(app, slug: str) -> DirectorySettings:  # type: ignore[no-untyped-def]
    settings = app.extensions["intranet"].deployment.for_municipality(slug).directory
    assert settings is not None
    return settings


@pytest.fixture
def pooled(demo, monkeypatch):  # type: ignore[no-untyped-def]
    """The app with sign-in through directory_for, and no connections left from other tests.

    (Once intranet/auth/views.py imports directory_for from intranet.auth.directory, the
    monkeypatch changes nothing.)
    """
    import intranet.auth.views as views

    monkeypatch.setattr(views, "directory_for", directory_module.directory_for)
    reset_directories()
    yield demo
    reset_directories()


# -- the pool --------------------------------------------------------------------------


def test_second_sign_in_reuses_the_bound_service_connection(pooled, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    user_dn = f"uid=griffier,ou=people,{ZWOLLE}"
    first = _cost(slapd, lambda: login(pooled.test_client(), "zwolle", "griffier"))
    assert first.binds == [service_account_dn(ZWOLLE), user_dn]
    assert first.connections == 2  # the service connection and a bind-only connection
    assert first.searches == 1  # memberOf: the user search returns the groups too

    second = _cost(slapd, lambda: login(pooled.test_client(), "zwolle", "griffier"))
    assert second.binds == [user_dn]  # no second service bind
    assert second.connections == 0
    assert second.searches == 1


def test_group_search_directory_costs_one_more_search(pooled, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    login(pooled.test_client(), "zaanstad", "coordinator")
    cost = _cost(slapd, lambda: login(pooled.test_client(), "zaanstad", "coordinator"))
    assert cost == Cost(connections=0, binds=[f"uid=coordinator,ou=people,{ZAANSTAD}"], searches=2)


def test_connections_broken_by_a_restart_are_replaced_once(pooled, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    assert login(pooled.test_client(), "zwolle", "griffier").status_code == 302
    slapd.stop()
    slapd.start()  # the pooled connections are dead now, the server is back
    cost = _cost(slapd, lambda: login(pooled.test_client(), "zwolle", "raadslid"))
    assert cost.binds == [service_account_dn(ZWOLLE), f"uid=raadslid,ou=people,{ZWOLLE}"]
    assert cost.connections == 2
    assert login(pooled.test_client(), "zwolle", "raadslid").status_code == 302


def test_outage_then_recovery(pooled, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    assert login(pooled.test_client(), "zwolle", "griffier").status_code == 302
    slapd.stop()
    try:
        started = time.monotonic()
        response = login(pooled.test_client(), "zwolle", "griffier")
        assert response.status_code == 503
        assert time.monotonic() - started < 2  # a refused connection is an immediate outage
    finally:
        slapd.start()
    assert login(pooled.test_client(), "zwolle", "griffier").status_code == 302


def test_directory_for_keeps_one_directory_per_municipality(app) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(app, "zwolle")
    first = directory_for("zwolle", settings)
    assert directory_for("zwolle", settings) is first
    changed = dataclasses.replace(settings, timeout=settings.timeout + 1)
    assert directory_for("zwolle", changed) is not first  # a new config replaces the pool
    reset_directories()


def test_concurrent_sign_ins_share_at_most_pool_size_connections(app, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    reset_directories()
    directory = directory_for("zwolle", _settings(app, "zwolle"))
    users = ["griffier", "raadslid", "raadslid2", "beleid", "beheerder", "itbeheer"] * 4
    results: list[object] = []
    barrier = threading.Barrier(len(users))

    def sign_in(name: str) -> None:
        barrier.wait()
        try:
            results.append(directory.authenticate(name, PASSWORD).username)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results.append(exc)

    offset = _settled_log_size(slapd)
    threads = [threading.Thread(target=sign_in, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(map(str, results)) == sorted(users)
    cost = Cost.of(_log_since(slapd, offset))
    assert cost.binds.count(service_account_dn(ZWOLLE)) <= POOL_SIZE
    assert cost.connections <= 2 * POOL_SIZE
    assert directory.stats.service_binds <= POOL_SIZE
    reset_directories()


def test_plain_directory_closes_its_connections(app, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    offset = _settled_log_size(slapd)
    Directory(_settings(app, "zwolle")).authenticate("griffier", PASSWORD)
    time.sleep(0.2)  # the "closed" line follows the unbind
    log = _log_since(slapd, offset)
    opened = re.findall(r" conn=(\d+) fd=\d+ ACCEPT from ", log)
    assert len(opened) == 2
    # only this sign-in's connections: a pool closed by the test before may log its own
    # "closed" lines late, inside this window
    closed = set(re.findall(r" conn=(\d+) fd=\d+ closed", log))
    assert set(opened) <= closed


# -- equal work for an unknown user ------------------------------------------------------


def test_unknown_user_costs_the_same_as_a_wrong_password(app, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    reset_directories()
    directory = directory_for("zwolle", _settings(app, "zwolle"))
    directory.authenticate("griffier", PASSWORD)  # warm the pool

    def refused(username: str, password: str) -> Cost:
        def attempt() -> None:
            with pytest.raises(InvalidCredentials):
                directory.authenticate(username, password)

        return _cost(slapd, attempt)

    wrong = refused("griffier", "wrong-password")
    unknown = refused("nobody", PASSWORD)
    assert (wrong.connections, len(wrong.binds), wrong.searches) == (0, 1, 1)
    assert (unknown.connections, len(unknown.binds), unknown.searches) == (0, 1, 1)
    assert unknown.binds[0].startswith("cn=intranet-no-such-user-")
    assert unknown.binds[0].endswith(f",ou=people,{ZWOLLE}")
    reset_directories()


def test_find_user_needs_no_password_and_binds_nobody(app, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    reset_directories()
    directory = directory_for("zaanstad", _settings(app, "zaanstad"))
    offset = _settled_log_size(slapd)
    user = directory.find_user("coordinator")
    assert user.dn == f"uid=coordinator,ou=people,{ZAANSTAD}"
    assert "cn=participatie,ou=groups,dc=zaanstad,dc=demo" in user.groups
    assert Cost.of(_log_since(slapd, offset)).binds == [service_account_dn(ZAANSTAD)]
    with pytest.raises(InvalidCredentials) as unknown:
        directory.find_user("nobody")
    assert unknown.value.reason == "unknown_user"
    with pytest.raises(InvalidCredentials):
        directory.find_user("*")
    reset_directories()


# -- timeouts ------------------------------------------------------------------------------


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word (a hung directory)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


TIMEOUT = 1


def _dead_settings(app, url: str, **overrides: object) -> DirectorySettings:  # type: ignore[no-untyped-def]
    return dataclasses.replace(_settings(app, "zwolle"), url=url, timeout=TIMEOUT, **overrides)


@pytest.mark.parametrize(
    ("scheme", "tls"),
    [("ldap", {}), ("ldap", {"starttls": True}), ("ldaps", {})],
    ids=["plain", "starttls", "ldaps"],
)
def test_a_directory_that_never_answers_times_out(app, silent_server, scheme, tls) -> None:  # type: ignore[no-untyped-def]
    settings = _dead_settings(app, f"{scheme}://127.0.0.1:{silent_server.port}", **tls)
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable) as outage:
        Directory(settings).authenticate("griffier", PASSWORD)
    elapsed = time.monotonic() - started
    assert TIMEOUT * 0.8 <= elapsed < TIMEOUT + 1.5, elapsed
    assert "no answer" in str(outage.value)
    assert silent_server.accepted  # it really connected


def test_sign_in_page_reports_a_hung_directory_within_the_timeout(
    pooled, silent_server, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from test_directory_tls import use_directory

    use_directory(
        monkeypatch,
        pooled,
        "zwolle",
        _dead_settings(pooled, f"ldap://127.0.0.1:{silent_server.port}"),
    )
    started = time.monotonic()
    response = login(pooled.test_client(), "zwolle", "griffier")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "niet bereikbaar" in response.get_data(as_text=True)
    assert elapsed < TIMEOUT + 1.5, elapsed


def test_a_closed_port_is_an_immediate_outage(app) -> None:  # type: ignore[no-untyped-def]
    settings = _dead_settings(app, f"ldap://127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable, match="cannot reach"):
        Directory(settings).authenticate("griffier", PASSWORD)
    assert time.monotonic() - started < 0.5


def test_fractional_timeouts_work(app, slapd: Slapd) -> None:  # type: ignore[no-untyped-def]
    """ldap3 2.9 crashes (struct.error) on a float receive timeout; we round it up."""
    settings = dataclasses.replace(_settings(app, "zwolle"), timeout=0.5)
    assert Directory(settings).receive_timeout == 1
    assert Directory(settings).authenticate("griffier", PASSWORD).username == "griffier"
