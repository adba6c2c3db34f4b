"""Attendance and outcomes of a meeting saved in place (issue 14.3): an htmx post gets the
part back with the focus on the confirmation (attendance) or on the empty box for the next
outcome, and a refused outcome keeps its Dutch error next to the box. Without JavaScript the
plain posts still redirect, and a meeting that has not begun still refuses both."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, municipality, resident

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.residents.service import give_consent
from intranet.testing.helpers import post, signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import (
    GROUP_CONSENT,
    Attendance,
    Group,
    Meeting,
    Membership,
    Outcome,
)

HTMX = {"HX-Request": "true"}


def _meeting(app, *, days_ago: int = 1) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """A group with two members (one consenting with an e-mail address) and a meeting."""
    with app.app_context():
        m = municipality("zaanstad")
        g = Group(municipality_id=m.id, theme="Inline", goal="Doel", status="actief", mailbox="")
        db.session.add(g)
        db.session.flush()
        ids = []
        for name, email in (("Anna Aanwezig", "anna@example.org"), ("Bert Thuis", None)):
            r = resident(m, name, email)
            give_consent(
                r, GROUP_CONSENT, method="verbal", given_on=local_today(), recorded_by="test"
            )
            db.session.add(
                Membership(
                    municipality_id=m.id,
                    group_id=g.id,
                    resident_id=r.id,
                    signed_up_on=local_today(),
                    channel="telefoon",
                )
            )
            ids.append(r.id)
        meeting = Meeting(
            municipality_id=m.id,
            group_id=g.id,
            starts_at=utcnow() - timedelta(days=days_ago),
            location="Stadhuis",
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting.id, ids[0], ids[1]


def _focus(fragment: str) -> str:
    found = re.search(r'data-focus="([^"]+)"', fragment)
    assert found, fragment[:500]
    return found.group(1)


def test_attendance_saved_in_place_with_the_focus_on_the_confirmation(demo) -> None:  # type: ignore[no-untyped-def]
    mid, anna, _bert = _meeting(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/bijeenkomsten/{mid}").get_data(as_text=True)
    assert f'hx-post="{BASE}/bijeenkomsten/{mid}/aanwezigheid"' in page
    assert 'id="aanwezigheid-melding" class="idea-status" role="status"' in page
    r = post(c, f"{BASE}/bijeenkomsten/{mid}/aanwezigheid", {"attendees": [anna]}, headers=HTMX)
    fragment = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in fragment
    assert _focus(fragment) == "aanwezigheid-melding"
    assert re.search(
        r'id="aanwezigheid-melding" hx-swap-oob="innerHTML">.*aanwezigheid is opgeslagen',
        fragment,
        re.S,
    )
    assert re.search(rf'value="{anna}"[^>]*checked|checked[^>]*value="{anna}"', fragment)
    # who the outcomes go to is updated out of band: Anna now attended
    assert 'id="opbrengsten-ontvangers" hx-swap-oob="true"' in fragment
    with demo.app_context():
        assert [
            a.resident_id
            for a in db.session.execute(
                select(Attendance).where(Attendance.meeting_id == mid)
            ).scalars()
        ] == [anna]
        viewed = (
            db.session.execute(
                select(AuditEvent).where(
                    AuditEvent.action == "meedenkgroepen.attendance.viewed",
                    AuditEvent.object_id == str(mid),
                )
            )
            .scalars()
            .all()
        )
        assert viewed  # the names shown in the fragment are a read, audited


def test_outcomes_added_in_place_and_a_refused_one_keeps_its_error(demo) -> None:  # type: ignore[no-untyped-def]
    mid, _anna, _bert = _meeting(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    url = f"{BASE}/bijeenkomsten/{mid}/opbrengsten"
    r = post(c, url, {"text": "Meer bankjes in het park."}, headers=HTMX)
    fragment = r.get_data(as_text=True)
    assert r.status_code == 200 and _focus(fragment) == "text"
    assert "Meer bankjes in het park." in fragment and "Opbrengst 1 is toegevoegd." in fragment
    assert "Meer bankjes in het park.</textarea>" not in fragment  # the box is empty again
    r = post(c, url, {"text": "  "}, headers=HTMX)
    refused = r.get_data(as_text=True)
    assert r.status_code == 400 and "<html" not in refused
    assert _focus(refused) == "opbrengst-foutmeldingen"
    assert 'id="text-error"' in refused and "Beschrijf de opbrengst." in refused
    with demo.app_context():
        outcomes = db.session.execute(select(Outcome).where(Outcome.meeting_id == mid)).scalars()
        only = list(outcomes)
        assert [o.text for o in only] == ["Meer bankjes in het park."]
        oid = only[0].id
    r = post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten/{oid}/verwijderen", headers=HTMX)
    assert _focus(r.get_data(as_text=True)) == "opbrengsten-melding"
    assert "Nog geen opbrengsten vastgelegd." in r.get_data(as_text=True)


def test_without_htmx_the_posts_redirect_and_a_future_meeting_refuses(demo) -> None:  # type: ignore[no-untyped-def]
    mid, anna, _bert = _meeting(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten", {"text": "Iets"})
    assert r.status_code == 302 and r.headers["Location"].endswith("#opbrengsten")
    r = post(c, f"{BASE}/bijeenkomsten/{mid}/aanwezigheid", {"attendees": [anna]})
    assert r.status_code == 302

    future, anna2, _ = _meeting(demo, days_ago=-10)
    for headers in ({}, HTMX):
        r = post(
            c, f"{BASE}/bijeenkomsten/{future}/opbrengsten", {"text": "Te vroeg"}, headers=headers
        )
        r2 = post(
            c,
            f"{BASE}/bijeenkomsten/{future}/aanwezigheid",
            {"attendees": [anna2]},
            headers=headers,
        )
        assert r.status_code == r2.status_code == 302
    page = c.get(f"{BASE}/bijeenkomsten/{future}").get_data(as_text=True)
    assert "Deze bijeenkomst is nog niet begonnen" in page
    assert f'hx-post="{BASE}/bijeenkomsten/{future}/opbrengsten"' not in page
    with demo.app_context():
        assert not db.session.execute(select(Outcome).where(Outcome.meeting_id == future)).first()
        assert not db.session.execute(
            select(Attendance).where(Attendance.meeting_id == future)
        ).first()
