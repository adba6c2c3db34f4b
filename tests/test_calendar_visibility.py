"""The calendar shows each employee only what they may open: the page, its download and the
start page follow one rule (``intranet.dashboard.calendar.visible_to``), so no title of an
area they do not work in is shown and no link leads to a 403 or 404."""

from __future__ import annotations

import re
from datetime import date

from icalendar import Calendar

from intranet.testing.helpers import signed_in
from intranet.timeutil import local_today
from intranet_dev.run_demo import ACCOUNTS

ITEM_LINK = re.compile(r'<td class="utrecht-table__cell"><a class="utrecht-link" href="([^"]+)">')
ITEM_ROW = re.compile(r'<td class="utrecht-table__cell">(?:<a [^>]+>)?([^<]+)(?:</a>)?</td>')


def _months(around: date) -> list[tuple[int, int]]:
    """Last month to two months ahead: the demo's meetings, deadlines and conversations."""
    out = []
    for shift in range(-1, 3):
        index = around.year * 12 + around.month - 1 + shift
        out.append((index // 12, index % 12 + 1))
    return out


def _calendar_pages(client, slug: str) -> list[str]:  # type: ignore[no-untyped-def]
    pages = []
    for year, month in _months(local_today()):
        response = client.get(f"/{slug}/kalender?jaar={year}&maand={month}")
        assert response.status_code == 200
        pages.append(response.get_data(as_text=True))
    return pages


def test_every_link_on_the_calendar_opens_for_whoever_sees_it(demo) -> None:  # type: ignore[no-untyped-def]
    opened = 0
    for slug, username, _name, _what in ACCOUNTS:
        if username == "itbeheer":
            continue  # a platform operator: no municipality calendar
        client = signed_in(demo, slug, username)
        links = {href for page in _calendar_pages(client, slug) for href in ITEM_LINK.findall(page)}
        download = client.get(f"/{slug}/kalender.ics")
        assert download.status_code == 200
        events = [c for c in Calendar.from_ical(download.data).walk() if c.name == "VEVENT"]
        links |= {str(e["url"]).split("://", 1)[-1].partition("/")[2] for e in events if "url" in e}
        for href in sorted(links):
            path = href if href.startswith("/") else "/" + href
            status = client.get(path).status_code
            assert status == 200, (slug, username, path, status)
            opened += 1
    assert opened >= 10  # the demo's calendar has links to open


def test_an_employee_without_plugin_rights_sees_no_plugin_items(demo) -> None:  # type: ignore[no-untyped-def]
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    employee = signed_in(demo, "zaanstad", "medewerker")
    seen_by_coordinator = sum(
        len(ITEM_LINK.findall(p)) for p in _calendar_pages(coordinator, "zaanstad")
    )
    seen_by_employee = [
        title for p in _calendar_pages(employee, "zaanstad") for title in ITEM_ROW.findall(p)
    ]
    assert seen_by_coordinator > 0
    assert not any("Vragenlijst" in t or "advies" in t.lower() for t in seen_by_employee)
    download = employee.get("/zaanstad/kalender.ics")
    events = [c for c in Calendar.from_ical(download.data).walk() if c.name == "VEVENT"]
    assert not [str(e["summary"]) for e in events if "url" in e]


def test_a_council_member_sees_only_their_own_conversations(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    own = signed_in(demo, "zwolle", "raadslid2")  # in some of the demo's conversations
    all_conversations = {
        h
        for p in _calendar_pages(clerk, "zwolle")
        for h in ITEM_LINK.findall(p)
        if "/gesprekken/" in h
    }
    theirs = {
        h
        for p in _calendar_pages(own, "zwolle")
        for h in ITEM_LINK.findall(p)
        if "/gesprekken/" in h
    }
    assert theirs < all_conversations  # the clerk sees every conversation, the member a part
    for href in theirs:
        assert own.get(href).status_code == 200


def test_an_item_needs_the_permission_of_the_page_it_links_to(demo) -> None:  # type: ignore[no-untyped-def]
    """Holding some permission of a plugin is not enough: an advice deadline links to the
    dossier, which asks ``adviescommissie.view``; without it the item is not shown."""
    from intranet.testing.crawl import grant_role

    responder = grant_role(
        demo,
        "zaanstad",
        "medewerker",
        "alleen-reageren",
        ["core.dashboard", "adviescommissie.respond"],
    )
    pages = _calendar_pages(responder, "zaanstad")
    assert not [h for p in pages for h in ITEM_LINK.findall(p) if "/adviescommissie/" in h]
    reader = grant_role(
        demo, "zaanstad", "medewerker", "lezer", ["core.dashboard", "adviescommissie.view"]
    )
    pages = _calendar_pages(reader, "zaanstad")
    assert [h for p in pages for h in ITEM_LINK.findall(p) if "/adviescommissie/" in h]


def test_the_page_of_an_address_is_found_as_the_app_routes_it(demo) -> None:  # type: ignore[no-untyped-def]
    from intranet.dashboard.calendar import NO_PAGE, permission_of_page

    with demo.test_request_context("/zaanstad/kalender"):
        assert permission_of_page("/zaanstad/adviescommissie/dossiers/6") == "adviescommissie.view"
        assert permission_of_page("/zaanstad/adviescommissie/dossiers/6?x=1#a") == (
            "adviescommissie.view"
        )
        assert permission_of_page("/zaanstad/audit") == "core.audit.view"  # via its redirect
        assert permission_of_page("/zaanstad/bestaat/niet") == NO_PAGE
        assert permission_of_page("https://elders.example/zaanstad/audit/") is None
