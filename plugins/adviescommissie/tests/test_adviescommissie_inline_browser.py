"""In a real Chromium: the secretary's and the official's main flow (request with a deadline,
advice with three recommendations, adopt, send, the response per recommendation), once with
JavaScript (recommendations and responses in place without a page load, the focus where the
user goes on) and once without (plain posts, the same result). axe finds nothing on the new
states: after an inline add, after a refused inline add, the file with folded parts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.testing.browser import axe_violations, log_in, require_browser
from plugins.adviescommissie.models import AdviceFile

require_browser()
pytestmark = pytest.mark.browser

BASE = "/zaanstad/adviescommissie"
RECOMMENDATIONS = (
    "Betrek ervaringsdeskundigen.",
    "Schrijf in gewone taal.",
    "Evalueer na een jaar.",
)
RESPONSES = (
    ("adopted", "Het college neemt dit over."),
    ("partly", "Deels: eerst in twee wijken."),
    ("rejected", "Past niet in de begroting."),
)


def _focused(page: Any) -> str:
    return page.evaluate("() => document.activeElement ? document.activeElement.id : ''")  # type: ignore[no-any-return]


def _wait_focus(page: Any, element_id: str) -> None:
    page.wait_for_function(
        f"() => document.activeElement && document.activeElement.id === '{element_id}'"
    )


def _register(page: Any, live_server: str, subject: str) -> int:
    page.goto(f"{live_server}{BASE}/aanvragen/nieuw")
    page.fill("#subject", subject)
    page.select_option("#policy_area", "wmo")
    page.select_option("#subject_kind", "bylaw")
    page.fill("#received_on", local_today().isoformat())
    page.fill("#deadline", (local_today() + timedelta(days=42)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan", exact=True).click()
    return int(page.url.split("#")[0].split("?")[0].rstrip("/").rsplit("/", 1)[1])


def _step(page: Any, label: str) -> None:
    """Take the file's next step with the button in the page header."""
    with page.expect_navigation():
        page.locator(".page-header__actions").get_by_role("button", name=label).click()


def _result(app: Any, subject: str) -> tuple[str, list[tuple[int, str, str | None, str]]]:
    with app.app_context():
        advice = db.session.execute(
            select(AdviceFile).where(AdviceFile.subject == subject)
        ).scalar_one()
        return advice.status, [
            (r.number, r.text, r.response, r.reasoning) for r in advice.recommendations
        ]


def _expected() -> list[tuple[int, str, str | None, str]]:
    return [
        (n, text, response, reasoning)
        for n, (text, (response, reasoning)) in enumerate(
            zip(RECOMMENDATIONS, RESPONSES, strict=True), start=1
        )
    ]


