"""The plugin contract: every hook documented and tested, and each behaves as docs/plugins.md says.

Like Datasette's test_plugins.py; tests/test_hook_meta.py checks that each hook has a test
named for it (tests/test_hooks_each.py) and its exact signature in docs/plugins.md.
"""

from __future__ import annotations

import inspect
import re
from datetime import date
from pathlib import Path

import intranet_test_everything as everything
import pytest
from icalendar import Calendar

from intranet import hookspecs
from intranet.extensions import db
from intranet.municipalities import service
from intranet.testing.helpers import signed_in
from intranet.timeutil import utcnow

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("intranet_")
)


def test_there_are_hooks() -> None:
    assert len(HOOKS) >= 15


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_signature(hook: str) -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text()
    params = [p for p in inspect.signature(getattr(hookspecs, hook)).parameters]
    heading = re.search(rf"^### `{hook}\(([^)]*)\)", docs, re.M)
    assert heading, f"docs/plugins.md has no '### `{hook}(...)`' heading"
    documented = [p.split(":")[0].strip() for p in heading.group(1).split(",") if p.strip()]
    assert documented == params


@pytest.mark.parametrize("hook", HOOKS)
def test_everything_plugin_implements_hook(hook: str) -> None:
    assert callable(getattr(everything, hook, None))


# -- per-hook tests --


@pytest.fixture
def zwolle_with_everything(demo):  # type: ignore[no-untyped-def]
    everything.CALLS.clear()
    everything.FAIL.clear()
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        service.set_plugin_enabled(zwolle, "everything", True, actor="test")
        from intranet.access import service as access

        role = access.role_by_name(zwolle, "medewerker")
        access.grant_permissions(zwolle, role, ["everything.view"])
        db.session.commit()
    yield demo
    everything.FAIL.clear()


def _calls(hook: str) -> list[str | None]:
    return [slug for name, slug in everything.CALLS if name == hook]


def test_plugin_info_and_load_failure_listed(app) -> None:  # type: ignore[no-untyped-def]
    host = app.extensions["intranet"].plugins
    assert host.infos["everything"].title_en == "Everything"
    assert "intranet_plugin_info" in HOOKS
    assert "broken" in host.failures and "broken on purpose" in host.failures["broken"].error
    assert {"raadsgesprekken", "meedenkgroepen", "adviescommissie", "everything"} <= set(
        host.plugin_names
    )


def test_blueprints_and_public_blueprints_are_mounted(app) -> None:  # type: ignore[no-untyped-def]
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert "/<municipality>/everything/" in rules  # intranet_blueprints
    assert "/publiek/<municipality>/everything/" in rules  # intranet_public_blueprints


def test_public_blueprint_needs_no_sign_in_but_an_enabled_plugin(zwolle_with_everything) -> None:  # type: ignore[no-untyped-def]
    client = zwolle_with_everything.test_client()
    assert client.get("/publiek/zwolle/everything/").status_code == 200
    assert client.get("/publiek/zaanstad/everything/").status_code == 404


def test_consent_purposes_are_offered_on_the_consent_form(demo) -> None:  # type: ignore[no-untyped-def]
    plugin, purpose = demo.extensions["intranet"].consent_purposes[
        "everything.mail"
    ]  # intranet_consent_purposes
    assert plugin == "everything" and purpose.label == "Alles-mail ontvangen"
    clerk = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        from intranet.residents.models import Resident
        from intranet.tenancy import scoped

        resident_id = (
            db.session.execute(scoped(Resident, service.by_slug("zwolle"))).scalars().first().id
        )
    page = clerk.get(f"/zwolle/inwoners/{resident_id}").get_data(as_text=True)
    assert '<option value="everything.mail">Alles-mail ontvangen</option>' in page
    assert "Benaderd worden voor participatie" in page


def test_permissions_are_registered_with_their_plugin(app) -> None:  # type: ignore[no-untyped-def]
    plugin, perm = app.extensions["intranet"].permissions["everything.view"]  # intranet_permissions
    assert plugin == "everything" and perm.label == "Alles bekijken"


def test_navigation_and_widgets_only_where_enabled(zwolle_with_everything) -> None:  # type: ignore[no-untyped-def]
    app = zwolle_with_everything
    page = signed_in(app, "zwolle", "griffier").get("/zwolle/").get_data(as_text=True)
    assert 'href="/zwolle/everything/"' in page  # intranet_navigation
    assert "Alles-widget" in page and "Hallo Jan de Vries" in page  # intranet_dashboard_widgets
    assert _calls("intranet_navigation") == ["zwolle"]
    everything.CALLS.clear()
    other = signed_in(app, "zaanstad", "coordinator").get("/zaanstad/").get_data(as_text=True)
    assert "Alles" not in other
    assert _calls("intranet_navigation") == [] and _calls("intranet_dashboard_widgets") == []


