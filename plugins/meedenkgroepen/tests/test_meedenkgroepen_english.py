"""The plugin's own English catalog (plugins/meedenkgroepen/translations) is loaded: an
employee who chose English reads the plugin's pages, labels and messages in English."""

from __future__ import annotations

import re

from test_meedenkgroepen_support import BASE
from test_meedenkgroepen_trajectory_participants import _add, _setup

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


def test_trajectory_participants_are_english(demo) -> None:  # type: ignore[no-untyped-def]
    """The step-3 participants form: labels, empty choices, the either/or errors next to the
    field and the flash after recording one."""
    ids = _setup(demo)
    client = signed_in(demo, "zaanstad", "ambtenaar")
    assert client.get(f"/taal/en?next={BASE}/").status_code == 302
    page = _main(client.get(f"{BASE}/trajecten/{ids['t']}").get_data(as_text=True))
    for english in (
        "Participants from the register",
        "Group of participants",
        "— No resident —",
        "Or an organisation",
        "— No organisation —",
        "Record participant",
    ):
        assert english in page, english
    for dutch in ("Deelnemers uit het register", "Of een organisatie", "Deelnemer vastleggen"):
        assert dutch not in page, dutch
    neither = _add(client, ids).get_data(as_text=True)
    assert "Please choose a resident or an organisation." in neither
    both = _add(client, ids, resident_id=str(ids["ans"]), organisation_id=str(ids["org"]))
    assert "Please choose a resident or an organisation, not both." in both.get_data(as_text=True)
    assert _add(client, ids, organisation_id=str(ids["org"])).status_code == 302
    detail = client.get(f"{BASE}/trajecten/{ids['t']}").get_data(as_text=True)
    assert "The participant has been recorded." in detail
    again = _add(client, ids, organisation_id=str(ids["org"])).get_data(as_text=True)
    assert "This organisation already belongs to this group of participants." in again


def test_words_the_core_also_uses_keep_their_meaning_here(demo) -> None:  # type: ignore[no-untyped-def]
    """ "Aangemeld" and "Afgemeld" are "signed in/out" in the core's audit log; a group member
    signed up or left (a msgid in a context of its own)."""
    client = _english(demo)
    index = client.get(f"{BASE}/").get_data(as_text=True)
    group = re.search(rf'href="{BASE}/groepen/(\d+)"', index).group(1)  # type: ignore[union-attr]
    page = _main(client.get(f"{BASE}/groepen/{group}").get_data(as_text=True))
    assert "Signed up" in page and ">Left<" in page
    assert "Signed in" not in page and "Signed out" not in page
