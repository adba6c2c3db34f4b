"""GET never changes state anywhere in the app (issue 10 §5).

Mail scanners and link previews fetch every link in a mail; a GET that unsubscribed, marked
something read or moved a status would act on a resident's behalf without them. This test
crawls every GET route of the route map (with the demo's ids), signed in as employees of
both municipalities, as a platform operator and anonymously (with valid links from residents'
mails), and proves that only audit rows changed.
"""

from __future__ import annotations

from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.crawl import changed_tables, crawl, get_rules, table_snapshot, urls_for
from intranet.testing.helpers import signed_in


def resident_links(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Valid answer and unsubscribe links, as the demo's residents got them by mail."""
    from plugins.meedenkgroepen.models import Invitation, PanelMember
    from plugins.meedenkgroepen.tokens import make_answer_token, make_unsubscribe_token

    with app.test_request_context():
        links = []
        for member in db.session.execute(select(PanelMember)).scalars():
            token = make_unsubscribe_token(member.municipality_id, member.id)
            links.append(f"/publiek/zaanstad/meedenkgroepen/afmelden/{token}")
        for invitation in db.session.execute(select(Invitation)).scalars():
            token = make_answer_token(invitation.municipality_id, invitation.id)
            links.append(f"/publiek/zaanstad/meedenkgroepen/vragenlijst/{token}")
        return links


def test_no_get_route_changes_anything_but_the_audit_log(demo) -> None:  # type: ignore[no-untyped-def]
    links = resident_links(demo)
    assert any("/afmelden/" in u for u in links)
    visitors = [
        ("zwolle", signed_in(demo, "zwolle", "griffier")),
        ("zwolle", signed_in(demo, "zwolle", "itbeheer")),
        ("zwolle", signed_in(demo, "zwolle", "raadslid")),
        ("zaanstad", signed_in(demo, "zaanstad", "coordinator")),
        ("zaanstad", signed_in(demo, "zaanstad", "secretaris")),
        ("zaanstad", demo.test_client()),
        (None, signed_in(demo, "zwolle", "itbeheer")),
    ]
    with demo.app_context():
        before = table_snapshot(db)
    reached: set[str] = set()
    for slug, client in visitors:
        result = crawl(demo, client, slug, extra=links if slug == "zaanstad" else ())
        # while every page is read anyway: an id stands once on a page
        assert result.duplicate_ids == {}, result.duplicate_ids
        reached |= set(result.pages)
        for rule in get_rules(demo):
            if rule.endpoint in result.pages or (slug is None) != (
                "municipality" not in rule.arguments
            ):
                continue
            for url in urls_for(rule, result, slug):
                assert client.get(url).status_code < 500, url
                reached.add(rule.endpoint)
        assert all(status < 500 for status in result.statuses.values()), result.statuses
    with demo.app_context():
        after = table_snapshot(db)
    assert changed_tables(before, after) == []
    # the crawl saw every GET route of the route map
    missing = {r.endpoint for r in get_rules(demo)} - reached
    assert not missing, missing
