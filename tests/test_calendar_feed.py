"""The personal calendar feed (issue 14.8): a revocable address with a token, computed with
the employee's own permissions, stable UIDs and correct times across a DST change."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.dashboard.calendar import stable_uid
from intranet.dashboard.models import CalendarFeed
from intranet.extensions import db
from intranet.municipalities import service
from intranet.plugin_api import AMSTERDAM, CalendarItem, all_tenants
from intranet.testing.helpers import post, signed_in
from intranet.timeutil import local_today


def _next_dst_change(start: date) -> date:
    """The first day on or after ``start`` whose Amsterdam offset differs from the day before."""
    day = start
    while True:
        before = datetime.combine(day - timedelta(days=1), time(12), tzinfo=AMSTERDAM)
        after = datetime.combine(day, time(12), tzinfo=AMSTERDAM)
        if before.utcoffset() != after.utcoffset():
            return day
        day += timedelta(days=1)


def _make_address(client, slug: str) -> str:  # type: ignore[no-untyped-def]
    done = post(client, f"/{slug}/kalender/abonnement", {"actie": "maken"})
    assert done.status_code == 302
    page = client.get(f"/{slug}/kalender").get_data(as_text=True)
    found = re.search(r'id="feed-address" value="([^"]+)"', page)
    assert found, page
    # shown once: the next visit no longer shows it
    assert 'id="feed-address"' not in client.get(f"/{slug}/kalender").get_data(as_text=True)
    return found.group(1).split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def meetings(demo):  # type: ignore[no-untyped-def]
    """Two Zaanstad meedenkgroep meetings at 10:00 Amsterdam time, either side of a DST change."""
    from plugins.meedenkgroepen import models as m

    change = _next_dst_change(local_today() + timedelta(days=2))
    with demo.app_context():
        zaanstad = service.by_slug("zaanstad")
        with all_tenants():
            group = (
                db.session.execute(select(m.Group).where(m.Group.municipality_id == zaanstad.id))
                .scalars()
                .first()
            )
        assert group is not None
        for day in (change - timedelta(days=1), change + timedelta(days=1)):
            db.session.add(
                m.Meeting(
                    municipality_id=zaanstad.id,
                    group_id=group.id,
                    starts_at=datetime.combine(day, time(10), tzinfo=AMSTERDAM).astimezone(UTC),
                    location="Raadhuis DST",
                )
            )
        db.session.commit()
    return change


def _events(body: bytes) -> list:  # type: ignore[type-arg]
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_feed_by_token_without_session_dst_and_stable_uids(demo, meetings) -> None:  # type: ignore[no-untyped-def]
    path = _make_address(signed_in(demo, "zaanstad", "coordinator"), "zaanstad")
    assert re.fullmatch(r"zaanstad/kalender/[A-Za-z0-9_-]{40,64}\.ics", path)
    anonymous = demo.test_client()
    response = anonymous.get("/" + path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers  # no session is started by a feed
    ours = [e for e in _events(response.data) if str(e.get("location")) == "Raadhuis DST"]
    assert len(ours) == 2
    # 10:00 in Amsterdam on both sides of the change: the UTC hour differs by one
    local = sorted(e.decoded("dtstart").astimezone(AMSTERDAM) for e in ours)
    assert [(d.hour, d.minute) for d in local] == [(10, 0), (10, 0)]
    assert local[0].utcoffset() != local[1].utcoffset()
    assert local[0].date() == meetings - timedelta(days=1)
    # the same UIDs on a second fetch (calendar programs update instead of duplicating)
    again = _events(anonymous.get("/" + path).data)
    assert sorted(str(e["uid"]) for e in _events(response.data)) == sorted(
        str(e["uid"]) for e in again
    )
    # only the hash of the token is stored
    token = path.rsplit("/", 1)[1][: -len(".ics")]
    with demo.app_context(), all_tenants():
        hashes = db.session.execute(select(CalendarFeed.token_hash)).scalars().all()
        assert token not in hashes and len(hashes) == 1 and len(hashes[0]) == 64
        fetched = (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "calendar.feed.fetched")
            )
            .scalars()
            .all()
        )
    # audited as the employee, once per hour however often the program polls
    assert [e.actor for e in fetched] == ["coordinator"]


def test_fallback_uid_is_deterministic() -> None:
    item = CalendarItem(title="Bijeenkomst", start=datetime(2027, 3, 29, 8, tzinfo=UTC))
    assert stable_uid("meedenkgroepen", item) == stable_uid("meedenkgroepen", item)
    assert stable_uid("meedenkgroepen", item) != stable_uid("adviescommissie", item)
    assert re.fullmatch(r"meedenkgroepen-[0-9a-f]{32}@intranet", stable_uid("meedenkgroepen", item))


def test_feed_holds_only_what_the_employee_may_see(demo, meetings) -> None:  # type: ignore[no-untyped-def]
    from intranet.access.permissions import effective_permissions
    from intranet.auth.models import Employee

    path = _make_address(signed_in(demo, "zaanstad", "medewerker"), "zaanstad")
    with demo.test_request_context("/zaanstad/"):
        zaanstad = service.by_slug("zaanstad")
        employee = db.session.execute(
            select(Employee).where(
                Employee.username == "medewerker", Employee.municipality_id == zaanstad.id
            )
        ).scalar_one()
        held = effective_permissions(employee, zaanstad)
    assert "core.dashboard" in held
    assert not any(code.startswith("meedenkgroepen.") for code in held)
    body = demo.test_client().get("/" + path).data
    assert b"Raadhuis DST" not in body
    assert Calendar.from_ical(body)  # a valid, empty calendar


def test_revoked_and_renewed_addresses_stop_working(demo) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zaanstad", "coordinator")
    first = _make_address(client, "zaanstad")
    anonymous = demo.test_client()
    assert anonymous.get("/" + first).status_code == 200
    second = _make_address(client, "zaanstad")  # renewing replaces the token
    assert second != first
    assert anonymous.get("/" + first).status_code == 404
    assert anonymous.get("/" + second).status_code == 200
    done = post(client, "/zaanstad/kalender/abonnement", {"actie": "intrekken"})
    assert done.status_code == 302
    assert "ingetrokken" in client.get("/zaanstad/kalender").get_data(as_text=True)
    assert anonymous.get("/" + second).status_code == 404
    with demo.app_context(), all_tenants():
        actions = (
            db.session.execute(
                select(AuditEvent.action).where(AuditEvent.action.startswith("calendar.feed."))
            )
            .scalars()
            .all()
        )
    assert {"calendar.feed.created", "calendar.feed.renewed", "calendar.feed.revoked"} <= set(
        actions
    )


def test_other_municipality_and_bad_tokens_are_404(demo) -> None:  # type: ignore[no-untyped-def]
    path = _make_address(signed_in(demo, "zaanstad", "coordinator"), "zaanstad")
    token = path.rsplit("/", 1)[1]
    anonymous = demo.test_client()
    assert anonymous.get(f"/zwolle/kalender/{token}").status_code == 404
    for bad in ("x.ics", "a" * 43 + ".ics", "a" * 500 + ".ics"):
        assert anonymous.get(f"/zaanstad/kalender/{bad}").status_code == 404
    # control characters are refused before any look-up (intranet/web/input.py)
    assert anonymous.get("/zaanstad/kalender/" + "%00" * 43 + ".ics").status_code == 400


def test_making_an_address_needs_a_post_with_csrf(demo) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zaanstad", "coordinator")
    assert client.get("/zaanstad/kalender/abonnement").status_code == 405
    refused = client.post("/zaanstad/kalender/abonnement", data={"actie": "maken"})
    assert refused.status_code == 400
    with demo.app_context(), all_tenants():
        assert db.session.execute(select(CalendarFeed)).first() is None


def test_fetches_are_rate_limited_per_address(demo) -> None:  # type: ignore[no-untyped-def]
    path = _make_address(signed_in(demo, "zaanstad", "coordinator"), "zaanstad")
    anonymous = demo.test_client()
    demo.config["CALENDAR_FEED_LIMIT"] = "3 per hour"
    try:
        codes = [anonymous.get("/" + path).status_code for _ in range(4)]
    finally:
        demo.config.pop("CALENDAR_FEED_LIMIT")
    assert codes == [200, 200, 200, 429]
