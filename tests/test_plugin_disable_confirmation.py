"""Switching a plugin off for a whole municipality asks first, listing what will happen;
only the explicit second submit switches it off."""

from __future__ import annotations

from intranet.extensions import db
from intranet.municipalities import service
from intranet.testing.helpers import post, signed_in


def _enabled(app, slug: str) -> frozenset[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        host = app.extensions["intranet"].plugins
        host.forget_enabled()
        return host.enabled_names(service.by_slug(slug))


def test_disable_shows_consequences_then_needs_confirmation(demo) -> None:  # type: ignore[no-untyped-def]
    assert "raadsgesprekken" in _enabled(demo, "zwolle")
    griffier = signed_in(demo, "zwolle", "griffier")  # holds raadsgesprekken rights
    assert griffier.get("/zwolle/raadsgesprekken/").status_code == 200
    operator = signed_in(demo, "zwolle", "itbeheer")
    response = post(
        operator, "/beheer/zwolle/plugins", {"plugin": "raadsgesprekken", "action": "disable"}
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Raadsgesprekken uitzetten voor" in body
    assert "menu-onderdelen verdwijnen" in body
    assert "medewerker" in body and "rechten in dit onderdeel" in body
    assert "gegevens blijven bewaard" in body
    assert 'name="bevestigd" value="ja"' in body
    # nothing changed yet
    assert "raadsgesprekken" in _enabled(demo, "zwolle")
    assert griffier.get("/zwolle/raadsgesprekken/").status_code == 200

    response = post(
        operator,
        "/beheer/zwolle/plugins",
        {"plugin": "raadsgesprekken", "action": "disable", "bevestigd": "ja"},
    )
    assert response.status_code == 302
    assert "raadsgesprekken" not in _enabled(demo, "zwolle")
    with demo.app_context():
        db.session.remove()


def test_a_plugin_with_resident_links_warns_that_they_stop_working(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    assert "meedenkgroepen" in _enabled(demo, "zaanstad")
    body = post(
        operator, "/beheer/zaanstad/plugins", {"plugin": "meedenkgroepen", "action": "disable"}
    ).get_data(as_text=True)
    assert "Links die inwoners hebben gekregen" in body
    assert "meedenkgroepen" in _enabled(demo, "zaanstad")
