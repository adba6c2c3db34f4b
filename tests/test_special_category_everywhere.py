"""Special-category data shows only with ``core.privacy.special``, on every page (issue 10 §6).

Each test crawls every GET route of the route map (with the demo's ids), signed in with every
permission of the municipality except (or including) ``core.privacy.special``, and searches
the HTML for the special values of the demo data, read from the database. The values are first
made unmistakable (a marker per row), so a list of choices on a form page is never mistaken
for a leak.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.testing.crawl import all_permissions, crawl, get_rules, grant_role, urls_for

SPECIAL = "core.privacy.special"


def _mark_special_values(app) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Give every special field of the demo a unique value; returns slug -> those values."""
    from intranet.municipalities.models import Municipality
    from plugins.adviescommissie.models import CommitteeMember
    from plugins.meedenkgroepen.models import Membership
    from plugins.raadsgesprekken.models import ConversationRequest

    values: dict[str, list[str]] = {"zwolle": [], "zaanstad": []}
    with app.app_context():
        slugs = dict(db.session.execute(select(Municipality.id, Municipality.slug)).all())
        for req in db.session.execute(select(ConversationRequest)).scalars():
            req.care_kinds = [f"zorgsoort-{req.id}-bijzonder"]
            req.needs = [f"behoefte-{req.id}-bijzonder"]
            values[slugs[req.municipality_id]] += [req.care_kinds[0], req.needs[0]]
        for ms in db.session.execute(select(Membership)).scalars():
            ms.motivation = f"motivatie-{ms.id}-bijzonder"
            values[slugs[ms.municipality_id]].append(ms.motivation)
        for member in db.session.execute(select(CommitteeMember)).scalars():
            member.expertise = f"deskundigheid-{member.id}-bijzonder"
            values[slugs[member.municipality_id]].append(member.expertise)
        db.session.commit()
    assert values["zwolle"] and values["zaanstad"]
    return values


def _every_page(app, client, slug: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    result = crawl(app, client, slug, per_endpoint=2)
    pages: dict[str, str] = {}
    for rule in get_rules(app):
        if "municipality" not in rule.arguments:
            continue
        urls = result.pages.get(rule.endpoint) or urls_for(rule, result, slug)
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, url
            pages[url] = response.get_data().decode("utf-8", "replace")  # CSV and HTML; PDF and
            # XLSX are compressed, their special fields follow the same permission in the view
    return pages


def _found(pages: dict[str, str], values: list[str]) -> dict[str, list[str]]:
    hits = {url: [v for v in values if v in html] for url, html in pages.items()}
    return {url: found for url, found in hits.items() if found}


def test_no_page_shows_special_values_without_the_permission(demo) -> None:  # type: ignore[no-untyped-def]
    values = _mark_special_values(demo)
    for slug, user in (("zwolle", "griffier"), ("zaanstad", "coordinator")):
        # their directory groups hold the permission in the demo: take those away first
        with demo.app_context():
            from intranet.access.models import RolePermission

            for rp in db.session.execute(
                select(RolePermission).where(RolePermission.code == SPECIAL)
            ).scalars():
                db.session.delete(rp)
            db.session.commit()
        client = grant_role(demo, slug, user, "alles-zonder", all_permissions(demo, [SPECIAL]))
        pages = _every_page(demo, client, slug)
        assert len(pages) > 20
        # the answer to an access request is the resident's own data, complete (AVG art. 15),
        # audited as privacy.access_request: every other page keeps the special fields back
        answers = {url for url in pages if "/inzage" in url}
        assert answers
        others = {url: html for url, html in pages.items() if url not in answers}
        assert _found(others, values[slug]) == {}
    with demo.app_context():
        assert (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "privacy.special_read")
            ).first()
            is None
        )


def test_with_the_permission_they_show_and_each_read_is_audited_once(demo) -> None:  # type: ignore[no-untyped-def]
    values = _mark_special_values(demo)
    for slug, user in (("zwolle", "griffier"), ("zaanstad", "coordinator")):
        client = grant_role(demo, slug, user, "alles", all_permissions(demo))
        pages = _every_page(demo, client, slug)
        shown = {v for found in _found(pages, values[slug]).values() for v in found}
        # every kind of special field reaches some page for who may see it
        kinds = {re.sub(r"-\d+-bijzonder$", "", v) for v in shown}
        expected = {"zwolle": {"zorgsoort", "behoefte", "deskundigheid"}, "zaanstad": {"motivatie"}}
        assert expected[slug] <= kinds, kinds
    with demo.app_context():
        events = list(
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "privacy.special_read")
            ).scalars()
        )
    assert events
    assert all(e.details.get("resident") and e.details.get("fields") for e in events)


def test_one_event_per_resident_per_request_not_per_cell(demo) -> None:  # type: ignore[no-untyped-def]
    """The request detail prints three special fields of one resident: one event."""
    from plugins.raadsgesprekken.models import ConversationRequest

    _mark_special_values(demo)
    with demo.app_context():
        req = db.session.execute(select(ConversationRequest)).scalars().first()
        req_id, resident_id = req.id, req.resident_id
    client = grant_role(demo, "zwolle", "beleid", "alles", all_permissions(demo))
    html = client.get(f"/zwolle/raadsgesprekken/aanvragen/{req_id}").get_data(as_text=True)
    assert f"zorgsoort-{req_id}-bijzonder" in html and f"behoefte-{req_id}-bijzonder" in html
    with demo.app_context():
        (event,) = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "privacy.special_read")
        ).scalars()
        assert event.details["resident"] == str(resident_id)
        assert len(event.details["fields"]) >= 2
