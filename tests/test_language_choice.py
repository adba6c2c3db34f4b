"""The language choice (issue 14 §7): kept at sign-in and stored per employee.

The locale of a request is the signed-in employee's stored choice, then the session's, then
Dutch (a browser's Accept-Language does not decide); ``<html lang>`` says which one was used. Every
sign-in here goes through the real slapd of the test fixtures.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.testing.helpers import csrf_token, login, post, signed_in


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found, page[:300]
    return found.group(1)


def stored_language(app, slug: str, username: str) -> str | None:  # type: ignore[no-untyped-def]
    from intranet.municipalities.service import by_slug

    with app.app_context():
        municipality = by_slug(slug)
        return db.session.execute(
            select(Employee.language).where(
                Employee.municipality_id == municipality.id, Employee.username == username
            )
        ).scalar_one()


def test_dutch_without_any_choice(demo, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/zwolle/inloggen").get_data(as_text=True)
    assert html_lang(page) == "nl"
    assert "Gebruikersnaam" in page


def test_an_english_browser_still_gets_dutch_until_english_is_chosen(demo, client) -> None:  # type: ignore[no-untyped-def]
    text = client.get("/zwolle/inloggen", headers={"Accept-Language": "en-US,en;q=0.8"})
    text = text.get_data(as_text=True)
    assert html_lang(text) == "nl"
    assert "Gebruikersnaam" in text and "User name" not in text
    client.get("/taal/en")
    page = client.get("/zwolle/inloggen", headers={"Accept-Language": "nl"})
    assert html_lang(page.get_data(as_text=True)) == "en"


def test_language_chosen_on_the_sign_in_page_is_kept_and_stored(demo, client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/taal/en", {"next": "/zwolle/inloggen"})
    assert response.status_code == 302 and response.headers["Location"] == "/zwolle/inloggen"
    page = client.get("/zwolle/inloggen").get_data(as_text=True)
    assert html_lang(page) == "en" and "User name" in page and "Gebruikersnaam" not in page
    assert login(client, "zwolle", "griffier").status_code == 302
    # the fresh session of the sign-in kept the choice, and the employee holds it now
    dashboard = client.get("/zwolle/").get_data(as_text=True)
    assert html_lang(dashboard) == "en"
    assert stored_language(demo, "zwolle", "griffier") == "en"


def test_switching_while_signed_in_is_stored_and_holds_on_a_new_device(demo) -> None:  # type: ignore[no-untyped-def]
    first = signed_in(demo, "zwolle", "griffier")
    assert html_lang(first.get("/zwolle/").get_data(as_text=True)) == "nl"
    assert post(first, "/taal/en", {"next": "/zwolle/"}).status_code == 302
    assert stored_language(demo, "zwolle", "griffier") == "en"
    assert html_lang(first.get("/zwolle/").get_data(as_text=True)) == "en"
    # another browser, with a Dutch Accept-Language and no session choice: the stored choice wins
    second = demo.test_client()
    assert login(second, "zwolle", "griffier").status_code == 302
    page = second.get("/zwolle/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert html_lang(page) == "en"
    # and back to Dutch, stored again
    assert post(second, "/taal/nl", {"next": "/zwolle/"}).status_code == 302
    assert stored_language(demo, "zwolle", "griffier") == "nl"
    page = first.get("/zwolle/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_lang(page) == "nl"


def test_a_get_of_the_language_link_changes_nothing_stored(demo) -> None:  # type: ignore[no-untyped-def]
    """Link previews and mail scanners fetch links: a GET keeps the choice in the session."""
    clerk = signed_in(demo, "zwolle", "griffier")
    clerk.get("/taal/en")
    assert stored_language(demo, "zwolle", "griffier") is None


def test_the_language_switch_is_a_form_with_csrf(demo, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/zwolle/inloggen").get_data(as_text=True)
    assert 'action="/taal/en"' in page and 'lang="en">English</button>' in page
    csrf_token(client, demo)
    refused = client.post("/taal/en", data={"next": "/zwolle/inloggen"})
    assert refused.status_code == 400  # no CSRF token
    english = client.get("/zwolle/inloggen").get_data(as_text=True)
    assert html_lang(english) == "nl"
    assert post(client, "/taal/fr").status_code == 404


def test_sign_in_without_a_choice_keeps_the_stored_one(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    post(clerk, "/taal/en")
    post(clerk, "/uitloggen")
    fresh = demo.test_client()  # a Dutch sign-in page: nothing chosen in this session
    assert login(fresh, "zwolle", "griffier").status_code == 302
    assert stored_language(demo, "zwolle", "griffier") == "en"
    assert html_lang(fresh.get("/zwolle/").get_data(as_text=True)) == "en"


def test_demo_accounts_are_described_in_english_too() -> None:
    """``make demo`` prints what each account is for in the terminal's language."""
    from intranet_dev.run_demo import ACCOUNTS, ACCOUNTS_EN, account_lines, english_terminal

    assert set(ACCOUNTS_EN) == {(slug, uid) for slug, uid, _n, _w in ACCOUNTS}
    assert all(ACCOUNTS_EN.values())
    assert english_terminal({"LANG": "en_GB.UTF-8"})
    assert not english_terminal({"LANG": "nl_NL.UTF-8"})
    assert not english_terminal({"LANGUAGE": "nl", "LANG": "en_US.UTF-8"})
    english = "\n".join(account_lines("127.0.0.1:8000", english=True))
    dutch = "\n".join(account_lines("127.0.0.1:8000", english=False))
    assert "council clerk" in english and "griffie: intake" not in english
    assert "griffie: intake" in dutch and "council clerk" not in dutch
    assert "ambtenaar" in english


