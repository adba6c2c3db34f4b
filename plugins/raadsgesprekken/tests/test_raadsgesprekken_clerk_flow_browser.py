"""The council clerk's main flow in a real Chromium, once with JavaScript on and once off:
register a phoned-in request, plan it with two council members, bundle the reports for the
executive, record the executive's answer to two ideas and send the feedback.

Also the keyboard cost of the two reworked forms: the Tab presses from the first field of
the intake to its button (35 in the old order, where the consent came 19 presses after the
kind of care), and from the slot choice to the council members when planning (15 in the
old order, the free appointment's date and times lay between them). axe finds nothing on
either form, also after a refused submit.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from test_raadsgesprekken_app import smtp  # noqa: F401 - the fixture, shared with the app tests

from intranet.extensions import db
from intranet.plugin_api import utcnow
from intranet.residents.models import Resident
from intranet.testing.browser import axe_violations, log_in, require_browser
from plugins.raadsgesprekken.models import (
    ConversationAppointment,
    ConversationReport,
    ConversationRequest,
    ExecutiveSummary,
    ReportIdea,
    ResidentFeedback,
)

require_browser()
pytestmark = pytest.mark.browser

BASE = "/zwolle/raadsgesprekken"
#: Tab presses from the intake's first field to its button; the old order took 35
INTAKE_TABS_AT_MOST = 28
#: Tab presses from the slot choice to the first council member; the old order took 15
SLOT_TO_MEMBERS_AT_MOST = 2


def tabs_from(page, first: str, target: str) -> int:  # type: ignore[no-untyped-def]
    """Tab presses from the element ``first`` until ``target`` (a selector) has the focus."""
    page.focus(first)
    for presses in range(1, 120):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement === document.querySelector(sel)", target):
            return presses
    raise AssertionError(f"{target} not reached with Tab from {first}")


def is_open(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return page.locator(selector).evaluate("(d) => d.open") is True


def submit(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Press a form's button and wait for the page it leads to (a plain form post)."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


@pytest.mark.parametrize("js", [True, False], ids=["met-javascript", "zonder-javascript"])
def test_clerk_main_flow(demo, live_server, browser, smtp, js: bool) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(locale="nl-NL", java_script_enabled=js)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    try:
        log_in(page, live_server, "zwolle", "griffier")

        # 1. the phoned-in request: who, the kind of care and the consent come first
        page.goto(f"{live_server}{BASE}/aanvragen/nieuw")
        tabs = tabs_from(page, "#resident_id", "main form button[type=submit]")
        assert tabs <= INTAKE_TABS_AT_MOST, tabs
        care_to_consent = tabs_from(page, "main form input[name=care_kinds]", "#consent_contact")
        assert care_to_consent <= 8, care_to_consent  # 19 in the old order
        assert not is_open(page, "#meer-gegevens")  # the optional details are folded
        assert "(verplicht)" in page.inner_text("label[for=consent_contact]")
        submit(page, "Aanvraag registreren")  # nothing filled in: refused
        assert page.locator("#foutmeldingen").is_visible()
        summary_text = page.inner_text("#foutmeldingen")
        assert "Vul de naam van de nieuwe inwoner in." in summary_text
        assert "Zonder toestemming om benaderd te worden" in summary_text
        assert "Kies minstens één soort zorg of ondersteuning." in summary_text
        assert not is_open(page, "#meer-gegevens")  # no refused field inside
        if js:
            assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"
            problems["intake"] = axe_violations(page, live_server)
        page.get_by_label("Naam (nieuwe inwoner)").fill("Joke Hendriks")
        page.get_by_label("Telefoonnummer (nieuwe inwoner)").fill("06 12345678")
        page.get_by_label("E-mailadres (nieuwe inwoner)").fill("joke.hendriks@example.org")
        page.get_by_label("Adres (nieuwe inwoner)", exact=True).fill("Dorpsstraat 1, Zwolle")
        page.get_by_label("huishoudelijke hulp", exact=True).check()
        page.get_by_label("toestemming om benaderd").check()
        page.get_by_label("toestemming voor geanonimiseerd gebruik").check()
        submit(page, "Aanvraag registreren")
        assert "De aanvraag is geregistreerd." in page.inner_text("main")
        assert "Joke Hendriks" in page.inner_text("h1")
        with demo.app_context():
            req = db.session.execute(
                select(ConversationRequest)
                .join(Resident, Resident.id == ConversationRequest.resident_id)
                .where(Resident.name == "Joke Hendriks")
            ).scalar_one()
            assert req.care_kinds == ["huishoudelijke hulp"] and req.channel == "phone"
            assert req.resident.has_consent("raadsgesprekken.contact")
            request_id = req.id

        # 2. plan it: the council members come right after the slot
        with page.expect_navigation():
            page.get_by_role("link", name="Gesprek inplannen").click()
        assert tabs_from(page, "#slot_id", "#members-0") <= SLOT_TO_MEMBERS_AT_MOST
        assert not is_open(page, "#eigen-tijdstip")  # a slot exists: the own time is folded
        if js:
            problems["plan"] = axe_violations(page, live_server)
        submit(page, "Gesprek inplannen")  # "Op afspraak" without a time, nobody: refused
        assert "Vul de datum in, of kies een tijdvak." in page.inner_text("#foutmeldingen")
        assert is_open(page, "#eigen-tijdstip")  # open where the refused fields are
        if js:
            problems["plan refused"] = axe_violations(page, live_server)
        labels = page.locator("#slot_id option").all_inner_texts()
        eleven = next(x for x in labels if "12:00" in x)  # 11:00 to 12:00, next to Anna's
        page.select_option("#slot_id", label=eleven)
        page.get_by_label("Mirjam Bakker").check()
        page.get_by_label("Ahmed El Amrani").check()
        submit(page, "Gesprek inplannen")
        main = page.inner_text("main")
        assert "Het gesprek is ingepland." in main, main
        assert "Mirjam Bakker" in main and "Ahmed El Amrani" in main
        with demo.app_context():
            appt = db.session.get(ConversationRequest, request_id).appointment
            assert {m.member.name for m in appt.members} == {"Mirjam Bakker", "Ahmed El Amrani"}
            # the conversation takes place: it began an hour ago
            appt.starts_at = utcnow() - timedelta(hours=1)
            appt.ends_at = utcnow()
            db.session.commit()
            appointment_id = appt.id
        assert smtp.to("joke.hendriks@example.org"), "the confirmation went out"

        # the council member holds it and writes the report with two ideas
        member = browser.new_context(locale="nl-NL", java_script_enabled=js).new_page()
        try:
            log_in(member, live_server, "zwolle", "raadslid")
            member.goto(f"{live_server}{BASE}/gesprekken/{appointment_id}")
            submit(member, "Gesprek is gevoerd")
            with member.expect_navigation():
                member.get_by_role("link", name="Verslag schrijven").click()
            member.locator("input[name=themes]").first.check()
            member.get_by_label("Wat vindt de inwoner belangrijk").fill("Vaste hulp.")
            member.get_by_label("Ideeën voor verbetering").fill(
                "Vaste hulp per cliënt.\nEén contactpersoon bij het wijkteam."
            )
            member.get_by_label("Joke Hendriks").check()
            submit(member, "Verslag opslaan")
            assert "Het verslag is opgeslagen." in member.inner_text("main")
        finally:
            member.context.close()

        # 3. bundle today's reports for the executive
        page.goto(f"{live_server}{BASE}/doorgeefluik")
        with page.expect_navigation():
            page.get_by_role("link", name="Samenvatting maken").click()
        today = utcnow().date()
        page.get_by_label("Titel").fill("Gesprekken van vandaag")
        page.fill("#period_start", (today - timedelta(days=1)).isoformat())
        page.fill("#period_end", (today + timedelta(days=1)).isoformat())
        submit(page, "Samenvatting maken")
        assert "Gesprekken van vandaag" in page.inner_text("h1"), page.inner_text("main")
        with demo.app_context():
            summary = db.session.execute(
                select(ExecutiveSummary).where(ExecutiveSummary.title == "Gesprekken van vandaag")
            ).scalar_one()
            report = db.session.execute(
                select(ConversationReport).where(
                    ConversationReport.appointment_id == appointment_id
                )
            ).scalar_one()
            assert summary.report_ids == [report.id]
            ideas = [
                i.id
                for i in db.session.execute(
                    select(ReportIdea)
                    .where(ReportIdea.summary_id == summary.id)
                    .order_by(ReportIdea.id)
                ).scalars()
            ]
            summary_id = summary.id
        assert len(ideas) == 2

        # 4. the executive's answer per idea: in place with htmx, a reload without
        for n, idea in enumerate(ideas, start=1):
            page.fill(f"#answer-{idea}", f"Het college neemt idee {n} over.")
            button = page.locator(f"#idee-sectie-{idea} button[type=submit]")
            if js:
                button.click()
                page.wait_for_function(  # the section swapped in holds the saved answer
                    "([id, text]) => (document.querySelector('#idee-sectie-' + id) || {})"
                    ".textContent?.includes(text)",
                    arg=[idea, f"neemt idee {n} over"],
                )
                assert "is vastgelegd" in page.inner_text("#idee-melding")
            else:
                with page.expect_navigation():
                    button.click()
            assert f"Het college neemt idee {n} over." in page.inner_text(f"#idee-sectie-{idea}")

        # 5. the feedback to the resident who wanted to hear back
        submit(page, "Terugkoppeling versturen")
        assert re.search(r"terugkoppeling", page.inner_text("main"), re.IGNORECASE)
        assert "e-mail verstuurd" in page.inner_text("main")
    finally:
        context.close()
    with demo.app_context():
        answers = [db.session.get(ReportIdea, i).answer for i in ideas]
        assert answers == ["Het college neemt idee 1 over.", "Het college neemt idee 2 over."]
        (feedback,) = db.session.execute(
            select(ResidentFeedback).where(ResidentFeedback.summary_id == summary_id)
        ).scalars()
        assert feedback.request_id == request_id and feedback.method == "mail"
        assert db.session.get(ConversationRequest, request_id).status == "afgerond"
        assert db.session.get(ConversationAppointment, appointment_id).report is not None
    assert any("college doet" in m["Subject"] for m in smtp.to("joke.hendriks@example.org"))
    assert not any(problems.values()), problems
