"""The plugin's own English catalog (plugins/raadsgesprekken/translations) is loaded: a clerk
who chose English reads the plugin's pages, form labels and choices in English; mails and
letters to residents stay in the default language."""

from __future__ import annotations

import re

from intranet.testing.helpers import signed_in

BASE = "/zwolle/raadsgesprekken"


def _main(html: str) -> str:
    """The page's own content (the menu around it belongs to the core)."""
    return re.search(r"<main.*?</main>", html, re.S).group(0)  # type: ignore[union-attr]


def _english(demo):  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zwolle", "griffier")
    assert client.get(f"/taal/en?next={BASE}/").status_code == 302
    return client


def test_start_page_is_english(demo) -> None:  # type: ignore[no-untyped-def]
    page = _main(_english(demo).get(f"{BASE}/").get_data(as_text=True))
    for english in ("Council conversations", "Register a new request", "Upcoming conversations"):
        assert english in page, english
    for dutch in (
        "Nieuwe aanvraag registreren",
        "Komende gesprekken",
        "Verslagen nog te schrijven",
    ):
        assert dutch not in page, dutch


def test_request_form_is_english(demo) -> None:  # type: ignore[no-untyped-def]
    page = _main(_english(demo).get(f"{BASE}/aanvragen/nieuw").get_data(as_text=True))
    for english in ("Who is requesting the conversation", "A carer", "At the resident's home"):
        assert english in page, english
    for dutch in ("Wie vraagt het gesprek aan", "Een mantelzorger", "Bij de inwoner thuis"):
        assert dutch not in page, dutch
