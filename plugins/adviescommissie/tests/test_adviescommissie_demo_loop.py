"""The demo shows a complete loop: an advice with the municipality's response per
recommendation, and solicited advice judged against its decision date."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from plugins.adviescommissie import deadlines
from plugins.adviescommissie.models import AdviceFile

pytestmark = pytest.mark.ldap


def test_demo_advice_with_responses_per_recommendation(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        files = (
            db.session.execute(select(AdviceFile).where(AdviceFile.municipality_id == zaanstad.id))
            .scalars()
            .all()
        )
        answered = [
            a
            for a in files
            if a.recommendations and all(r.response and r.reasoning for r in a.recommendations)
        ]
        assert answered, "no advice with a response per recommendation in the demo"
        assert answered[0].response_received_on is not None
        assert {r.response for r in answered[0].recommendations} >= {"adopted", "rejected"}
        judged = [a for a in files if a.solicited and a.decision_date]
        assert {a.timeliness for a in judged} == {"early", "late"}
        for a in judged:
            assert deadlines.timeliness_for(a.deadline, a.decision_date) == a.timeliness
