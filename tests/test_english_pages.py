"""The core's pages in English (issue 14 §7): English chrome, ``<html lang="en">``.

An employee holding every permission chooses English and crawls every page of the core the
links reach (``intranet.testing.crawl``; plugin pages are left to the plugins' own tests); so
does a platform operator for /beheer, and an anonymous visitor for the sign-in page. No page
of the core may show a Dutch source text of the core's catalog: each sentence of the catalog
(two words or more, between its placeholders) is looked for in the page's visible text.
Residents' data is Dutch and stays so; it does not contain the catalog's sentences.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask

from intranet.testing.crawl import all_permissions, crawl, grant_role
from intranet.testing.helpers import post, signed_in

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "intranet" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def outside_texts() -> str:
    """Texts the core does not own: the plugins' sources (a plugin's permission labels or
    processing activities on a core page are the plugin's to translate, and its own tests
    check them) and the demo's data and configuration (a reach group's description, the data
    protection officer's name)."""
    files = [*(ROOT / "plugins").rglob("*.py"), *(ROOT / "plugins").rglob("*.html")]
    # the demo's data and configuration: what municipalities and employees typed is data
    files += [*(ROOT / "dev").rglob("*.py"), *(ROOT / "intranet").rglob("demo.py")]
    files.append(ROOT / "deploy" / "demo" / "intranet.toml")
    return "\n".join(f.read_text(encoding="utf-8") for f in files if "tests" not in f.parts)


def dutch_sentences() -> set[str]:
    """The core's Dutch source texts that a translated English page must not show."""
    outside = outside_texts()
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    found = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source in ids:
            if source in strings:
                continue  # the same in both languages ("Privacy", "Website")
            parts = PLACEHOLDER.split(source)
            for part in parts:
                part = part.strip(" .,:;()")
                # a whole text of two words or more; a piece between placeholders needs four,
                # so that a few common words in Dutch data ("in alle plugins") do not count
                words = 2 if len(parts) == 1 else 4
                if len(part) >= 12 and len(part.split()) >= words and part not in outside:
                    found.add(part)
    return found


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    labels = " ".join(re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)) + " " + labels)


def core_endpoint(app: Flask, endpoint: str) -> bool:
    blueprint = endpoint.rsplit(".", 1)[0] if "." in endpoint else ""
    return blueprint not in app.extensions["intranet"].blueprint_plugins


def check_pages(app: Flask, client, slug: str | None, sentences: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Crawl in English and check every HTML page of the core; return the pages checked."""
    result = crawl(app, client, slug, per_endpoint=2)
    checked = []
    for endpoint, paths in sorted(result.pages.items()):
        if not core_endpoint(app, endpoint):
            continue
        for path in paths:
            response = client.get(path)
            if response.status_code != 200 or "html" not in (response.content_type or ""):
                continue
            page = response.get_data(as_text=True)
            assert '<html lang="en"' in page, path
            text = visible_text(page)
            dutch = sorted(s for s in sentences if s in text)
            assert not dutch, f"{path} shows Dutch: {dutch}"
            checked.append(path)
    print(f"{len(checked)} pages of the core checked in English ({slug or 'platform'})")
    return checked


def test_every_core_page_is_english_for_an_employee(demo) -> None:  # type: ignore[no-untyped-def]
    client = grant_role(demo, "zwolle", "griffier", "alles", all_permissions(demo))
    assert post(client, "/taal/en", {"next": "/zwolle/"}).status_code == 302
    sentences = dutch_sentences()
    assert len(sentences) > 300
    checked = check_pages(demo, client, "zwolle", sentences)
    # the start page, the lists, the administration: the crawl reached the core's main pages
    for must in (
        "/zwolle/",
        "/zwolle/inwoners/",
        "/zwolle/toegang/",
        "/zwolle/audit/",
        "/zwolle/privacy/verwerkingsregister",
    ):
        assert any(p == must or p.startswith(must + "?") for p in checked), (must, checked)
    assert len(checked) >= 40, checked

    dashboard = client.get("/zwolle/").get_data(as_text=True)
    assert "Sign out" in dashboard and "Uitloggen" not in dashboard
    assert ">Home<" in dashboard and ">Calendar<" in dashboard and ">Residents<" in dashboard
    access = client.get("/zwolle/toegang/").get_data(as_text=True)
    assert "Access" in access and "Toegang" not in visible_text(access)
    roles = client.get("/zwolle/toegang/rollen/").get_data(as_text=True)
    assert "View residents" in roles and "Inwoners bekijken" not in roles  # permission labels


def test_platform_administration_is_english(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    post(operator, "/taal/en")
    checked = check_pages(demo, operator, None, dutch_sentences())
    assert any(p.startswith("/beheer/") for p in checked), checked
    page = operator.get("/beheer/").get_data(as_text=True)
    assert "Platform administration" in page and "Platformbeheer" not in page


def test_sign_in_page_and_errors_in_english(demo, client) -> None:  # type: ignore[no-untyped-def]
    post(client, "/taal/en", {"next": "/zwolle/inloggen"})
    page = client.get("/zwolle/inloggen").get_data(as_text=True)
    assert '<html lang="en"' in page
    for english in ("User name", "Password", "Sign in"):
        assert english in page
    for dutch in ("Gebruikersnaam", "Wachtwoord", "Inloggen"):
        assert dutch not in visible_text(page)
    refused = post(client, "/zwolle/inloggen", {"username": "", "password": ""})
    assert refused.status_code == 400
    assert "Please enter your user name." in refused.get_data(as_text=True)
    wrong = post(client, "/zwolle/inloggen", {"username": "griffier", "password": "fout"})
    assert wrong.status_code == 401
    assert "Incorrect user name or password." in wrong.get_data(as_text=True)
    missing = client.get("/zwolle/bestaat-niet")
    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)
    assert "Pagina niet gevonden" not in missing.get_data(as_text=True)


def test_audit_events_read_as_english_sentences(app) -> None:  # type: ignore[no-untyped-def]
    """A plugin's event code reads "<plugin's English title>: <thing> <verb>" in English."""
    from flask import session

    from intranet.audit.labels import action_label

    with app.test_request_context():
        session["locale"] = "en"
        title = app.extensions["intranet"].plugins.infos["raadsgesprekken"].title_en
        assert action_label("raadsgesprekken.appointment.held") == f"{title}: Appointment held"
        assert action_label("meedenkgroepen.questionnaire.send_requested").endswith(
            ": Questionnaire sending requested"
        )
        assert action_label("auth.login") == "Signed in"
