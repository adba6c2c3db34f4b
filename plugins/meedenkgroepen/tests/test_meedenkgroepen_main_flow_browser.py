"""The coordinator's main flow in a real Chromium, once with JavaScript (htmx) and once
without (issue 14.3): a new group, a new resident signed up on the spot, a meeting planned, a
questionnaire with two questions sent to a panel. With JavaScript the questions are added
without a page load, the focus back on the add form's first field and the confirmation in
the status line; without, every form posts and the page reloads. axe finds no violations in
the new in-place states (after an add, after a refused add)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.residents.models import Resident
from intranet.testing.browser import axe_violations, log_in, require_browser
from intranet.timeutil import local_today
from plugins.meedenkgroepen.models import (
    Group,
    Invitation,
    Meeting,
    Membership,
    Panel,
    PanelMember,
    Question,
    Questionnaire,
)

require_browser()
pytestmark = pytest.mark.browser
pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture

BASE = "/zaanstad/meedenkgroepen"


def _busiest_panel(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        row = db.session.execute(
            select(Panel.id, Panel.name)
            .join(PanelMember, PanelMember.panel_id == Panel.id)
            .where(Panel.municipality_id == zaanstad.id, PanelMember.left_at.is_(None))
            .group_by(Panel.id, Panel.name)
            .order_by(func.count(PanelMember.id).desc(), Panel.id)
        ).first()
        assert row, "the demo has a panel with members"
        return row[0], row[1]


def _submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def _group_resident_meeting(page: Any, server: str, theme: str, name: str) -> None:
    page.goto(f"{server}{BASE}/groepen/nieuw")
    page.fill("#theme", theme)
    page.fill("#goal", "Meedenken over de buurt.")
    page.fill("#mailbox", "buurt@zaanstad.demo")
    _submit(page, "main form.form")
    assert "De meedenkgroep is aangemaakt." in page.inner_text("main")

    page.select_option("#resident_id", "0")  # a new resident, registered on the spot
    page.fill("#new_name", name)
    page.fill("#new_email", "nieuw@example.org")
    page.select_option("#channel", "telefoon")
    _submit(page, "form[aria-labelledby=aanmelden]")
    assert name in page.inner_text("#leden ~ div table")

    with page.expect_navigation():
        page.click("text=Bijeenkomst plannen")
    starts = (local_today() + timedelta(days=14)).isoformat()
    page.fill("#starts_at", f"{starts}T19:30")
    page.fill("#location", "Stadhuis Zaandam")
    _submit(page, "main form.form")
    assert "De bijeenkomst is gepland." in page.inner_text("main")


def _new_questionnaire(page: Any, server: str, panel_id: int, title: str) -> str:
    page.goto(f"{server}{BASE}/vragenlijsten/nieuw?panel={panel_id}")
    page.fill("#title", title)
    page.fill("#closes_on", (local_today() + timedelta(days=14)).isoformat())
    _submit(page, "main form.form")
    assert "Voeg nu de vragen toe." in page.inner_text("main")
    return page.url


def _focused_id(page: Any) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")  # type: ignore[no-any-return]


def _add_by_keyboard(page: Any, kind: str, text: str) -> None:
    """Choose the kind, Tab to the question, type it and press Enter (submits the form)."""
    page.focus("#kind")
    page.select_option("#kind", kind)
    page.keyboard.press("Tab")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def _send(page: Any) -> None:
    with page.expect_navigation():
        page.click("#versturen")
    assert page.locator("main form button[type=submit]").count() == 1, page.inner_text("main")
    _submit(page, "main form.form")
    assert "De vragenlijst wordt verstuurd." in page.inner_text("main")


def _check_database(app, theme: str, name: str, title: str) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        group = db.session.execute(select(Group).where(Group.theme == theme)).scalar_one()
        resident = db.session.execute(select(Resident).where(Resident.name == name)).scalar_one()
        assert db.session.execute(
            select(Membership).where(
                Membership.group_id == group.id, Membership.resident_id == resident.id
            )
        ).scalar_one()
        assert (
            db.session.execute(select(Meeting).where(Meeting.group_id == group.id))
            .scalar_one()
            .location
            == "Stadhuis Zaandam"
        )
        q = db.session.execute(
            select(Questionnaire).where(Questionnaire.title == title)
        ).scalar_one()
        texts = (
            db.session.execute(
                select(Question.text)
                .where(Question.questionnaire_id == q.id)
                .order_by(Question.position)
            )
            .scalars()
            .all()
        )
        assert texts == ["Wat gaat goed in uw buurt?", "Hoe tevreden bent u over de buurt?"]
        assert q.status != "concept" and q.send_job_id is not None
        invited = db.session.execute(
            select(func.count(Invitation.id)).where(Invitation.questionnaire_id == q.id)
        ).scalar_one()
        assert invited > 0


def test_the_main_flow_with_javascript(demo, live_server, browser, smtp) -> None:  # type: ignore[no-untyped-def]
    panel_id, _panel = _busiest_panel(demo)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    theme, name, title = "Buurt met JS", "Nieuwe Inwoner Met", "Buurtvragen met JS"
    try:
        log_in(page, live_server, "zaanstad", "coordinator")
        _group_resident_meeting(page, live_server, theme, name)
        _new_questionnaire(page, live_server, panel_id, title)
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("() => { window.stillTheSamePage = true; }")
        loads: list[str] = []
        page.on("load", lambda _page: loads.append("load"))

        # a refused add: the error next to the field, the focus on the summary by the form
        _add_by_keyboard(page, "open", "")
        page.wait_for_selector("#vraag-foutmeldingen")
        page.wait_for_function("() => document.activeElement.id === 'vraag-foutmeldingen'")
        assert "Vul de vraag in." in page.inner_text("#text-error")
        assert axe_violations(page, live_server) == []

        _add_by_keyboard(page, "open", "Wat gaat goed in uw buurt?")
        page.wait_for_function(
            "() => document.getElementById('vragen-melding').innerText.includes('Vraag 1')"
        )
        page.wait_for_function("() => document.activeElement.id === 'kind'")
        assert page.locator("#vraag-foutmeldingen").count() == 0
        assert axe_violations(page, live_server) == []

        # the next question straight from where the focus is
        page.select_option("#kind", "scale")
        page.keyboard.press("Tab")
        page.keyboard.type("Hoe tevreden bent u over de buurt?")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('vragen-melding').innerText.includes('Vraag 2')"
        )
        page.wait_for_function("() => document.activeElement.id === 'kind'")
        assert page.locator("#vragen-sectie ol > li").count() == 2

        # moving a question in place keeps the focus on its button
        first = re.search(r'id="vraag-(\d+)-omlaag"', page.content())
        assert first
        qid = first.group(1)
        page.focus(f"#vraag-{qid}-omlaag")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.activeElement.id === 'vraag-{qid}-omhoog'")
        page.keyboard.press("Enter")  # and back up: the focus on its "Omlaag" again
        page.wait_for_function(f"() => document.activeElement.id === 'vraag-{qid}-omlaag'")

        assert page.evaluate("() => window.stillTheSamePage === true")
        assert loads == []
        _send(page)
    finally:
        context.close()
    _check_database(demo, theme, name, title)
    assert not [m for m in console if "Content Security Policy" in m or "unsafe-eval" in m]


def test_the_main_flow_without_javascript(demo, live_server, browser, smtp) -> None:  # type: ignore[no-untyped-def]
    panel_id, _panel = _busiest_panel(demo)
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    theme, name, title = "Buurt zonder JS", "Nieuwe Inwoner Zonder", "Buurtvragen zonder JS"
    try:
        log_in(page, live_server, "zaanstad", "coordinator")
        _group_resident_meeting(page, live_server, theme, name)
        url = _new_questionnaire(page, live_server, panel_id, title)
        for kind, text in (
            ("open", "Wat gaat goed in uw buurt?"),
            ("scale", "Hoe tevreden bent u over de buurt?"),
        ):
            page.select_option("#kind", kind)
            page.fill("#text", text)
            _submit(page, "form[aria-labelledby=vraag-toevoegen]")
            assert "De vraag is toegevoegd." in page.inner_text("main")
            assert page.url.split("#")[0] == url.split("#")[0]
        # a refused add reloads the page with the summary at the top
        _submit(page, "form[aria-labelledby=vraag-toevoegen]")
        assert "Vul de vraag in." in page.inner_text("#foutmeldingen")
        assert page.locator("#vragen-sectie ol > li").count() == 2
        _send(page)
        assert "wordt verstuurd" in page.inner_text("main")
    finally:
        context.close()
    _check_database(demo, theme, name, title)
