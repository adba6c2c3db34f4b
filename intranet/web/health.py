"""The database check behind ``/health``: an answer within ``HEALTH_TIMEOUT``, whatever happens.

The load balancer needs a 503 within a couple of seconds when the database hangs (a server
that accepts connections and never answers), not a request that waits with the pages. So
the check opens a connection of its own, outside the pool, with a connect and a statement
timeout of ``HEALTH_TIMEOUT``: pooled connections are not taken from pages, and one that hangs
cannot hold up the check. On SQLite (a file, nothing to wait for) it asks the app's session.
"""

from __future__ import annotations

import logging
import math
import threading

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from ..extensions import db

log = logging.getLogger(__name__)
_lock = threading.Lock()


def connect_args(timeout: float) -> dict[str, object]:
    """psycopg connection settings that bound every wait of the check by ``timeout``."""
    return {
        "connect_timeout": max(2, math.ceil(timeout)),  # libpq's minimum is 2 s
        "options": f"-c statement_timeout={int(timeout * 1000)}",
        "tcp_user_timeout": max(2000, int(timeout * 1000)),
    }


def _health_engine(app: Flask) -> Engine:
    """One engine per app without a pool: every check is a fresh connection."""
    with _lock:
        engine = app.extensions.get("intranet_health_engine")
        if engine is None:
            engine = create_engine(
                db.engine.url,
                poolclass=NullPool,
                connect_args=connect_args(float(app.config["HEALTH_TIMEOUT"])),
            )
            app.extensions["intranet_health_engine"] = engine
        return engine  # type: ignore[no-any-return]


def database_answers(app: Flask) -> bool:
    """True when the database runs ``SELECT 1`` now; False (logged) when down or hanging."""
    try:
        if db.engine.dialect.name != "postgresql":
            db.session.execute(text("SELECT 1"))
            return True
        with _health_engine(app).connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("health check: database unavailable: %s", exc)
        return False
