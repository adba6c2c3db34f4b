"""How sessions end, and the brute-force defences of the sign-in."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db, limiter
from intranet.testing.helpers import login, post, signed_in


def test_absolute_timeout_ends_an_active_session(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    with clerk.session_transaction() as sess:
        sess["login_at"] = time.time() - 10 * 3600 - 60
    assert clerk.get("/zwolle/").status_code == 302


def test_a_fresh_session_at_sign_in(demo) -> None:  # type: ignore[no-untyped-def]
    client = demo.test_client()
    client.get("/zwolle/inloggen")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    assert login(client, "zwolle", "griffier").status_code == 302
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_logout_is_a_post_and_audited(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    clerk.get("/uitloggen", follow_redirects=True)  # a link or prefetch cannot sign anyone out
    assert clerk.get("/zwolle/").status_code == 200
    assert post(clerk, "/uitloggen").status_code == 302
    with demo.app_context():
        assert (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "auth.logout"))
            .scalar_one()
            .actor
            == "griffier"
        )


@pytest.fixture
def strict_limits(demo):  # type: ignore[no-untyped-def]
    saved = {k: demo.config[k] for k in ("LOGIN_LIMIT_PER_ADDRESS", "LOGIN_LIMIT_PER_USERNAME")}
    demo.config["LOGIN_LIMIT_PER_USERNAME"] = "3 per minute"
    demo.config["LOGIN_LIMIT_PER_ADDRESS"] = "6 per minute"
    limiter.reset()
    yield demo
    demo.config.update(saved)
    limiter.reset()


def test_rate_limit_per_user_name(strict_limits) -> None:  # type: ignore[no-untyped-def]
    client = strict_limits.test_client()
    for _ in range(3):
        assert login(client, "zwolle", "Raadslid", "fout").status_code == 401
    blocked = login(client, "zwolle", "raadslid", "Demo-2026!")
    assert blocked.status_code == 429
    assert "te vaak geprobeerd" in blocked.get_data(as_text=True)
    assert login(client, "zwolle", "griffier").status_code == 302  # another user is not blocked
    with strict_limits.app_context():
        assert (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "auth.rate_limited"))
            .scalars()
            .first()
        )


def test_rate_limit_per_address(strict_limits) -> None:  # type: ignore[no-untyped-def]
    client = strict_limits.test_client()
    statuses = [login(client, "zwolle", f"onbekend{i}", "x").status_code for i in range(7)]
    assert statuses[:6] == [401] * 6 and statuses[6] == 429
    assert client.get("/zwolle/inloggen").status_code == 200  # only posting is limited
