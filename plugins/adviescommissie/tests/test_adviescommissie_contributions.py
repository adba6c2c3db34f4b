"""The committee's recommendations in the core's contributions ledger: a sent advice's
recommendations wait for the municipality's response on the Terugkoppeling page, and leave it
once the response is recorded (the loop a coordinator closes from the page's link)."""

from __future__ import annotations

import re

from sqlalchemy import select

from intranet.extensions import db
from intranet.feedback import service as feedback
from intranet.municipalities import service
from intranet.testing.helpers import post, signed_in
from plugins.adviescommissie.models import AdviceFile


def test_recommendations_leave_the_list_once_the_municipality_responds(demo) -> None:  # type: ignore[no-untyped-def]
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    page = coordinator.get("/zaanstad/terugkoppeling/?plugin=adviescommissie")
    html = page.get_data(as_text=True)
    links = set(re.findall(r'href="(/zaanstad/adviescommissie/dossiers/(\d+))"', html))
    assert links, "the demo's sent advice waits for a response"
    _, advice_id = sorted(links)[0]
    with demo.app_context():
        advice = db.session.execute(
            select(AdviceFile).where(AdviceFile.id == int(advice_id))
        ).scalar_one()
        rec_ids = [r.id for r in advice.recommendations if not r.response]
    official = signed_in(demo, "zaanstad", "ambtenaar")
    for rec_id in rec_ids:
        response = post(
            official,
            f"/zaanstad/adviescommissie/dossiers/{advice_id}/aanbevelingen/{rec_id}/reactie",
            {f"r{rec_id}-response": "partly", f"r{rec_id}-reasoning": "Deels, vanwege budget."},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    html = coordinator.get("/zaanstad/terugkoppeling/?plugin=adviescommissie").get_data(
        as_text=True
    )
    assert f"/zaanstad/adviescommissie/dossiers/{advice_id}" not in html
    with demo.test_request_context("/zaanstad/"):
        items = [
            c
            for c in feedback.contributions(service.by_slug("zaanstad"))
            if c.key in {f"recommendation-{r}" for r in rec_ids}
        ]
    assert items and all(c.status == "partly_used" and not c.owed for c in items)
    assert all(
        c.status_reason == "Deels, vanwege budget." and c.feedback_how == "letter" for c in items
    )


def test_hook_intranet_contributions_adviescommissie_resident_filter(demo) -> None:  # type: ignore[no-untyped-def]
    """The committee advises as a body: no resident's page lists its recommendations."""
    from intranet.residents.models import Resident

    with demo.test_request_context("/zaanstad/"):
        zaanstad = service.by_slug("zaanstad")
        resident = (
            db.session.execute(select(Resident).where(Resident.municipality_id == zaanstad.id))
            .scalars()
            .first()
        )
        assert any(c.plugin == "adviescommissie" for c in feedback.contributions(zaanstad))
        assert not [
            c
            for c in feedback.contributions(zaanstad, resident=resident)
            if c.plugin == "adviescommissie"
        ]
