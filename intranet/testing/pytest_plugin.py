"""The core's pytest plugin (entry point ``pytest11`` of the development package in ``dev/``): a real slapd with the demo directory, a real database (SQLite, or PostgreSQL when
``TEST_DATABASE_URL`` is set), the app, and helpers to sign in and post forms with CSRF tokens.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from intranet import create_app
from intranet.auth.recheck import reset_recheck_backoff
from intranet.extensions import db
from intranet_dev.run_demo import write_demo_config
from intranet_dev.slapd import DEMO_SERVICE_PASSWORD, Slapd, demo_databases, free_port

# the browser tests' fixtures, registered by name through this plugin
from .browser import browser, live_server  # noqa: F401
from .helpers import SECRET_KEY

#: the project folder (the demo directory and configuration live in ``deploy/demo``)
ROOT = Path(__file__).resolve().parent.parent.parent


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    server = Slapd(
        demo_databases(ROOT / "deploy" / "demo"),
        workdir=tmp_path_factory.mktemp("ldap"),
        port=free_port(),
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def deployment_config(slapd: Slapd, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo config, pointed at the test directory's port."""
    path = write_demo_config(slapd.url, tmp_path_factory.mktemp("config") / "intranet.toml")
    os.environ["INTRANET_LDAP_ZWOLLE_PASSWORD"] = DEMO_SERVICE_PASSWORD
    os.environ["INTRANET_LDAP_ZAANSTAD_PASSWORD"] = DEMO_SERVICE_PASSWORD
    return path


@pytest.fixture(scope="session")
def app(deployment_config: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "ENV_NAME": "testing",
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory.mktemp("db")),
            "DEPLOYMENT_CONFIG": str(deployment_config),
            "SESSION_COOKIE_SECURE": False,
            "LOG_LEVEL": "WARNING",
            # The suite signs in hundreds of times from 127.0.0.1; test_rate_limit lowers these.
            "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
            "LOGIN_LIMIT_PER_USERNAME": "100000 per minute",
        }
    )
    with app.app_context():
        db.drop_all()
        _drop_alembic_version()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()


def _drop_alembic_version() -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with empty tables (cheaper than recreating the schema)."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    yield
    reset_recheck_backoff()  # a directory outage of one test is not the next test's
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            _empty_audit_log(conn)
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


def _empty_audit_log(conn) -> None:  # type: ignore[no-untyped-def]
    """The audit log's triggers refuse a DELETE outside a retention window: open one that
    covers every event, as the retention run does for the expired ones."""
    from datetime import UTC, datetime

    from intranet.audit.models import AuditEvent, AuditRetentionWindow

    conn.execute(
        AuditRetentionWindow.__table__.insert().values(cutoff=datetime(9999, 1, 1, tzinfo=UTC))
    )
    conn.execute(AuditEvent.__table__.delete())
    conn.execute(AuditRetentionWindow.__table__.delete())


@pytest.fixture
def ctx(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        yield app


@pytest.fixture
def demo(app):  # type: ignore[no-untyped-def]
    """The demo municipalities, roles, residents and plugin data."""
    from intranet_dev.demo import load_demo

    with app.app_context():
        list(load_demo())
    return app


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()
