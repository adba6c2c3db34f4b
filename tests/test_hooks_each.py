"""One test per hook, named ``test_hook_<hook>`` (as Datasette does), each through the core's
real consumer of that hook: a page, a CLI command or a service, with the test plugin
``everything`` (tests/fake_site) enabled in Zwolle and off in Zaanstad.

``tests/test_hook_meta.py`` fails when a hook in ``intranet/hookspecs.py`` has no such test.
"""

from __future__ import annotations

import json
from datetime import date

import intranet_test_everything as everything
import pytest
from sqlalchemy import select

from intranet.access import service as access
from intranet.extensions import db
from intranet.municipalities import service
from intranet.plugin_api import participation_targets
from intranet.residents.models import Resident
from intranet.testing.helpers import post, signed_in


@pytest.fixture
def app_on(demo):  # type: ignore[no-untyped-def]
    """The demo with ``everything`` on in Zwolle, its permission given to employees there."""
    everything.CALLS.clear()
    everything.FAIL.clear()
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        service.set_plugin_enabled(zwolle, "everything", True, actor="test")
        access.grant_permissions(
            zwolle, access.role_by_name(zwolle, "medewerker"), ["everything.view"]
        )
        db.session.commit()
    everything.CALLS.clear()
    yield demo
    everything.FAIL.clear()


def _calls(hook: str) -> list[str | None]:
    return [slug for name, slug in everything.CALLS if name == hook]


