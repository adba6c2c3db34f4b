"""In a real Chromium: the trajectory page with finished steps folded (opened by keyboard, and
by a link to an anchor inside) and a group's page with its finished meetings folded; a
meeting's outcomes and attendance saved in place and a question edited in place, with the
focus where the user continues; axe finds no violations in these states."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_meedenkgroepen_inline_meeting import _meeting
from test_meedenkgroepen_question_edit import _draft, _ids, _texts
from test_meedenkgroepen_trajectory_sections import (
    group_with_a_finished_meeting,
    trajectory_at_step_5,
)

from intranet.extensions import db
from intranet.testing.browser import axe_violations, log_in, require_browser
from plugins.meedenkgroepen.models import Attendance, Outcome

require_browser()
pytestmark = pytest.mark.browser

BASE = "/zaanstad/meedenkgroepen"


def _open(page, step: int) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate(f"() => document.querySelector('#stap-{step} details').open")  # type: ignore[no-any-return]


def test_the_trajectory_folds_finished_steps(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    tid = trajectory_at_step_5(demo)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "coordinator")
        page.goto(f"{live_server}{BASE}/trajecten/{tid}")
        assert [_open(page, n) for n in (1, 2, 3, 4, 5)] == [False, False, False, True, True]
        assert not page.is_visible("text=Nota wijkaanpak")
        assert axe_violations(page, live_server) == []
        # by keyboard: the summary line is a control, Enter opens the step
        page.focus("#stap-2 summary")
        page.keyboard.press("Enter")
        assert _open(page, 2) and page.is_visible("text=Veel ideeën.")
        # a link to an anchor in a closed step (the redirect after adding a document) opens it
        page.goto(f"{live_server}{BASE}/trajecten/{tid}#stukken")
        page.wait_for_function("() => document.querySelector('#stap-1 details').open")
        assert page.is_visible("text=Nota wijkaanpak")
        # a group's page: the finished meeting folded, opened by keyboard
        gid = group_with_a_finished_meeting(demo)
        page.goto(f"{live_server}{BASE}/groepen/{gid}")
        assert not page.is_visible("text=Buurthuis") and page.is_visible("text=Bibliotheek")
        assert axe_violations(page, live_server) == []
        page.focus("#afgeronde-bijeenkomsten summary")
        page.keyboard.press("Enter")
        assert page.is_visible("text=Buurthuis")
    finally:
        context.close()


def test_outcomes_and_attendance_in_place(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    mid, anna, _bert = _meeting(demo)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "coordinator")
        page.goto(f"{live_server}{BASE}/bijeenkomsten/{mid}")
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("() => { window.stillTheSamePage = true; }")

        page.focus("#opbrengsten-sectie #text")
        page.keyboard.type("Meer bankjes in het park.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('opbrengsten-melding').innerText.includes('Opbrengst 1')"
        )
        page.wait_for_function("() => document.activeElement.id === 'text'")
        page.keyboard.type("Een loket in de wijk.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('opbrengsten-melding').innerText.includes('Opbrengst 2')"
        )
        page.wait_for_function("() => document.activeElement.id === 'text'")
        # refused: empty box, the summary by the form focused, the error next to the box
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.id === 'opbrengst-foutmeldingen'")
        assert "Beschrijf de opbrengst." in page.inner_text("#text-error")
        assert axe_violations(page, live_server) == []

        page.check(f"input[name=attendees][value='{anna}']")
        page.locator("#aanwezigheid-sectie button[type=submit]").press("Enter")
        page.wait_for_function("() => document.activeElement.id === 'aanwezigheid-melding'")
        assert "De aanwezigheid is opgeslagen." in page.inner_text("#aanwezigheid-melding")
        assert "1 inwoner, waarvan 1 met een e-mailadres" in page.inner_text(
            "#opbrengsten-ontvangers"
        )
        assert axe_violations(page, live_server) == []
        assert page.evaluate("() => window.stillTheSamePage === true")
    finally:
        context.close()
    with demo.app_context():
        texts = db.session.execute(
            select(Outcome.text).where(Outcome.meeting_id == mid).order_by(Outcome.position)
        ).scalars()
        assert list(texts) == ["Meer bankjes in het park.", "Een loket in de wijk."]
        attended = db.session.execute(
            select(Attendance.resident_id).where(Attendance.meeting_id == mid)
        ).scalars()
        assert list(attended) == [anna]


def _open_for_editing(page, live_server: str, qid: int, question_id: int) -> None:  # type: ignore[no-untyped-def]
    """Signed in as the coordinator, the questionnaire's page with one question opened in place
    by keyboard (the focus on its first field); the page is marked to see it is never left."""
    log_in(page, live_server, "zaanstad", "coordinator")
    page.goto(f"{live_server}{BASE}/vragenlijsten/{qid}")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    page.focus(f"#vraag-{question_id}-bewerken")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.id === 'vraag{question_id}-kind'")


def test_a_question_edited_in_place(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    first = _ids(demo, qid)[0]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        _open_for_editing(page, live_server, qid, first)
        assert axe_violations(page, live_server) == []
        page.fill(f"#vraag{first}-text", "Eerste, anders gevraagd?")
        page.focus(f"#vraag{first}-text")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.activeElement.id === 'vraag-{first}-bewerken'")
        assert "Vraag 1 is opgeslagen." in page.inner_text("#vragen-melding")
        assert "Eerste, anders gevraagd?" in page.inner_text(f"#vraag-{first}")
        assert page.evaluate("() => window.stillTheSamePage === true")
    finally:
        context.close()
    assert _texts(demo, qid)[0] == "Eerste, anders gevraagd?"


def test_typed_text_survives_a_move_or_removal_in_place(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    first = _ids(demo, qid)[0]
    mid, _anna, _bert = _meeting(demo)
    with demo.app_context():
        db.session.add(
            Outcome(municipality_id=_municipality_of(mid), meeting_id=mid, text="Weg", position=1)
        )
        db.session.commit()
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "coordinator")
        page.goto(f"{live_server}{BASE}/vragenlijsten/{qid}")
        page.wait_for_function("() => window.htmx !== undefined")
        page.fill("#vragen-sectie #text", "Half getypte vraag")
        page.focus(f"#vraag-{first}-omlaag")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('vragen-melding').innerText.includes('plaats 2')"
        )
        page.wait_for_function(f"() => document.activeElement.id === 'vraag-{first}-omlaag'")
        assert page.input_value("#vragen-sectie #text") == "Half getypte vraag"
        # cancelling an in-place edit: the focus back on its "Bewerken" link
        page.focus(f"#vraag-{first}-bewerken")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.activeElement.id === 'vraag{first}-kind'")
        page.click("text=Annuleren")
        page.wait_for_function(f"() => document.activeElement.id === 'vraag-{first}-bewerken'")
        assert page.input_value("#vragen-sectie #text") == "Half getypte vraag"
        # adding empties the add form and shows the new question
        page.locator(
            "#vragen-sectie form[aria-labelledby=vraag-toevoegen] button[type=submit]"
        ).press("Enter")
        page.wait_for_function("() => document.activeElement.id === 'kind'")
        assert page.input_value("#vragen-sectie #text") == ""
        assert "Half getypte vraag" in page.inner_text("#vragen-sectie ol")
        assert axe_violations(page, live_server) == []

        page.goto(f"{live_server}{BASE}/bijeenkomsten/{mid}")
        page.wait_for_function("() => window.htmx !== undefined")
        page.fill("#opbrengsten-sectie #text", "Half getypte opbrengst")
        page.locator("#opbrengsten-sectie li button[type=submit]").press("Enter")
        page.wait_for_function("() => document.activeElement.id === 'opbrengsten-melding'")
        assert "Nog geen opbrengsten vastgelegd." in page.inner_text("#opbrengsten-sectie")
        assert page.input_value("#opbrengsten-sectie #text") == "Half getypte opbrengst"
    finally:
        context.close()
    assert "Half getypte vraag" in _texts(demo, qid)


def _municipality_of(meeting_id: int) -> int:
    from plugins.meedenkgroepen.models import Meeting

    return db.session.get(Meeting, meeting_id).municipality_id  # type: ignore[union-attr]


def test_the_swapped_list_is_live_before_a_key_can_reach_it(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """htmx puts the focus back on the control of the same id as soon as it swapped; if its
    links were made live only after a settle delay, a key pressed in between would follow the
    plain link and leave the page. A task queued when the focus lands (as a key press would be)
    finds the new list's links processed."""
    qid = _draft(demo)
    first = _ids(demo, qid)[0]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "coordinator")
        page.goto(f"{live_server}{BASE}/vragenlijsten/{qid}")
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate(
            """() => {
                window.liveWhenFocused = [];
                document.addEventListener('focusin', (event) => {
                  if (!event.target.id.endsWith('-omlaag')) return;
                  setTimeout(() => {
                    const link = document.querySelector('#vragen-lijst a[hx-get]');
                    window.liveWhenFocused.push(link['htmx-internal-data'] !== undefined);
                  }, 0);
                });
            }"""
        )
        page.focus(f"#vraag-{first}-omlaag")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('vragen-melding').innerText.includes('plaats 2')"
        )
        page.wait_for_function("() => window.liveWhenFocused.length >= 2")
        live = page.evaluate("() => window.liveWhenFocused")
        assert live and all(live), live
    finally:
        context.close()


