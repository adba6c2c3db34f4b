"""The requests list (issue 14.2): sort and filter in the URL, and the bulk action that plans
several ticked requests in one conversation, skipping (and naming) what cannot be planned."""

from __future__ import annotations

import re

from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.tenancy import all_tenants
from intranet.testing.helpers import count_queries, post, signed_in
from plugins.raadsgesprekken.models import CANCELLED, REQUESTED, ConversationRequest

BASE = "/zwolle/raadsgesprekken"


def _requests(app, *statuses: str) -> list[ConversationRequest]:  # type: ignore[no-untyped-def]
    with app.app_context(), all_tenants():
        zwolle = municipalities.by_slug("zwolle")
        return list(
            db.session.execute(
                select(ConversationRequest).where(
                    ConversationRequest.municipality_id == zwolle.id,
                    ConversationRequest.status.in_(statuses),
                )
            ).scalars()
        )


def _foreign_request(app) -> int:  # type: ignore[no-untyped-def]
    """A copy of a Zwolle request in Zaanstad (as another municipality's row)."""
    with app.app_context(), all_tenants():
        zwolle = municipalities.by_slug("zwolle")
        zaanstad = municipalities.by_slug("zaanstad")
        row = (
            db.session.execute(
                select(ConversationRequest.__table__).where(
                    ConversationRequest.municipality_id == zwolle.id
                )
            )
            .mappings()
            .first()
        )
        values = {k: v for k, v in row.items() if k not in ("id", "appointment_id")}
        values.update(municipality_id=zaanstad.id, resident_id=None, status=REQUESTED)
        new_id = db.session.execute(
            ConversationRequest.__table__.insert().values(**values)
        ).inserted_primary_key[0]
        db.session.commit()
        return int(new_id)


def test_list_sorts_filters_and_offers_ticking(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    page = clerk.get(f"{BASE}/aanvragen").get_data(as_text=True)
    assert 'aria-sort="descending"' in page  # newest first by default
    assert 'name="aanvraag"' in page and 'name="csrf_token"' in page
    filtered = clerk.get(f"{BASE}/aanvragen?status={REQUESTED}&sorteer=status&volgorde=op")
    text = filtered.get_data(as_text=True)
    assert filtered.status_code == 200
    assert f'value="{REQUESTED}" selected' in text
    assert re.search(r'aria-sort="ascending"><a[^>]*>Status', text)
    for bad in ("?sorteer=care_kinds", "?pagina=-1", "?status=onbekend", "?pagina=" + "9" * 30):
        assert clerk.get(f"{BASE}/aanvragen{bad}").status_code == 200
    # a control character is refused by the core before the list (intranet/web/input.py)
    assert clerk.get(f"{BASE}/aanvragen?status=%00").status_code == 400
    empty = clerk.get(f"{BASE}/aanvragen?wijk=GeenWijkHeetZo").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in empty


def test_list_query_count_is_constant(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    url = f"{BASE}/aanvragen?sorteer=wijk"
    clerk.get(url)
    before = count_queries(demo, clerk, url)
    for _ in range(3):
        _foreign_request(demo)  # rows elsewhere change nothing
    with demo.app_context(), all_tenants():
        zwolle = municipalities.by_slug("zwolle")
        row = (
            db.session.execute(
                select(ConversationRequest.__table__).where(
                    ConversationRequest.municipality_id == zwolle.id,
                    ConversationRequest.resident_id.is_not(None),
                )
            )
            .mappings()
            .first()
        )
        values = {k: v for k, v in row.items() if k not in ("id", "appointment_id")}
        for _ in range(20):
            db.session.execute(ConversationRequest.__table__.insert().values(**values))
        db.session.commit()
    assert count_queries(demo, clerk, url) == before


def test_plan_several_requests_together(demo) -> None:  # type: ignore[no-untyped-def]
    plannable = [r for r in _requests(demo, REQUESTED, CANCELLED) if r.resident_id]
    assert len(plannable) >= 2
    chosen = [plannable[0].id, plannable[1].id]
    done_request = next(
        r for r in _requests(demo, "afgerond", "gevoerd", "ingepland", "verslag gemaakt")
    )
    foreign = _foreign_request(demo)
    clerk = signed_in(demo, "zwolle", "griffier")
    response = post(
        clerk,
        f"{BASE}/aanvragen/samen-inplannen",
        {"aanvraag": [*map(str, chosen), str(done_request.id), str(foreign), "x%00"]},
    )
    assert response.status_code == 302
    target = response.headers["Location"]
    assert f"/aanvragen/{chosen[0]}/inplannen" in target
    form = clerk.get(target).get_data(as_text=True)
    # both requests are ticked in the scheduling form
    for request_id in chosen:
        assert re.search(
            rf'value="{request_id}"[^>]*checked|checked[^>]*value="{request_id}"', form
        )
    assert "2 aanvraag/aanvragen gekozen" in form
    assert "2 aanvraag/aanvragen overgeslagen" in form
    assert f"nummer {foreign}" in form  # another municipality's row: not found here
    with demo.app_context(), all_tenants():
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "raadsgesprekken.request.bulk_schedule")
        ).scalar_one()
    assert event.details["requests"] == chosen
    assert sorted(event.details["skipped"]) == sorted([done_request.id, foreign])


def test_bulk_action_needs_csrf_and_a_choice(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    assert (
        clerk.post(f"{BASE}/aanvragen/samen-inplannen", data={"aanvraag": "1"}).status_code == 400
    )
    nothing = post(clerk, f"{BASE}/aanvragen/samen-inplannen", {}, follow_redirects=True)
    assert "Kies eerst een of meer aanvragen" in nothing.get_data(as_text=True)
    assert clerk.get(f"{BASE}/aanvragen/samen-inplannen").status_code == 405


def test_select_all_ticks_every_plannable_request_without_javascript(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    page = clerk.get(f"{BASE}/aanvragen").get_data(as_text=True)
    boxes = page.count('name="aanvraag"')
    assert boxes and " checked>" not in page
    link = re.search(r'href="([^"]+)">Alles op deze pagina aanvinken', page).group(1)
    ticked = clerk.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert ticked.count('name="aanvraag"') == ticked.count(" checked>") == boxes
