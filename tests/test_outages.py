"""A database that goes away gives a clear Dutch message, and the app recovers on its own.

The outage is real: the app talks to PostgreSQL through a TCP forwarder that the test cuts.
(SQLite is a file and cannot go away like a server; there the test is skipped.)
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from intranet import create_app
from intranet.extensions import db
from intranet.testing.helpers import SECRET_KEY, login
from intranet.testing.netproxy import TcpProxy

DATABASE = os.environ.get("TEST_DATABASE_URL", "")


@pytest.mark.skipif(
    not DATABASE.startswith("postgresql"), reason="needs a database server to cut off"
)
def test_database_outage_is_explained_and_recovers(demo, deployment_config) -> None:  # type: ignore[no-untyped-def]
    url = make_url(DATABASE)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
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
        }
    )
    client = app.test_client()
    try:
        assert login(client, "zwolle", "griffier").status_code == 302
        assert client.get("/zwolle/").status_code == 200
        proxy.stop()
        down = client.get("/zwolle/")
        assert down.status_code == 503
        assert "De database is op dit moment niet bereikbaar" in down.get_data(as_text=True)
        assert client.get("/health").status_code == 503
        proxy.start()  # same port: the database is back
        assert client.get("/health").status_code == 200
        assert client.get("/zwolle/").status_code == 200
    finally:
        proxy.stop()
        with app.app_context():
            db.engine.dispose()