def test_failing_hook_becomes_a_notice_not_a_500(zwolle_with_everything) -> None:  # type: ignore[no-untyped-def]
    everything.FAIL.add("intranet_dashboard_widgets")
    response = signed_in(zwolle_with_everything, "zwolle", "griffier").get("/zwolle/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "kon niet worden getoond" in body and "Alles" in body
    assert "Inwoners" in body  # the core's own widget still shows


def test_calendar_items_on_page_and_in_feed(zwolle_with_everything) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(zwolle_with_everything, "zwolle", "griffier")
    page = client.get("/zwolle/kalender?jaar=2026&maand=7")
    assert "Alles-bijeenkomst" in page.get_data(as_text=True)  # intranet_calendar_items
    assert "woensdag 15 juli 2026" in page.get_data(as_text=True)
    feed = client.get("/zwolle/kalender.ics")
    assert feed.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert any(str(e["SUMMARY"]) == "Alles-bijeenkomst" for e in events)
    start = next(e for e in events if str(e["SUMMARY"]) == "Alles-bijeenkomst")["DTSTART"].dt
    assert start.hour == 14 and str(start.tzinfo) in ("Europe/Amsterdam",)


def test_calendar_with_nonsense_month_shows_current_month(zwolle_with_everything) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(zwolle_with_everything, "zwolle", "griffier")
    response = client.get("/zwolle/kalender?jaar=abc&maand=13")
    assert response.status_code == 200
    assert "Die maand bestaat niet" in response.get_data(as_text=True)


def test_resident_data_erasure_processing_retention_targets_reach_enabled_plugins(
    zwolle_with_everything,
) -> None:  # type: ignore[no-untyped-def]
    app = zwolle_with_everything
    with app.app_context():
        host = app.extensions["intranet"].plugins
        zwolle, zaanstad = service.by_slug("zwolle"), service.by_slug("zaanstad")
        from intranet.residents.models import Resident
        from intranet.tenancy import scoped

        resident = db.session.execute(scoped(Resident, zwolle)).scalars().first()
        data = {
            r.plugin: r.value
            for r in host.call_for(zwolle, "intranet_resident_data", resident=resident)
        }
        assert data["everything"].records == [{"naam": resident.name, "diagnose": "GGZ-wachtlijst"}]
        assert data["core"].records[0]["naam"] == resident.name
        erased = {
            r.plugin: r.value
            for r in host.call_for(
                zwolle, "intranet_erase_resident", resident=resident, reason="verzoek"
            )
        }
        assert erased["everything"].kept == [("factuur", "Fiscale bewaarplicht")]
        activities = [r.plugin for r in host.call_for(zwolle, "intranet_processing_activities")]
        assert "everything" in activities and "core" in activities
        report = {
            r.plugin: r.value
            for r in host.call_for(zwolle, "intranet_retention_run", now=utcnow(), dry_run=True)
        }
        assert report["everything"].deleted == {"alles": 0}
        targets = [r.value for r in host.call_for(zwolle, "intranet_participation_targets")]
        assert any(t and t[0].title == "Alles-groep" for t in targets)
        everything.CALLS.clear()
        host.call_for(zaanstad, "intranet_participation_targets")
        host.call_for(zaanstad, "intranet_resident_data", resident=resident)
        assert everything.CALLS == []


def test_enabled_and_disabled_callbacks_run_once_for_that_plugin(demo) -> None:  # type: ignore[no-untyped-def]
    everything.CALLS.clear()
    with demo.app_context():
        zaanstad = service.by_slug("zaanstad")
        assert service.set_plugin_enabled(zaanstad, "everything", True) is True
        assert service.set_plugin_enabled(zaanstad, "everything", True) is False
        assert service.set_plugin_enabled(zaanstad, "everything", False) is True
        db.session.commit()
    assert _calls("intranet_plugin_enabled") == ["zaanstad"]
    assert _calls("intranet_plugin_disabled") == ["zaanstad"]


def test_demo_data_hook_is_called_for_the_plugin(app) -> None:  # type: ignore[no-untyped-def]
    everything.CALLS.clear()
    with app.app_context():
        m = service.add_municipality("proefstad", "Gemeente Proefstad")
        app.extensions["intranet"].plugins.call_plugin(
            "everything", "intranet_demo_data", municipality=m, residents=[]
        )
    assert _calls("intranet_demo_data") == ["proefstad"]


def test_register_commands_adds_a_cli_command(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["intranet", "alles"])
    assert "alles-commando" in result.output  # intranet_register_commands


def test_calendar_bounds_are_passed(zwolle_with_everything) -> None:  # type: ignore[no-untyped-def]
    with zwolle_with_everything.app_context():
        from intranet.dashboard.calendar import items_between

        host = zwolle_with_everything.extensions["intranet"].plugins
        items = items_between(host, service.by_slug("zwolle"), date(2026, 2, 1), date(2026, 3, 1))
    assert [i.start.day for i in items if i.title == "Alles-bijeenkomst"] == [15]
