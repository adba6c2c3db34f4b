"""A database that hangs (connections accepted, never answered) ends in a 503, not a wait.

The hang is real: PostgreSQL sits behind a forwarder that turns into a black hole. The tests
do not time requests; they check that each one ended (a hung request would never end: the
thread guard below is only there so that a regression fails instead of blocking the suite)
and how many connections it tried. /health's bound is its own connect timeout, checked on
the engine it uses. (SQLite is a file that cannot hang like a server: skipped there.)
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from intranet import create_app
from intranet.config import engine_options
from intranet.extensions import db
from intranet.testing.blackhole import HangingProxy
from intranet.testing.helpers import SECRET_KEY, login
from intranet.web import health

DATABASE = os.environ.get("TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not DATABASE.startswith("postgresql"), reason="needs a database server that can hang"
)


def test_engine_options_bound_every_wait_on_postgresql() -> None:
    options = engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://intranet@db/intranet",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "DATABASE_CONNECT_TIMEOUT": 5.0,
            "DATABASE_STATEMENT_TIMEOUT": 20.0,
        }
    )
    assert options["pool_pre_ping"] is True
    args = options["connect_args"]
    assert args["connect_timeout"] == 5
    assert args["options"] == "-c statement_timeout=20000"
    assert args["tcp_user_timeout"] == 20000
    # no statement limit when asked, and the operator's own options win
    options = engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://intranet@db/intranet",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 9}},
            "DATABASE_CONNECT_TIMEOUT": 1.0,
            "DATABASE_STATEMENT_TIMEOUT": 0,
        }
    )
    assert options["connect_args"]["connect_timeout"] == 9
    assert "options" not in options["connect_args"]
    from_url = engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://i@db/i?connect_timeout=7&options=-c%20x%3Dy",
            "DATABASE_CONNECT_TIMEOUT": 5.0,
            "DATABASE_STATEMENT_TIMEOUT": 20.0,
        }
    )["connect_args"]
    assert "connect_timeout" not in from_url and "options" not in from_url  # the URL's win
    sqlite = engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite3"})
    assert sqlite == {"pool_pre_ping": True}


def test_timeouts_come_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from intranet.config import settings_from_environment

    out = settings_from_environment(
        {
            "INTRANET_DATABASE_CONNECT_TIMEOUT": "3",
            "INTRANET_DATABASE_STATEMENT_TIMEOUT": "12",
            "INTRANET_HEALTH_TIMEOUT": "2",
        }
    )
    assert out["DATABASE_CONNECT_TIMEOUT"] == 3
    assert out["DATABASE_STATEMENT_TIMEOUT"] == 12
    assert out["HEALTH_TIMEOUT"] == 2


def _ends(call: Any) -> Any:
    """Run ``call`` in a thread; fail (instead of hanging the suite) if it never returns."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the request hung"
    return result[0]


@pytest.fixture
def hanging_database(demo, deployment_config):  # type: ignore[no-untyped-def]
    url = make_url(DATABASE)
    proxy = HangingProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": url.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False
            ),
            "DEPLOYMENT_CONFIG": str(deployment_config),
            "SESSION_COOKIE_SECURE": False,
            "LOGIN_LIMIT_PER_ADDRESS": "1000 per minute",
            "LOGIN_LIMIT_PER_USERNAME": "1000 per minute",
            "DATABASE_CONNECT_TIMEOUT": 2,
            "HEALTH_TIMEOUT": 2,
        }
    )
    try:
        yield app, proxy
    finally:
        proxy.stop()
        with app.app_context():
            db.engine.dispose()


@needs_postgres
def test_health_answers_503_when_the_database_hangs_and_recovers(hanging_database) -> None:  # type: ignore[no-untyped-def]
    app, proxy = hanging_database
    client = app.test_client()
    assert client.get("/health").status_code == 200
    # /health waits at most HEALTH_TIMEOUT (2 s): its connection is opened with these
    assert health.connect_args(2.0) == {
        "connect_timeout": 2,
        "options": "-c statement_timeout=2000",
        "tcp_user_timeout": 2000,
    }

    proxy.hang()
    response = _ends(lambda: client.get("/health"))
    assert response.status_code == 503
    assert response.get_json() == {"status": "database unavailable"}
    assert proxy.swallowed == 1  # one connection of its own, no retries, no pooled one

    proxy.resume()
    assert client.get("/health").status_code == 200


@needs_postgres
def test_pages_answer_503_when_the_database_hangs_and_recover(hanging_database) -> None:  # type: ignore[no-untyped-def]
    app, proxy = hanging_database
    client = app.test_client()
    assert login(client, "zwolle", "griffier").status_code == 302
    assert client.get("/zwolle/").status_code == 200

    proxy.hang()
    for url in ("/zwolle/", "/zwolle/inwoners/", "/zwolle/inloggen"):
        response = _ends(lambda url=url: client.get(url))
        assert response.status_code == 503, url
        assert "De database is op dit moment niet bereikbaar" in response.get_data(as_text=True)

    proxy.resume()
    assert client.get("/zwolle/").status_code == 200  # the same session carries on


@needs_postgres
def test_a_database_that_hangs_from_the_start(demo, deployment_config) -> None:  # type: ignore[no-untyped-def]
    """The app starts while the database hangs: the first requests end too."""
    url = make_url(DATABASE)
    proxy = HangingProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    proxy.hang()
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": url.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False
            ),
            "DEPLOYMENT_CONFIG": str(deployment_config),
            "SESSION_COOKIE_SECURE": False,
            "DATABASE_CONNECT_TIMEOUT": 2,
        }
    )
    client = app.test_client()
    try:
        assert _ends(lambda: client.get("/health")).status_code == 503
        assert _ends(lambda: client.get("/zwolle/inloggen")).status_code == 503
        proxy.resume()
        assert client.get("/health").status_code == 200
        assert client.get("/zwolle/inloggen").status_code == 200
    finally:
        proxy.stop()
        with app.app_context():
            db.engine.dispose()
