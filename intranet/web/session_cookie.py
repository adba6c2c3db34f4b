"""The signed session cookie, with its serializer built once per secret key.

Flask builds a new ``URLSafeTimedSerializer`` to open the cookie and another to save it, on
every request. It depends only on the secret key (and its fallbacks), so one per key serves
every request of the process; a changed key gets a new one.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class SessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session; only the serializer is kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._serializers: dict[Any, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            with self._lock:
                self._serializers = {key: serializer}
        return serializer


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
