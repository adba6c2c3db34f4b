"""Raadsgesprekken keeps reports as long as the shared retention category ``verslagen`` says,
set on the core's retention page like every plugin's (no setting of its own any more)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service
from intranet.plugin_api import utcnow
from intranet.privacy import service as privacy
from intranet.testing.helpers import post, signed_in
from plugins.raadsgesprekken.models import ConversationRequest, RaadsgesprekkenSettings

URL = "/zwolle/privacy/bewaartermijnen/raadsgesprekken/verslagen"


def _close_one_report(app, days_ago: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        zwolle = service.by_slug("zwolle")
        request = (
            db.session.execute(
                select(ConversationRequest).where(
                    ConversationRequest.municipality_id == zwolle.id,
                    ConversationRequest.status == "verslag gemaakt",
                )
            )
            .scalars()
            .first()
        )
        request.status = "afgerond"
        request.closed_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()
        return request.id


def _due(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        zwolle = service.by_slug("zwolle")
        reports = privacy.run_retention(zwolle, utcnow(), dry_run=True)
        db.session.rollback()
    (mine,) = [r for r in reports if r.plugin == "raadsgesprekken"]
    return mine.anonymised["aanvragen"]


def test_raadsgesprekken_report_retention_is_set_on_the_shared_page(demo) -> None:  # type: ignore[no-untyped-def]
    officer = signed_in(demo, "zwolle", "beheerder")
    page = officer.get("/zwolle/privacy/bewaartermijnen").get_data(as_text=True)
    assert "Herleidbare inhoud van verslagen, na afronding" in page

    _close_one_report(demo, days_ago=100)
    assert _due(demo) == 0  # the default is 360 days

    assert post(officer, URL, {"raadsgesprekken-verslagen-days": "30"}).status_code == 302
    assert _due(demo) == 1
    register = officer.get("/zwolle/privacy/verwerkingsregister").get_data(as_text=True)
    assert "30 dagen (eigen termijn van de gemeente)" in register
    assert "wordt 30 dagen na afronding geanonimiseerd" in register

    refused = post(officer, URL, {"raadsgesprekken-verslagen-days": "een jaar"})
    assert refused.status_code == 400
    assert _due(demo) == 1  # the bad input changed nothing

    assert post(officer, URL, {"raadsgesprekken-verslagen-days": ""}).status_code == 302
    assert _due(demo) == 0  # back to the default


def test_raadsgesprekken_settings_page_no_longer_sets_retention(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    page = griffier.get("/zwolle/raadsgesprekken/instellingen").get_data(as_text=True)
    assert "Bewaartermijn" not in page and "retention_months" not in page
    saved = post(
        griffier,
        "/zwolle/raadsgesprekken/instellingen/algemeen",
        {"s-clerk_email": "griffie@zwolle.nl", "s-clerk_phone": ""},
    )
    assert saved.status_code == 302
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        row = db.session.execute(
            select(RaadsgesprekkenSettings).where(
                RaadsgesprekkenSettings.municipality_id == zwolle.id
            )
        ).scalar_one()
        assert row.clerk_email == "griffie@zwolle.nl"
        assert not hasattr(row, "retention_months")