def test_content_of_a_plugin_without_an_english_catalog_is_marked_dutch(app) -> None:  # type: ignore[no-untyped-def]
    """``lang`` true to the content: English chrome around a plugin page that has no English
    catalog (the test plugin ``everything`` has none) marks its main content Dutch."""
    from flask import render_template_string, request, session

    from intranet.web.i18n import content_language

    page = '{% extends "base.html" %}{% block content %}Alles-plugin{% endblock %}'
    with app.test_request_context("/zwolle/everything/"):
        assert request.blueprint == "everything"
        assert content_language() is None  # Dutch chrome, Dutch content
    with app.test_request_context("/zwolle/everything/"):
        session["locale"] = "en"  # before Flask-Babel settles this request's locale
        assert content_language() == "nl"
        html = render_template_string(page)
        assert '<html lang="en"' in html and '<main id="inhoud"' in html
        assert re.search(r'<main id="inhoud"[^>]* lang="nl"', html)
    state = app.extensions["intranet"]
    catalogs = app.extensions["intranet_catalogs"]
    translated = sorted(  # pages of plugins that bring an English catalog
        rule.rule.replace("<municipality>", "zwolle")
        for rule in app.url_map.iter_rules()
        if set(rule.arguments) == {"municipality"}
        and "en" in catalogs.get(state.blueprint_plugins.get(rule.endpoint.split(".")[0], ""), ())
    )
    assert translated  # at least one installed plugin brings an English catalog
    with app.test_request_context(translated[0]):
        session["locale"] = "en"
        assert request.blueprint in state.blueprint_plugins
        assert content_language() is None
    with app.test_request_context("/zwolle/inwoners/"):  # the core's own page
        session["locale"] = "en"
        assert content_language() is None
        main = render_template_string(page).split("<main", 1)[1].split(">", 1)[0]
        assert "lang=" not in main


def test_the_request_s_catalog_memo_follows_a_change_of_language(demo) -> None:  # type: ignore[no-untyped-def]
    """The catalog is looked up once per request and language (``RequestDomain``): a language
    forced for a mail, and the page's own language after it, each get their own catalog."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext

    from intranet.residents.models import RESIDENT_KINDS, Resident
    from intranet.web.i18n import text

    with demo.test_request_context("/"):
        assert gettext("Inwoners") == "Inwoners"
        assert render_template_string("{{ _('Inwoners') }}") == "Inwoners"
        with force_locale("en"):
            assert gettext("Inwoners") == "Residents"
            assert render_template_string("{{ _('Inwoners') }}") == "Residents"
            assert text(RESIDENT_KINDS["client"]) == "Client"
            assert Resident(kind="carer").kind_label == str(RESIDENT_KINDS["carer"])
        assert gettext("Inwoners") == "Inwoners"
        assert text(RESIDENT_KINDS["client"]) == "Cliënt"
        assert render_template_string("{{ _('Inwoners') }}") == "Inwoners"
