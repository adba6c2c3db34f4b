"""Per-process caches of what changes rarely, checked against one version in the database.

Every page needs the municipality, the plugins enabled there and the employee's permissions;
they change a few times a year but were read on every request. Each worker process now keeps
them in memory, keyed by a single counter (``config_version``) that every change to the
watched tables replaces inside the same transaction (a flush or bulk-statement hook, so no
caller can forget it). The version is a random token, not a counter, so a table emptied and
filled again can never repeat an old version. A request reads it once (one one-row query by
primary key); a change made by any process is seen on the very next request everywhere.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app, g, has_request_context
from sqlalchemy import Integer, String, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db

T = TypeVar("T")

#: Models whose rows feed a cache; any change to them bumps the version.
_WATCHED: set[type] = set()


class ConfigVersion(db.Model):
    """One row whose ``token`` changes with every change to a cached table."""

    __tablename__ = "config_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), nullable=False)


def watch(*models: type) -> None:
    """Declare models whose changes must invalidate every process's cache."""
    _WATCHED.update(models)


class VersionedCache:
    """A dict that empties itself when the database's config version moves on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: str | None = None
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        version = current_version()
        with self._lock:
            if version != self._version:
                self._values = {}
                self._version = version
            if key in self._values:
                return self._values[key]  # type: ignore[no-any-return]
        value = load()
        with self._lock:
            if self._version == version:
                self._values[key] = value
        return value


def cached(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s value for ``key``, kept per app and process until the version moves on.

    The cache lives on the app, not the module: two apps in one process (tests, a CLI next to
    a worker) never share values read from different databases.
    """
    cache = current_app.extensions.get("intranet.cache")
    if cache is None:
        cache = current_app.extensions.setdefault("intranet.cache", VersionedCache())
    return cache.get(key, load)


def current_version() -> str:
    """The config version, read once per request (outside a request: every call)."""
    if has_request_context() and "_config_version" in g:
        return g._config_version  # type: ignore[no-any-return]
    # Pending changes first (a change to a watched table bumps the version as it is flushed),
    # then the one-row read on the connection: cheaper than through the ORM on every request.
    session = db.session()
    session._autoflush()  # what Session.execute does first: not inside a flush, nor no_autoflush
    token = session.connection().execute(_VERSION_QUERY).scalar()
    version = token or ""
    if has_request_context():
        g._config_version = version
    return version


_VERSION_QUERY = select(ConfigVersion.token).where(ConfigVersion.id == 1)


def forget_version() -> None:
    """After a change in this request, read the version again (the change bumped it)."""
    if has_request_context():
        g.pop("_config_version", None)


def _bump(session: Session) -> None:
    connection = session.connection()
    token = secrets.token_hex(16)
    result = connection.execute(
        update(ConfigVersion).where(ConfigVersion.id == 1).values(token=token)
    )
    if result.rowcount == 0:
        connection.execute(ConfigVersion.__table__.insert().values(id=1, token=token))
    forget_version()


def _changes_watched(session: Session) -> bool:
    watched = tuple(_WATCHED)
    if any(isinstance(obj, watched) for obj in (*session.new, *session.deleted)):
        return True
    return any(isinstance(obj, watched) and session.is_modified(obj) for obj in session.dirty)


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _WATCHED and _changes_watched(session):
        _bump(session)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(state: Any) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_arguments.get("mapper")
    if mapper is not None and mapper.class_ in _WATCHED:
        _bump(state.session)