def test_the_flow_with_javascript_in_place_and_the_focus_where_the_user_goes_on(
    demo, live_server, browser
) -> None:  # type: ignore[no-untyped-def]
    subject = "Beleidsregels schuldhulp (met JavaScript)"
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    loads: list[str] = []
    try:
        log_in(page, live_server, "zaanstad", "secretaris")
        advice_id = _register(page, live_server, subject)
        page.wait_for_function("() => window.htmx !== undefined")
        # the confirmation is focused; the next step in the page header is one Shift+Tab back
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.hasAttribute('data-flash')"
        )
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("() => document.activeElement.textContent.trim()") == (
            "In behandeling nemen"
        )
        with page.expect_navigation():
            page.keyboard.press("Enter")

        # the advice text: after saving, the confirmation just before the recommendation box
        page.fill("#advice_text", "De commissie adviseert positief, met drie aanbevelingen.")
        with page.expect_navigation():
            page.get_by_role("button", name="Adviestekst opslaan").click()
        _wait_focus(page, "advies-opgeslagen")
        page.keyboard.press("Tab")
        assert _focused(page) == "aanbeveling-tekst"

        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("() => { window.stillTheSamePage = true; }")
        page.on("load", lambda _page: loads.append("load"))
        for number, text in enumerate(RECOMMENDATIONS, start=1):
            page.keyboard.type(text)
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "(n) => document.getElementById('aanbeveling-melding').textContent"
                ".includes('Aanbeveling ' + n + ' is toegevoegd.')",
                arg=number,
            )
            _wait_focus(page, "aanbeveling-tekst")
            assert page.input_value("#aanbeveling-tekst") == ""
            assert text in page.inner_text("#reacties")
        assert page.evaluate("() => window.stillTheSamePage === true") and loads == []
        # the folded part's summary line counts them, once on the page
        assert page.inner_text("#aanbevelingen-samenvatting") == (
            f"Aanbevelingen: {len(RECOMMENDATIONS)}; met een reactie van de gemeente: 0"
        )
        assert page.locator("[id=aanbevelingen-samenvatting]").count() == 1
        # the header's reason under "Advies vaststellen" went with the first addition
        assert "Voeg eerst" not in page.inner_text(".page-header__actions")
        assert axe_violations(page, live_server) == [], "after an inline add"

        # a refused add: the Dutch error next to the box and in a summary by the form, which
        # has the focus and links to the box; still no load
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("#aanbeveling-tekst-error")
        assert "Schrijf de aanbeveling." in page.inner_text("#aanbeveling-tekst-error")
        _wait_focus(page, "aanbeveling-foutmeldingen")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # the summary's link leads into the box
        _wait_focus(page, "aanbeveling-tekst")
        assert page.evaluate("() => window.stillTheSamePage === true") and loads == []
        assert axe_violations(page, live_server) == [], "after a refused inline add"

        _step(page, "Advies vaststellen")
        _step(page, "Advies verzenden")
        # a sent advice: its request and its text folded, the responses open
        assert page.locator("#gegevens-sectie").get_attribute("open") is None
        assert page.locator("#advies-sectie").get_attribute("open") is None
        assert "Verzonden op" in page.inner_text("#advies-sectie summary")
        assert not page.is_visible("#advice_text")
        assert axe_violations(page, live_server) == [], "the file with folded parts"
        # a folded part opens by keyboard
        page.focus("#advies-sectie summary")
        page.keyboard.press("Enter")
        assert page.locator("#advies-sectie").get_attribute("open") is not None
        assert page.is_visible("#advies-sectie p")
    finally:
        context.close()

    # the official records the response per recommendation, in place
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("console", lambda msg: console.append(msg.text))
    loads.clear()
    try:
        log_in(page, live_server, "zaanstad", "ambtenaar")
        page.goto(f"{live_server}{BASE}/dossiers/{advice_id}")
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("() => { window.stillTheSamePage = true; }")
        page.on("load", lambda _page: loads.append("load"))
        selects = page.locator("#reacties select").evaluate_all("(els) => els.map(e => e.id)")
        assert len(selects) == 3
        page.focus(f"#{selects[0]}")
        for index, (response, reasoning) in enumerate(RESPONSES):
            assert _focused(page) == selects[index]
            page.select_option(f"#{selects[index]}", response)
            page.keyboard.press("Tab")
            page.keyboard.type(reasoning)
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "(n) => document.getElementById('aanbeveling-melding').textContent"
                ".includes('aanbeveling ' + n + ' is vastgelegd')",
                arg=index + 1,
            )
            # the next recommendation's choice; after the last, the step that finishes
            following = selects[index + 1] if index + 1 < len(selects) else "stap-response_received"
            _wait_focus(page, following)
        assert page.evaluate("() => window.stillTheSamePage === true") and loads == []
        assert "Past niet in de begroting." in page.inner_text("#reacties")
        assert page.inner_text("#aanbevelingen-samenvatting") == (
            f"Aanbevelingen: {len(RECOMMENDATIONS)}; "
            f"met een reactie van de gemeente: {len(RESPONSES)}"
        )
        assert page.locator("[id=aanbevelingen-samenvatting]").count() == 1
        assert "open)" not in page.inner_text(".page-header__actions")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Reactie ontvangen" in page.inner_text("main")
    finally:
        context.close()
    assert _result(demo, subject) == ("response_received", _expected())
    assert not [m for m in console if "Content Security Policy" in m or "unsafe-eval" in m]


