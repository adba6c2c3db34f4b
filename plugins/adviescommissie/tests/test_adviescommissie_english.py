"""The plugin's own English catalog (plugins/adviescommissie/translations) is loaded: the
committee's secretary who chose English reads the register, forms and choices in English."""

from __future__ import annotations

import re

from intranet.testing.helpers import signed_in

BASE = "/zaanstad/adviescommissie"


def _main(html: str) -> str:
    """The page's own content (the menu around it belongs to the core)."""
    return re.search(r"<main.*?</main>", html, re.S).group(0)  # type: ignore[union-attr]


def _english(demo):  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zaanstad", "secretaris")
    assert client.get(f"/taal/en?next={BASE}/").status_code == 302
    return client


def test_register_is_english(demo) -> None:  # type: ignore[no-untyped-def]
    page = _main(_english(demo).get(f"{BASE}/").get_data(as_text=True))
    for english in ("Advice register", "Register advice request", "Start unsolicited advice"):
        assert english in page, english
    for dutch in ("Adviesregister", "Adviesaanvraag registreren", "Ongevraagd advies starten"):
        assert dutch not in page, dutch


def test_request_form_is_english(demo) -> None:  # type: ignore[no-untyped-def]
    page = _main(_english(demo).get(f"{BASE}/aanvragen/nieuw").get_data(as_text=True))
    for english in ("Policy area", "Type of document", "Policy proposal", "Participation Act"):
        assert english in page, english
    for dutch in ("Beleidsterrein", "Soort stuk", "Beleidsvoorstel", "Participatiewet"):
        assert dutch not in page, dutch
