"""An in-place (htmx) change of a draft's questions or a meeting's outcomes replaces only the
part that changed: a move, removal, save or cancel the list, an add the add form (and the list
out of band once added). So text typed in the add form, which sits outside the list, is not
wiped by a move or a removal elsewhere; and after cancelling an in-place edit the focus goes to
an element that is there and can take it."""

from __future__ import annotations

import re

from sqlalchemy import select, update
from test_meedenkgroepen_inline_meeting import _meeting
from test_meedenkgroepen_question_edit import _draft, _ids

from intranet.extensions import db
from intranet.testing.helpers import post, signed_in
from plugins.meedenkgroepen.models import Outcome, Questionnaire

BASE = "/zaanstad/meedenkgroepen"
HTMX = {"HX-Request": "true"}


def _focus(fragment: str) -> str:
    found = re.search(r'data-focus="([^"]+)"', fragment)
    assert found, fragment[:500]
    return found.group(1)


def _swapped(fragment: str) -> str:
    """The id of the fragment's first element: what htmx swaps into the target."""
    found = re.match(r'\s*<[a-z0-9]+ id="([^"]+)"', fragment)
    assert found, fragment[:300]
    return found.group(1)


def test_the_page_puts_the_add_form_outside_the_list_the_buttons_replace(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    first = _ids(demo, qid)[0]
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    list_start = page.index('<div id="vragen-lijst">')
    list_end = page.index("</ol>", list_start)
    add_form = page.index('<div id="vraag-toevoegen-deel">')
    assert add_form > list_end  # the add form is not inside what a move replaces
    for action in ("omlaag", "verwijderen"):
        button = page.index(f'id="vraag-{first}-{action}"')
        form = page.rindex("<form", 0, button)
        assert 'hx-target="#vragen-lijst"' in page[form:button], action
    add = page[add_form : page.index("</form>", add_form)]
    assert 'hx-target="#vraag-toevoegen-deel"' in add
    assert "#vragen-sectie" not in page

    edit = c.get(f"{BASE}/vragenlijsten/{qid}/vragen/{first}/bewerken", headers=HTMX)
    cancel = re.search(r'<a [^>]*hx-get="[^"]*\?vraag=\d+"[^>]*>', edit.get_data(as_text=True))
    assert cancel and 'hx-target="#vragen-lijst"' in cancel.group(0)


def test_a_move_removal_save_or_cancel_answers_with_the_list_only(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    first, second, _third = _ids(demo, qid)
    c = signed_in(demo, "zaanstad", "coordinator")
    answers = [
        post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{first}/omlaag", headers=HTMX),
        post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{second}/verwijderen", headers=HTMX),
        c.get(f"{BASE}/vragenlijsten/{qid}?vraag={first}", headers=HTMX),
    ]
    for r in answers:
        fragment = r.get_data(as_text=True)
        assert r.status_code == 200
        assert _swapped(fragment) == "vragen-lijst"
        # neither the add form nor the section around it: what is typed there stays
        assert 'id="vraag-toevoegen-deel"' not in fragment and 'name="text"' not in fragment
        assert 'id="vragen-sectie"' not in fragment
        assert 'id="vragen-melding" hx-swap-oob="innerHTML"' in fragment


def test_a_refused_add_answers_with_the_add_form_only(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen", {"kind": "open", "text": ""}, headers=HTMX)
    fragment = r.get_data(as_text=True)
    assert r.status_code == 400 and _swapped(fragment) == "vraag-toevoegen-deel"
    # the list (and a question open for editing in it) is left alone
    assert 'id="vragen-lijst"' not in fragment


def test_cancelling_an_edit_focuses_what_is_there(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    first = _ids(demo, qid)[0]
    c = signed_in(demo, "zaanstad", "coordinator")
    # an unknown question: not the heading (it cannot take the focus) but the status line
    unknown = c.get(f"{BASE}/vragenlijsten/{qid}?vraag=999999", headers=HTMX)
    assert _focus(unknown.get_data(as_text=True)) == "vragen-melding"
    # sent meanwhile: the "Bewerken" link is gone, the focus goes to the status line
    with demo.app_context():
        db.session.execute(
            update(Questionnaire).where(Questionnaire.id == qid).values(status="verzonden")
        )
        db.session.commit()
    sent = c.get(f"{BASE}/vragenlijsten/{qid}?vraag={first}", headers=HTMX).get_data(as_text=True)
    assert f'id="vraag-{first}-bewerken"' not in sent
    assert _focus(sent) == "vragen-melding"


def test_removing_an_outcome_answers_with_the_list_only(demo) -> None:  # type: ignore[no-untyped-def]
    mid, _anna, _bert = _meeting(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/bijeenkomsten/{mid}").get_data(as_text=True)
    assert page.index('<div id="opbrengsten-lijst">') < page.index('id="opbrengst-toevoegen-deel"')
    added = post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten", {"text": "Bankjes"}, headers=HTMX)
    fragment = added.get_data(as_text=True)
    assert _swapped(fragment) == "opbrengst-toevoegen-deel" and _focus(fragment) == "text"
    assert '<div id="opbrengsten-lijst" hx-swap-oob="outerHTML">' in fragment
    with demo.app_context():
        oid = db.session.execute(select(Outcome.id).where(Outcome.meeting_id == mid)).scalar_one()
    page = c.get(f"{BASE}/bijeenkomsten/{mid}").get_data(as_text=True)
    button = page.index(f"/opbrengsten/{oid}/verwijderen")
    assert 'hx-target="#opbrengsten-lijst"' in page[button : page.index(">", button)]
    r = post(c, f"{BASE}/bijeenkomsten/{mid}/opbrengsten/{oid}/verwijderen", headers=HTMX)
    fragment = r.get_data(as_text=True)
    assert _swapped(fragment) == "opbrengsten-lijst" and _focus(fragment) == "opbrengsten-melding"
    assert 'id="opbrengst-toevoegen-deel"' not in fragment and 'name="text"' not in fragment
    assert 'id="opbrengsten-sectie"' not in fragment
