"""The plugin's own English catalog (plugins/meedenkgroepen/translations) is loaded: an
employee who chose English reads the plugin's pages, labels and messages in English."""

from __future__ import annotations

import re

from test_meedenkgroepen_support import BASE

from intranet.testing.helpers import signed_in


def _main(html: str) -> str:
    """The page's own content (the menu around it belongs to the core)."""
    return re.search(r"<main.*?</main>", html, re.S).group(0)  # type: ignore[union-attr]


def _english(demo):  # type: ignore[no-untyped-def]
    client = signed_in(demo, "zaanstad", "coordinator")
    assert client.get(f"/taal/en?next={BASE}/").status_code == 302
    return client


def test_start_page_is_english(demo) -> None:  # type: ignore[no-untyped-def]
    page = _main(_english(demo).get(f"{BASE}/").get_data(as_text=True))
    for english in (
        "Think-along groups and panels",
        "Panels for questionnaires",
        "Trajectories for new policy (6-step method)",
        "Proposals for new groups",
        "Create think-along group",
    ):
        assert english in page, english
    for dutch in (
        "Meedenkgroepen en panels",
        "Panels voor vragenlijsten",
        "Voorstellen voor nieuwe groepen",
        "Meedenkgroep aanmaken",
    ):
        assert dutch not in page, dutch


def test_form_labels_and_step_names_are_english(demo) -> None:  # type: ignore[no-untyped-def]
    client = _english(demo)
    form = _main(client.get(f"{BASE}/trajecten/nieuw").get_data(as_text=True))
    assert "Origin of the idea or question" in form and "From a resident" in form
    assert "Herkomst van het idee of de vraag" not in form and "Vanuit een inwoner" not in form
    listing = _main(client.get(f"{BASE}/trajecten").get_data(as_text=True))
    assert "Trajectories for new policy" in listing and "Start trajectory" in listing
    assert "Traject starten" not in listing


def test_dutch_stays_the_default(demo) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(demo, "zaanstad", "coordinator").get(f"{BASE}/").get_data(as_text=True)
    assert "Meedenkgroepen en panels" in page and "Think-along groups and panels" not in page