def test_the_same_flow_without_javascript(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    subject = "Beleidsregels schuldhulp (zonder JavaScript)"
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "secretaris")
        advice_id = _register(page, live_server, subject)
        # the next step is three keys from the top without JavaScript too
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        step = page.locator(".page-header__actions").get_by_role(
            "button", name="In behandeling nemen"
        )
        assert step.evaluate("(el) => el === document.activeElement")
        with page.expect_navigation():
            page.keyboard.press("Enter")

        page.fill("#advice_text", "De commissie adviseert positief, met drie aanbevelingen.")
        with page.expect_navigation():
            page.get_by_role("button", name="Adviestekst opslaan").click()
        assert page.url.endswith("#advies-opgeslagen")
        assert "De tekst van het advies is opgeslagen." in page.inner_text("#advies-opgeslagen")
        # from the confirmation the next Tab is the recommendation box
        page.keyboard.press("Tab")
        assert page.locator("#aanbeveling-tekst").evaluate("(el) => el === document.activeElement")

        for number, text in enumerate(RECOMMENDATIONS, start=1):
            page.fill("#aanbeveling-tekst", text)
            with page.expect_navigation():
                page.get_by_role("button", name="Aanbeveling toevoegen").click()
            assert page.url.endswith("#aanbeveling-toevoegen")
            assert f"Aanbeveling {number} is toegevoegd." in page.inner_text("main")
        with page.expect_navigation():
            page.get_by_role("button", name="Aanbeveling toevoegen").click()
        assert "Schrijf de aanbeveling." in page.inner_text("#aanbeveling-tekst-error")
        assert "Schrijf de aanbeveling." in page.inner_text("#foutmeldingen")

        # the link under the box leads back up to the step: one Tab further is the button
        page.get_by_role("link", name="Naar de volgende stap: Advies vaststellen").click()
        page.keyboard.press("Tab")
        assert page.locator("#stap-adopted").evaluate("(el) => el === document.activeElement")
        _step(page, "Advies vaststellen")
        _step(page, "Advies verzenden")
        assert page.locator("#advies-sectie").get_attribute("open") is None
        page.focus("#advies-sectie summary")
        page.keyboard.press("Enter")  # folds open without JavaScript
        assert page.is_visible("#advies-sectie p")
    finally:
        context.close()

    context = browser.new_context(locale="nl-NL", java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "ambtenaar")
        page.goto(f"{live_server}{BASE}/dossiers/{advice_id}")
        selects = page.locator("#reacties select").evaluate_all("(els) => els.map(e => e.id)")
        assert len(selects) == 3
        for index, (response, reasoning) in enumerate(RESPONSES):
            rec = selects[index].split("-")[0]
            page.select_option(f"#{selects[index]}", response)
            page.fill(f"#{rec}-reasoning", reasoning)
            with page.expect_navigation():
                page.get_by_role(
                    "button", name=f"Reactie op aanbeveling {index + 1} opslaan"
                ).click()
            assert f"De reactie op aanbeveling {index + 1} is vastgelegd." in page.inner_text(
                "main"
            )
        # after the last one the page opens at its header: the next Tab finishes the response
        assert page.url.endswith("#dossier-acties")
        page.keyboard.press("Tab")
        assert page.locator("#stap-response_received").evaluate(
            "(el) => el === document.activeElement"
        )
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Reactie ontvangen" in page.inner_text("main")
        # the responses are done: folded, with the count in the summary line
        assert page.locator("#aanbevelingen-sectie").get_attribute("open") is None
        assert "met een reactie van de gemeente: 3" in page.inner_text(
            "#aanbevelingen-sectie summary"
        )
        for _response, reasoning in RESPONSES:
            assert reasoning in page.text_content("#reacties")
    finally:
        context.close()
    assert _result(demo, subject) == ("response_received", _expected())


def test_a_folded_file_prints_whole_and_folds_again_after(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """Printed from the browser, the closed parts open for the print (enhance.js) and close
    again afterwards, so the paper has the whole file and the screen is as it was."""
    with demo.app_context():
        advice_id = (
            db.session.execute(select(AdviceFile.id).order_by(AdviceFile.id.desc()))
            .scalars()
            .first()
        )
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "secretaris")
        page.goto(f"{live_server}{BASE}/dossiers/{advice_id}")
        closed_js = "() => document.querySelectorAll('main details:not([open])').length"
        closed = page.evaluate(closed_js)
        assert closed > 0, "the file shows some parts folded"
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        assert page.evaluate(closed_js) == 0
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
        assert page.evaluate(closed_js) == closed
    finally:
        context.close()


def test_a_half_written_recommendation_survives_saving_the_advice_text(
    demo, live_server, browser
) -> None:  # type: ignore[no-untyped-def]
    """Saving the advice text posts its own form and loads the page again; the recommendation
    being written in the box below comes back in the box (enhance.js), not lost."""
    subject = "Verordening maatschappelijke ondersteuning (concept bewaard)"
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "secretaris")
        _register(page, live_server, subject)
        _step(page, "In behandeling nemen")
        page.wait_for_function("() => window.htmx !== undefined")
        page.fill("#aanbeveling-tekst", "Betrek de cliëntenraad al bij het eerste concept.")
        page.fill("#advice_text", "De commissie adviseert positief.")
        with page.expect_navigation():
            page.get_by_role("button", name="Adviestekst opslaan").click()
        page.wait_for_function("() => document.readyState === 'complete'")
        assert page.input_value("#aanbeveling-tekst") == (
            "Betrek de cliëntenraad al bij het eerste concept."
        )
        assert "De commissie adviseert positief." in page.inner_text("#advies-sectie")
        # read once: a later load of the page starts empty again
        page.reload()
        assert page.input_value("#aanbeveling-tekst") == ""
        # nothing was added behind the secretary's back: the box is still only typed in
        assert _result(demo, subject)[1] == []
    finally:
        context.close()
