"""The plugin's own English catalog (plugins/raadsgesprekken/translations) is loaded: a clerk
who chose English reads the plugin's pages, form labels and choices in English; mails and
letters to residents stay in the default language."""

from __future__ import annotations

import re

from test_raadsgesprekken_app import body, member, new_request, schedule, slot_at, smtp

from intranet.extensions import db
from intranet.testing.helpers import signed_in
from plugins.raadsgesprekken.models import ConversationRequest

__all__ = ["smtp"]  # the SMTP server fixture of the app tests

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


def test_mail_and_letter_to_residents_stay_dutch_for_an_english_clerk(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    clerk = _english(demo)
    with demo.app_context():
        mailed = new_request(clerk, new_email="e.dekker@example.org", new_name="Els Dekker")
        letter_only = new_request(clerk, new_email="", new_name="Zonder Mail", form="city_hall")
        for req, hour in ((mailed, 14), (letter_only, 15)):
            response = schedule(clerk, req, [member("Gerda Visser")], slot_id=str(slot_at(hour).id))
            assert response.status_code == 302
        page = clerk.get(f"{BASE}/aanvragen/{mailed.id}").get_data(as_text=True)
        assert "Requested by" in page  # the clerk's own page is English
        (confirmation,) = smtp.to("e.dekker@example.org")
        assert "Beste Els Dekker" in body(confirmation) and "Dear" not in body(confirmation)
        appt_id = db.session.get(ConversationRequest, letter_only.id).appointment_id
        letter = clerk.get(f"{BASE}/gesprekken/{appt_id}/brief/{letter_only.id}")
        html = letter.get_data(as_text=True)
        assert "Beste Zonder Mail" in html and "Dear" not in html


def test_request_list_headers_are_english(demo) -> None:  # type: ignore[no-untyped-def]
    page = _main(_english(demo).get(f"{BASE}/aanvragen").get_data(as_text=True))
    for english in ("Date", "Neighbourhood"):
        assert f">{english}<" in page or f"{english}</a>" in page, english
    for dutch in (">Datum<", ">Wijk<", "Datum</a>", "Wijk</a>"):
        assert dutch not in page, dutch


def test_conversation_status_is_a_label_in_either_language(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    """The conversation's page shows its status as the list does ("Scheduled", "Ingepland"),
    never the stored key ("ingepland")."""
    clerk = _english(demo)
    with demo.app_context():
        req = new_request(clerk, new_email="", new_name="Status Label", form="city_hall")
        response = schedule(clerk, req, [member("Gerda Visser")], slot_id=str(slot_at(14).id))
        assert response.status_code == 302
        appt_id = db.session.get(ConversationRequest, req.id).appointment_id
    status = re.compile(r"Status</dt>\s*<dd[^>]*>([^<]*)</dd>")
    english = _main(clerk.get(f"{BASE}/gesprekken/{appt_id}").get_data(as_text=True))
    assert status.search(english).group(1) == "Scheduled"  # type: ignore[union-attr]
    clerk.get(f"/taal/nl?next={BASE}/")
    dutch = _main(clerk.get(f"{BASE}/gesprekken/{appt_id}").get_data(as_text=True))
    assert status.search(dutch).group(1) == "Ingepland"  # type: ignore[union-attr]
