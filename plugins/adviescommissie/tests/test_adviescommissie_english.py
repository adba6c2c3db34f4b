"""The plugin's own English catalog (plugins/adviescommissie/translations) is loaded: the
committee's secretary who chose English reads the register, forms and choices in English."""

from __future__ import annotations

import re

from test_adviescommissie_consultations import _add, _setup

from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, signed_in

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


def test_register_columns_and_consultations_are_english(demo) -> None:  # type: ignore[no-untyped-def]
    """The sortable headers of the register, the consultations on an advice's page, and the
    messages of recording one: labels, choices, errors next to the field and the flash."""
    ids = _setup(demo)
    client = _english(demo)
    register = _main(client.get(f"{BASE}/").get_data(as_text=True))
    for english in ("Subject", "Received", "Deadline"):
        assert english in register, english
    for dutch in ("Onderwerp", "Uiterste datum"):
        assert dutch not in register, dutch
    page = _main(client.get(f"{BASE}/dossiers/{ids['advice']}").get_data(as_text=True))
    for english in (
        "Consulted for this advice",
        "No organisations consulted yet.",
        "— Choose an organisation —",
        "Consulted on",
        "Record consultation",
    ):
        assert english in page, english
    for dutch in ("Geraadpleegd voor dit advies", "Kies een organisatie", "Raadpleging vastleggen"):
        assert dutch not in page, dutch
    today = local_today().isoformat()
    refused = _add(client, ids, organisation_id="0", consulted_on=today)
    assert refused.status_code == 400
    assert form_errors(refused.get_data(as_text=True)) == [
        "Please choose an organisation from the list."
    ]
    assert (
        _add(client, ids, organisation_id=str(ids["ours"]), consulted_on=today).status_code == 302
    )
    assert "The consultation has been recorded." in client.get(
        f"{BASE}/dossiers/{ids['advice']}"
    ).get_data(as_text=True)
    twice = _add(client, ids, organisation_id=str(ids["ours"]), consulted_on=today)
    assert twice.status_code == 400
    assert "This organisation is already listed with this advice." in twice.get_data(as_text=True)


def test_a_members_term_is_not_a_deadline(demo) -> None:  # type: ignore[no-untyped-def]
    """ "Termijn" is a deadline in the core's feedback ledger; a committee member's is a term (a
    msgid in a context of its own), as "Afgemeld" at a meeting is sending apologies."""
    page = _main(_english(demo).get(f"{BASE}/commissie").get_data(as_text=True))
    assert ">Term<" in page and ">Deadline<" not in page
    with demo.test_request_context("/"):
        from flask_babel import force_locale

        from plugins.adviescommissie.models import ATTENDANCE

        with force_locale("en"):
            assert str(ATTENDANCE["excused"]) == "Sent apologies"
