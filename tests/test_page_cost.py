"""What a page costs, counted (not timed): statements per page, and the menu's addresses.

The residents list and the dashboard are the pages ``bench/pages.py`` measures. The counts
below are those of a warm page (the per-process caches filled); a change that adds a query
to every page shows up here. The menu's addresses are kept per process: they must still
follow where the app is mounted.
"""

from __future__ import annotations

import re

from sqlalchemy import event

from intranet.extensions import db
from intranet.testing.helpers import signed_in


def _statements(app, client, url: str, **kwargs) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def on_statement(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        response = client.get(url, **kwargs)
        assert response.status_code == 200, response.status_code
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
    return seen, response.get_data(as_text=True)


def test_the_residents_list_runs_seven_statements_with_its_audit_event(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "beheerder")
    _statements(demo, clerk, "/zwolle/inwoners/")  # fills the caches
    seen, _html = _statements(demo, clerk, "/zwolle/inwoners/")
    # config version, employee, count, page, and the audit event: chain lock, last hash, insert
    assert len(seen) == 7, seen
    assert sum(s.startswith("INSERT INTO audit_event") for s in seen) == 1, seen


def test_the_dashboard_reads_no_municipality_role_or_plugin_rows_when_warm(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "beheerder")
    _statements(demo, clerk, "/zwolle/")
    seen, _html = _statements(demo, clerk, "/zwolle/")
    cached_tables = ("FROM municipality", "FROM role_permission", "FROM plugin_state", "FROM role ")
    assert not [s for s in seen if any(t in s for t in cached_tables)], seen


def _menu_links(html: str) -> list[str]:
    return re.findall(r'<a class="utrecht-nav-list__link" href="([^"]+)"', html)


def test_menu_addresses_follow_where_the_app_is_mounted(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "beheerder")
    _seen, plain = _statements(demo, clerk, "/zwolle/inwoners/")
    _seen, mounted = _statements(
        demo, clerk, "/zwolle/inwoners/", environ_overrides={"SCRIPT_NAME": "/intranet"}
    )
    plain_links = [link for link in _menu_links(plain) if link.startswith("/zwolle/")]
    mounted_links = [link for link in _menu_links(mounted) if link.startswith("/intranet/zwolle/")]
    assert plain_links and mounted_links
    assert "/zwolle/inwoners/" in plain_links
    assert "/intranet/zwolle/inwoners/" in mounted_links
    assert not [link for link in _menu_links(mounted) if link.startswith("/zwolle/")]
    # the breadcrumbs' start page too
    assert 'utrecht-breadcrumb-nav__link" href="/intranet/zwolle/"' in mounted
    assert 'utrecht-breadcrumb-nav__link" href="/zwolle/"' in plain


def test_the_platform_chain_and_a_municipality_chain_link_apart(demo) -> None:  # type: ignore[no-untyped-def]
    """The chain's last hash is read with prebuilt statements, one for each kind of chain."""
    from sqlalchemy import select

    from intranet.audit.chain import verify_chain
    from intranet.audit.models import AuditEvent
    from intranet.audit.service import record
    from intranet.municipalities.models import Municipality

    with demo.app_context():
        zwolle = db.session.execute(
            select(Municipality).where(Municipality.slug == "zwolle")
        ).scalar_one()
        first = record("test.platform", details={"n": 1})
        db.session.commit()
        local = record("test.local", municipality=zwolle)
        db.session.commit()
        second = record("test.platform", details={"n": 2})
        db.session.commit()
        assert second.prev_hash == first.hash
        assert local.prev_hash != first.hash
        assert local.prev_hash == db.session.scalar(
            select(AuditEvent.hash)
            .where(AuditEvent.municipality_id == zwolle.id, AuditEvent.id < local.id)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        assert verify_chain(db.session, None).broken is None
        assert verify_chain(db.session, zwolle.id).broken is None


def test_the_list_is_counted_on_its_table_not_as_a_subquery_of_every_column(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "beheerder")
    _statements(demo, clerk, "/zwolle/inwoners/")
    seen, html = _statements(demo, clerk, "/zwolle/inwoners/?q=a")
    (count,) = [s for s in seen if s.startswith("SELECT count(")]
    assert "FROM resident WHERE" in count and "(SELECT" not in count, count
    # still limited to the municipality and the search
    assert "resident.municipality_id" in count and "LIKE" in count.upper(), count
    assert "inwoners gevonden" in html or "inwoner gevonden" in html


def test_a_read_page_writes_its_audit_event_with_one_insert_into_an_intact_chain(demo) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from intranet.audit.chain import verify_chain
    from intranet.audit.models import AuditEvent
    from intranet.municipalities.models import Municipality

    clerk = signed_in(demo, "zwolle", "beheerder")
    for _ in range(3):
        seen, _html = _statements(demo, clerk, "/zwolle/inwoners/")
        assert sum(s.startswith("INSERT INTO audit_event") for s in seen) == 1, seen
    with demo.app_context():
        zwolle = db.session.execute(select(Municipality).filter_by(slug="zwolle")).scalar_one()
        events = (
            db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.municipality_id == zwolle.id)
                .order_by(AuditEvent.id.desc())
                .limit(3)
            )
            .scalars()
            .all()
        )
        assert [e.action for e in events] == ["resident.list"] * 3
        assert events[0].prev_hash == events[1].hash and events[1].prev_hash == events[2].hash
        assert events[0].actor == "beheerder" and events[0].details["page"] == 1
        assert verify_chain(db.session, zwolle.id).broken is None


def test_the_menu_is_asked_of_the_plugins_once_per_page(demo) -> None:  # type: ignore[no-untyped-def]
    """The menu, the breadcrumbs and the open group all read the request's one menu."""
    host = demo.extensions["intranet"].plugins
    calls: list[str] = []

    def before(hook_name, _impls, _kwargs) -> None:  # type: ignore[no-untyped-def]
        calls.append(hook_name)

    def after(*_args) -> None:  # type: ignore[no-untyped-def]
        pass

    clerk = signed_in(demo, "zwolle", "beheerder")
    clerk.get("/zwolle/inwoners/")
    undo = host.pm.add_hookcall_monitoring(before, after)
    try:
        html = clerk.get("/zwolle/inwoners/").get_data(as_text=True)
    finally:
        undo()
    assert calls.count("intranet_navigation") == 1, calls
    # breadcrumbs and menu both there, from that one call
    assert 'utrecht-breadcrumb-nav__link" href="/zwolle/"' in html
    assert 'href="/zwolle/inwoners/" aria-current="page"' in html


def test_the_breadcrumbs_reuse_the_request_s_menu(demo) -> None:  # type: ignore[no-untyped-def]
    from flask import g

    from intranet.web.layout import breadcrumbs, navigation, navigation_groups

    clerk = signed_in(demo, "zwolle", "beheerder")
    with clerk:
        clerk.get("/zwolle/inwoners/nieuw")
        menu = g._menu
        entries = navigation()
        grouped = [item for group in navigation_groups() for item in group["items"]]
        # the very entries the page's menu was rendered from, not a second build
        assert [e for _k, e in menu] == entries
        assert all(a is b for a, b in zip(entries, (e for _k, e in menu), strict=True))
        assert {id(e) for e in grouped} == {id(e) for e in entries}
        trail = breadcrumbs()
        assert [c["url"] for c in trail] == ["/zwolle/", "/zwolle/inwoners/"]
        assert g._menu is menu