def _cli(app, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["intranet", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _resident_id(app, slug: str = "zwolle") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        municipality = service.by_slug(slug)
        return (
            db.session.execute(
                select(Resident.id)
                .where(Resident.municipality_id == municipality.id)
                .order_by(Resident.id)
            )
            .scalars()
            .first()
        )


def test_hook_intranet_plugin_info(app_on) -> None:  # type: ignore[no-untyped-def]
    lines = _cli(app_on, "plugins", "list", "--municipality", "zwolle").splitlines()
    assert "everything\tAlles\t1.0\tzwolle: aan" in lines
    info = app_on.extensions["intranet"].plugins.infos["everything"]
    assert (info.name, info.title_en, info.origin) == ("everything", "Everything", "tests")


def test_hook_intranet_blueprints(app_on) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(app_on, "zwolle", "griffier").get("/zwolle/everything/")
    assert page.status_code == 200 and "Alles-plugin" in page.get_data(as_text=True)
    assert (
        signed_in(app_on, "zaanstad", "coordinator").get("/zaanstad/everything/").status_code == 404
    )


def test_hook_intranet_public_blueprints(app_on) -> None:  # type: ignore[no-untyped-def]
    client = app_on.test_client()  # not signed in
    page = client.get("/publiek/zwolle/everything/")
    assert page.status_code == 200 and "Publieke pagina" in page.get_data(as_text=True)
    assert client.get("/publiek/zaanstad/everything/").status_code == 404


def test_hook_intranet_permissions(app_on) -> None:  # type: ignore[no-untyped-def]
    output = _cli(app_on, "roles", "permissions")
    assert "everything.view" in output and "Alles bekijken" in output
    # the permission guards the plugin's page: without it, 403
    with app_on.app_context():
        zwolle = service.by_slug("zwolle")
        role = access.role_by_name(zwolle, "medewerker")
        role.permissions = [p for p in role.permissions if p.code != "everything.view"]
        db.session.commit()
    assert signed_in(app_on, "zwolle", "griffier").get("/zwolle/everything/").status_code == 403


def test_hook_intranet_navigation(app_on) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(app_on, "zwolle", "griffier").get("/zwolle/").get_data(as_text=True)
    assert 'href="/zwolle/everything/"' in page
    assert _calls("intranet_navigation") == ["zwolle"]
    everything.CALLS.clear()
    other = signed_in(app_on, "zaanstad", "coordinator").get("/zaanstad/").get_data(as_text=True)
    assert "/zaanstad/everything/" not in other and _calls("intranet_navigation") == []


def test_hook_intranet_dashboard_widgets(app_on) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(app_on, "zwolle", "griffier").get("/zwolle/").get_data(as_text=True)
    assert "Alles-widget" in page and "Hallo Jan de Vries" in page
    everything.FAIL.add("intranet_dashboard_widgets")
    failing = signed_in(app_on, "zwolle", "griffier").get("/zwolle/")
    assert failing.status_code == 200 and "kon niet worden getoond" in failing.get_data(
        as_text=True
    )


def test_hook_intranet_calendar_items(app_on) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(app_on, "zwolle", "griffier")
    page = client.get("/zwolle/kalender?jaar=2026&maand=7").get_data(as_text=True)
    assert "Alles-bijeenkomst" in page and "woensdag 15 juli 2026" in page
    assert "Alles-bijeenkomst" in client.get("/zwolle/kalender.ics").get_data(as_text=True)
    with app_on.app_context():
        from intranet.dashboard.calendar import items_between

        host = app_on.extensions["intranet"].plugins
        items = items_between(host, service.by_slug("zwolle"), date(2026, 2, 1), date(2026, 3, 1))
    assert [i.start.date() for i in items if i.title == "Alles-bijeenkomst"] == [date(2026, 2, 15)]


def test_hook_intranet_resident_data(app_on) -> None:  # type: ignore[no-untyped-def]
    resident_id = _resident_id(app_on)
    plain = _cli(app_on, "privacy", "export", str(resident_id), "--municipality", "zwolle")
    sections = {s["plugin"]: s for s in json.loads(plain)["sections"]}
    assert sections["everything"]["title"] == "Alles"
    assert "GGZ-wachtlijst" not in plain  # special category withheld without --special
    special = _cli(
        app_on, "privacy", "export", str(resident_id), "--municipality", "zwolle", "--special"
    )
    records = {s["plugin"]: s for s in json.loads(special)["sections"]}["everything"]["records"]
    assert records[0]["diagnose"] == "GGZ-wachtlijst"


def test_hook_intranet_erase_resident(app_on) -> None:  # type: ignore[no-untyped-def]
    resident_id = _resident_id(app_on)
    officer = signed_in(app_on, "zwolle", "beheerder")
    done = post(
        officer,
        f"/zwolle/inwoners/{resident_id}/verwijderen",
        {"reason": "Verzoek 2026-1", "confirm": "VERWIJDEREN"},
    )
    assert done.status_code == 200
    assert "Fiscale bewaarplicht" in done.get_data(as_text=True)  # what the plugin keeps, and why
    assert _calls("intranet_erase_resident") == ["zwolle"]


def test_hook_intranet_consent_purposes(app_on) -> None:  # type: ignore[no-untyped-def]
    plugin, purpose = app_on.extensions["intranet"].consent_purposes["everything.mail"]
    assert plugin == "everything" and purpose.label == "Alles-mail ontvangen"
    page = signed_in(app_on, "zwolle", "griffier").get(f"/zwolle/inwoners/{_resident_id(app_on)}")
    assert '<option value="everything.mail">Alles-mail ontvangen</option>' in page.get_data(
        as_text=True
    )


def test_hook_intranet_processing_activities(app_on) -> None:  # type: ignore[no-untyped-def]
    officer = signed_in(app_on, "zwolle", "beheerder")
    page = officer.get("/zwolle/privacy/verwerkingsregister").get_data(as_text=True)
    assert "Testen" in page and "Toestemming" in page
    assert set(_calls("intranet_processing_activities")) == {"zwolle"}
    other = signed_in(app_on, "zaanstad", "beheerder").get("/zaanstad/privacy/verwerkingsregister")
    assert other.status_code == 200 and "Testen" not in other.get_data(as_text=True)


def test_hook_intranet_retention_run(app_on) -> None:  # type: ignore[no-untyped-def]
    dry = _cli(app_on, "retention", "run", "--municipality", "zwolle", "--dry-run")
    assert "zwolle\teverything\talles\tzou verwijderen: 0" in dry.splitlines()
    done = _cli(app_on, "retention", "run", "--municipality", "zwolle")
    assert "zwolle\teverything\talles\tverwijderd: 1" in done.splitlines()


def test_hook_intranet_participation_targets(app_on) -> None:  # type: ignore[no-untyped-def]
    with app_on.test_request_context("/"):
        zwolle, zaanstad = service.by_slug("zwolle"), service.by_slug("zaanstad")
        titles = [t.title for t in participation_targets(zwolle)]
        assert "Alles-groep" in titles
        assert "Alles-groep" not in [
            t.title for t in participation_targets(zwolle, exclude=["everything"])
        ]
        assert "Alles-groep" not in [t.title for t in participation_targets(zaanstad)]


def test_hook_intranet_plugin_enabled(app_on) -> None:  # type: ignore[no-untyped-def]
    output = _cli(app_on, "plugins", "enable", "everything", "--municipality", "zaanstad")
    assert "aangezet" in output
    _cli(app_on, "plugins", "enable", "everything", "--municipality", "zaanstad")
    assert _calls("intranet_plugin_enabled") == ["zaanstad"]  # once, not again


def test_hook_intranet_plugin_disabled(app_on) -> None:  # type: ignore[no-untyped-def]
    output = _cli(app_on, "plugins", "disable", "everything", "--municipality", "zwolle")
    assert "uitgezet" in output
    assert _calls("intranet_plugin_disabled") == ["zwolle"]
    assert signed_in(app_on, "zwolle", "griffier").get("/zwolle/everything/").status_code == 404


def test_hook_intranet_demo_data(app_on) -> None:  # type: ignore[no-untyped-def]
    with app_on.app_context():
        proefstad = service.add_municipality("proefstad", "Gemeente Proefstad")
        host = app_on.extensions["intranet"].plugins
        host.call_plugin("everything", "intranet_demo_data", municipality=proefstad, residents=[])
        db.session.rollback()
    assert _calls("intranet_demo_data") == ["proefstad"]


def test_hook_intranet_register_commands(app_on) -> None:  # type: ignore[no-untyped-def]
    assert "alles-commando" in _cli(app_on, "alles")
    assert "alles" in _cli(app_on, "--help")
