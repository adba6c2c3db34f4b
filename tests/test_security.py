"""Security defaults: CSRF, headers, secret key in production, cookies, session expiry, errors."""

from __future__ import annotations

import time

import pytest

from intranet import create_app
from intranet.config import ConfigurationError
from intranet.testing.helpers import login, signed_in


def test_post_without_csrf_token_is_refused(demo, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/zwolle/inloggen", data={"username": "griffier", "password": "Demo-2026!"}
    )
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert client.get("/zwolle/").status_code == 302


def test_signed_in_post_without_token_changes_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    response = clerk.post("/zwolle/inwoners/nieuw", data={"name": "Zonder token", "kind": "client"})
    assert response.status_code == 400
    assert "Zonder token" not in clerk.get("/zwolle/inwoners/?q=Zonder").get_data(as_text=True)


def test_security_headers_on_every_response(demo, client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/", "/zwolle/inloggen", "/nergens/", "/static/css/intranet.css"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert (
            "default-src 'self'" in csp
            and "frame-ancestors 'none'" in csp
            and "script-src 'self'" in csp
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
    assert client.get("/zwolle/inloggen").headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers


def test_session_cookie_flags(demo) -> None:  # type: ignore[no-untyped-def]
    client = demo.test_client()
    response = login(client, "zwolle", "griffier")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "remember_token" not in str(response.headers)


def test_production_refuses_weak_or_missing_secret_key(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("INTRANET_SECRET_KEY", raising=False)
    monkeypatch.setenv("INTRANET_ENV", "production")
    monkeypatch.setenv("INTRANET_REDIS_URL", "redis://127.0.0.1:6379/0")
    with pytest.raises(ConfigurationError, match="INTRANET_SECRET_KEY"):
        create_app()
    monkeypatch.setenv("INTRANET_SECRET_KEY", "changeme")
    with pytest.raises(ConfigurationError):
        create_app()
    monkeypatch.setenv("INTRANET_SECRET_KEY", "x" * 48)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_secure_cookie_by_default_in_production(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INTRANET_ENV", "production")
    monkeypatch.setenv("INTRANET_SECRET_KEY", "y" * 48)
    monkeypatch.setenv("INTRANET_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("INTRANET_SECURE_COOKIES", raising=False)
    assert (
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SESSION_COOKIE_SECURE"] is True
    )


def test_idle_session_expires(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    assert clerk.get("/zwolle/").status_code == 200
    with clerk.session_transaction() as sess:
        sess["last_seen"] = time.time() - 31 * 60
    assert clerk.get("/zwolle/").status_code == 302


def test_unknown_pages_and_bad_input_never_500(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    for url in (
        "/nergens/",
        "/zwolle/bestaatniet",
        "/zwolle/inwoners/99999999999999999999",
        "/zwolle/inwoners/?pagina=-5&q=" + "x" * 5000,
        "/zwolle/kalender?jaar=99999&maand=-1",
        "/zwolle/audit/?van=gisteren&tot=2026-13-45",
        "/taal/fr",
        "/zwolle/inloggen?next=%00",
    ):
        assert clerk.get(url).status_code < 500, url


def test_unknown_municipality_is_a_dutch_404_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/onbekend/inwoners/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_english_can_be_chosen(demo, client) -> None:  # type: ignore[no-untyped-def]
    assert "Inloggen" in client.get("/zwolle/inloggen").get_data(as_text=True)
    client.get("/taal/en?next=/zwolle/inloggen")
    page = client.get("/zwolle/inloggen").get_data(as_text=True)
    assert 'lang="en"' in page and "Sign in" in page and "Nederlands" in page
