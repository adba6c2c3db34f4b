"""The order of the intake and planning forms (issue 14): what a phone call needs first, the
optional details folded in a native <details> that opens when one of its fields is refused;
when planning, the council members right after the slot and the free appointment's date and
times folded unless they are needed. The keyboard counts are in the browser test
(test_raadsgesprekken_clerk_flow_browser.py)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.helpers import post, signed_in
from plugins.raadsgesprekken.models import ConversationDay, ConversationRequest

BASE = "/zwolle/raadsgesprekken"


def _positions(page: str, *markers: str) -> list[int]:
    return [page.index(m) for m in markers]


def _details_open(page: str, details_id: str) -> bool:
    tag = re.search(rf'<details[^>]*id="{details_id}"[^>]*>', page)
    assert tag, details_id
    return " open" in tag.group(0)


def test_intake_asks_the_required_fields_and_consent_first(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    page = griffier.get(f"{BASE}/aanvragen/nieuw").get_data(as_text=True)
    order = _positions(
        page,
        'id="new_name"',
        'name="care_kinds"',
        'id="consent_contact"',
        'id="channel"',
        'id="meer-gegevens"',
        'id="trusted_name"',
        'id="preferred_times"',
        ">Aanvraag registreren</button>",
    )
    assert order == sorted(order)
    assert not _details_open(page, "meer-gegevens")
    consent_label = re.search(r'<label[^>]*for="consent_contact"[^>]*>.*?</label>', page, re.S)
    assert consent_label and "(verplicht)" in consent_label.group(0)

    # a refused optional field opens the folded part, with its error and everything kept
    refused = post(
        griffier,
        f"{BASE}/aanvragen/nieuw",
        {
            "resident_id": "0",
            "new_name": "Joke Hendriks",
            "care_kinds": ["huishoudelijke hulp"],
            "preferred_times": "x" * 501,
            "requester": "client",
            "received_via": "wijkteam",
            "form": "home",
            "grouping": "alone",
            "channel": "phone",
            "requested_on": "01-11-2026",
            "consent_method": "verbal",
        },
    ).get_data(as_text=True)
    assert _details_open(refused, "meer-gegevens")
    assert "Hoogstens 500 tekens." in refused
    assert "Zonder toestemming om benaderd te worden" in refused
    assert 'value="Joke Hendriks"' in refused
    with demo.app_context():
        assert not db.session.execute(
            select(ConversationRequest).where(ConversationRequest.preferred_times == "x" * 501)
        ).first()


def test_planning_puts_the_members_after_the_slot_and_folds_the_own_time(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        req_id = db.session.execute(
            select(ConversationRequest.id)
            .where(ConversationRequest.status == "aangevraagd")
            .order_by(ConversationRequest.id)
        ).scalar()
    url = f"{BASE}/aanvragen/{req_id}/inplannen"
    page = griffier.get(url).get_data(as_text=True)
    order = _positions(page, 'id="slot_id"', 'name="members"', 'id="eigen-tijdstip"', 'id="day"')
    assert order == sorted(order)
    assert not _details_open(page, "eigen-tijdstip")  # slots exist

    # "Op afspraak" without a date: refused, the own time opens with the errors in it
    refused = post(
        griffier, url, {"requests": [str(req_id)], "slot_id": "0", "form": "city_hall"}
    ).get_data(as_text=True)
    assert _details_open(refused, "eigen-tijdstip")
    assert "Vul de datum in, of kies een tijdvak." in refused

    # without any conversation day ahead there is no slot to choose: open from the start
    with demo.app_context():
        for day in db.session.execute(select(ConversationDay)).scalars():
            day.day = day.day - timedelta(days=3650)
        db.session.commit()
    assert _details_open(griffier.get(url).get_data(as_text=True), "eigen-tijdstip")
