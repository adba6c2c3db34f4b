"""Helpers for tests: CSRF tokens, posting forms, signing in, reading field errors."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from itsdangerous import URLSafeTimedSerializer

PASSWORD = "Demo-2026!"
SECRET_KEY = "test-secret-key-that-is-long-enough-for-production-checks"


def csrf_token(client, app) -> str:  # type: ignore[no-untyped-def]
    """A valid CSRF token for this client's session, as Flask-WTF would render it."""
    with client.session_transaction() as sess:
        raw = sess.setdefault("csrf_token", os.urandom(20).hex())
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


def post(client, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client, client.application))
    return client.post(url, data=data, **kwargs)


def login(client, slug: str, username: str, password: str = PASSWORD, next_url: str = ""):  # type: ignore[no-untyped-def]
    return post(
        client,
        f"/{slug}/inloggen",
        {"username": username, "password": password, "next": next_url},
    )


def signed_in(app, slug: str, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = login(client, slug, username)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client


def form_errors(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(
            r'class="[^"]*utrecht-form-field-error-message[^"]*"[^>]*>(.*?)</div>', html, re.S
        )
    ]


def count_queries(app, client, url: str) -> int:  # type: ignore[no-untyped-def]
    """How many SQL statements one GET of ``url`` runs (it must answer 200)."""
    with app.app_context(), count_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block (in an app context)."""
    from sqlalchemy import event

    from intranet.extensions import db

    engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def redis_url(db: int) -> str:
    """The test Redis (``TEST_REDIS_URL``, else the local server), on database ``db`` of its
    own so that tests using Redis do not see each other's keys."""
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    return f"{base.rsplit('/', 1)[0]}/{db}"


def redis_up(url: str) -> bool:
    """Whether a Redis server listens at ``url``: tests that need one skip on a machine that
    has none, and fail when it is there but broken."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(url)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True