def test_an_open_question_keeps_its_text_when_another_moves(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """Moving or removing another question refreshes the whole list; the question open for
    editing stays open with what was typed in it, and saving it afterwards stores that text."""
    qid = _draft(demo)
    first, second, third = _ids(demo, qid)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        _open_for_editing(page, live_server, qid, first)
        page.fill(f"#vraag{first}-text", "Half herschreven")

        page.focus(f"#vraag-{third}-omhoog")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('vragen-melding').innerText.includes('plaats 2')"
        )
        page.wait_for_function(f"() => document.activeElement.id === 'vraag-{third}-omhoog'")
        assert page.input_value(f"#vraag{first}-text") == "Half herschreven"

        page.focus(f"#vraag-{second}-verwijderen")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.getElementById('vraag-{second}') === null")
        assert page.input_value(f"#vraag{first}-text") == "Half herschreven"

        # the kept form still saves in place
        page.focus(f"#vraag{first}-text")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.activeElement.id === 'vraag-{first}-bewerken'")
        assert "Vraag 1 is opgeslagen." in page.inner_text("#vragen-melding")
        assert page.evaluate("() => window.stillTheSamePage === true")
    finally:
        context.close()
    assert _texts(demo, qid) == ["Half herschreven", "Derde?"]


def test_an_open_question_shows_its_new_number_after_a_move(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """The question open for editing keeps its form, and its heading follows its new place."""
    qid = _draft(demo)
    _first, second, third = _ids(demo, qid)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        _open_for_editing(page, live_server, qid, third)
        assert page.inner_text(f"#vraag-{third}-kop") == "Vraag 3 bewerken"
        page.fill(f"#vraag{third}-text", "Nu de tweede")
        page.focus(f"#vraag-{second}-omlaag")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('vragen-melding').innerText.includes('plaats 3')"
        )
        assert page.inner_text(f"#vraag-{third}-kop") == "Vraag 2 bewerken"
        assert page.input_value(f"#vraag{third}-text") == "Nu de tweede"
    finally:
        context.close()
