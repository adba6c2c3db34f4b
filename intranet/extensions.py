"""Flask extension objects, created once and bound to the app in the factory."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterable

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Storage is chosen in create_app: Redis when INTRANET_REDIS_URL is set, memory otherwise.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


#: The engines of the apps created in this process (weakly: a test creates hundreds of apps).
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def drop_connections_after_fork(engines: Iterable[Engine]) -> None:
    """Give each process forked from this one connection pools of its own.

    gunicorn imports the app once in its master and forks the workers from it
    (``preload_app``). A database connection the master opened must not be used by two
    processes at once: each child forgets the inherited ones, without closing them for the
    parent, and opens its own (SQLAlchemy's recipe for ``os.fork``).
    """
    _engines.update(engines)


def _forget_inherited_connections() -> None:
    for engine in list(_engines):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked, PostgreSQL never does.

    Write-ahead logging lets the gunicorn workers read while one of them writes (every page
    writes its audit event), and with synchronous=NORMAL a commit no longer waits for the
    disk twice; a power cut can lose the last commits, never corrupt the file.
    """
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
