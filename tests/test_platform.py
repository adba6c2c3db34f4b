"""Municipalities and plugin switches, from the CLI and from the operators' pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intranet.access import service as access
from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service
from intranet.municipalities.models import PluginState
from intranet.testing.helpers import post, signed_in


def cli(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["intranet", *args])


def test_municipality_add_and_list(app) -> None:  # type: ignore[no-untyped-def]
    result = cli(app, "municipality", "add", "deventer", "Gemeente Deventer")
    assert result.exit_code == 0, result.output
    listing = cli(app, "municipality", "list")
    assert "deventer\tGemeente Deventer\tactief" in listing.output
    with app.app_context():
        m = service.by_slug("deventer")
        assert {r.name for r in access.roles_of(m)} >= {"medewerker", "functioneel-beheerder"}
        assert (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "municipality.created")
            )
            .scalar_one()
            .actor.startswith("cli")
        )


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Zwolle!", "kleine letters"),
        ("beheer", "gereserveerd"),
        ("x", "2 tot 40"),
        ("publiek", "gereserveerd"),
    ],
)
def test_municipality_add_refuses_bad_slugs(app, slug, message) -> None:  # type: ignore[no-untyped-def]
    result = cli(app, "municipality", "add", slug, "Iets")
    assert result.exit_code != 0
    assert message in result.output


def test_municipality_add_twice_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    assert cli(app, "municipality", "add", "kampen", "Gemeente Kampen").exit_code == 0
    again = cli(app, "municipality", "add", "kampen", "Gemeente Kampen")
    assert again.exit_code != 0 and "bestaat al" in again.output


def test_plugins_list_shows_status_and_failures(demo) -> None:  # type: ignore[no-untyped-def]
    out = cli(demo, "plugins", "list", "--municipality", "zwolle").output
    assert re.search(r"raadsgesprekken\tRaadsgesprekken\t[0-9.]+\tzwolle: aan", out)
    assert "meedenkgroepen\t" in out and "zwolle: uit" in out
    assert "broken\tKON NIET LADEN" in out and "broken on purpose" in out
    everywhere = cli(demo, "plugins", "list").output
    assert "zaanstad: aan" in everywhere


def test_enable_disable_gates_routes_and_keeps_data(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        access.grant_permissions(
            zwolle, access.role_by_name(zwolle, "medewerker"), ["everything.view"]
        )
        db.session.commit()
    client = signed_in(demo, "zwolle", "griffier")
    assert client.get("/zwolle/everything/").status_code == 404
    assert cli(demo, "plugins", "enable", "everything", "--municipality", "zwolle").exit_code == 0
    assert client.get("/zwolle/everything/").status_code == 200
    assert 'href="/zwolle/everything/"' in client.get("/zwolle/").get_data(as_text=True)
    result = cli(demo, "plugins", "disable", "everything", "--municipality", "zwolle")
    assert result.exit_code == 0 and "uitgezet" in result.output
    assert client.get("/zwolle/everything/").status_code == 404
    assert 'href="/zwolle/everything/"' not in client.get("/zwolle/").get_data(as_text=True)
    with demo.app_context():
        actions = [
            e.action
            for e in db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.object_id == "everything")
                .order_by(AuditEvent.id)
            ).scalars()
        ]
        assert actions == ["plugin.enabled", "plugin.disabled"]
        state = db.session.execute(
            select(PluginState).where(PluginState.plugin_name == "everything")
        ).scalar_one()
        assert state.enabled is False  # the row (and the plugin's data) stays


def test_disabling_a_plugin_keeps_its_data(demo) -> None:  # type: ignore[no-untyped-def]
    """Rows of a disabled plugin stay in the database; enabling again shows them."""
    with demo.app_context():
        before = {
            t.name: db.session.execute(select(db.func.count()).select_from(t)).scalar_one()
            for t in db.metadata.sorted_tables
            if t.name.startswith("raadsgesprekken")
        }
    assert (
        cli(demo, "plugins", "disable", "raadsgesprekken", "--municipality", "zwolle").exit_code
        == 0
    )
    with demo.app_context():
        after = {
            t.name: db.session.execute(select(db.func.count()).select_from(t)).scalar_one()
            for t in db.metadata.sorted_tables
            if t.name.startswith("raadsgesprekken")
        }
    assert after == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plugins", "enable", "bestaatniet", "--municipality", "zwolle"],
            "Onbekende plugin 'bestaatniet'",
        ),
        (
            ["plugins", "enable", "raadsgesprekken", "--municipality", "nergens"],
            "Gemeente 'nergens' bestaat niet",
        ),
        (["plugins", "enable", "broken", "--municipality", "zwolle"], "kon niet worden geladen"),
        (["plugins", "list", "--municipality", "nergens"], "bestaat niet"),
        (
            ["roles", "map", "cn=x,dc=y", "geenrol", "--municipality", "zwolle"],
            "Rol 'geenrol' bestaat niet",
        ),
        (
            [
                "roles",
                "create",
                "x",
                "--municipality",
                "zwolle",
                "--title",
                "X",
                "--permission",
                "nope.x",
            ],
            "Onbekende rechten",
        ),
    ],
)
def test_unknown_names_give_clear_error_and_nonzero_exit(demo, args, message) -> None:  # type: ignore[no-untyped-def]
    result = cli(demo, *args)
    assert result.exit_code != 0
    assert message in result.output


def test_roles_map_gives_role_at_next_sign_in(demo) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zwolle", "beleid")
    assert client.get("/zwolle/audit/").status_code == 403
    result = cli(
        demo,
        "roles",
        "map",
        "CN=Beleidsmedewerkers,ou=groups,dc=zwolle,dc=demo",
        "functioneel-beheerder",
        "--municipality",
        "zwolle",
    )
    assert result.exit_code == 0, result.output
    client = signed_in(demo, "zwolle", "beleid")
    assert client.get("/zwolle/audit/").status_code == 200
    assert "functioneel-beheerder" in cli(demo, "roles", "list", "--municipality", "zwolle").output


def test_operator_pages_only_for_operators(demo) -> None:  # type: ignore[no-untyped-def]
    assert signed_in(demo, "zwolle", "beheerder").get("/beheer/").status_code == 403
    operator = signed_in(demo, "zwolle", "itbeheer")
    page = operator.get("/beheer/")
    assert page.status_code == 200 and "Gemeente Zaanstad" in page.get_data(as_text=True)
    assert "broken" in page.get_data(as_text=True)
    assert demo.test_client().get("/beheer/").status_code in (302, 404)


def test_operator_enables_plugin_from_the_page(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    response = post(
        operator, "/beheer/zaanstad/plugins", {"plugin": "raadsgesprekken", "action": "enable"}
    )
    assert response.status_code == 302
    with demo.app_context():
        assert "raadsgesprekken" in demo.extensions["intranet"].plugins.enabled_names(
            service.by_slug("zaanstad")
        )
        event = (
            db.session.execute(
                select(AuditEvent)
                .where(
                    AuditEvent.action == "plugin.enabled", AuditEvent.object_id == "raadsgesprekken"
                )
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()[-1]
        )
        assert event.actor == "itbeheer"
    page = operator.get("/beheer/zaanstad/plugins").get_data(as_text=True)
    assert "Raadsgesprekken is aangezet" in page


def test_operator_page_refuses_unknown_plugin_without_500(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    response = post(
        operator,
        "/beheer/zaanstad/plugins",
        {"plugin": "bestaatniet", "action": "enable"},
        follow_redirects=True,
    )
    assert response.status_code == 200 and "Onbekende plugin" in response.get_data(as_text=True)
    assert (
        post(operator, "/beheer/zaanstad/plugins", {"plugin": "x", "action": "delete"}).status_code
        == 400
    )
    assert operator.get("/beheer/nergens/plugins").status_code == 404


def test_add_municipality_form_validates_in_dutch(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    response = post(operator, "/beheer/", {"slug": "Niet Goed", "name": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Gebruik 2 tot 40 kleine letters" in body and "Vul de naam van de gemeente in." in body
    assert 'value="Niet Goed"' in body
    ok = post(operator, "/beheer/", {"slug": "hattem", "name": "Gemeente Hattem"})
    assert ok.status_code == 302
    duplicate = post(operator, "/beheer/", {"slug": "hattem", "name": "Gemeente Hattem"})
    assert duplicate.status_code == 400 and "bestaat al" in duplicate.get_data(as_text=True)
