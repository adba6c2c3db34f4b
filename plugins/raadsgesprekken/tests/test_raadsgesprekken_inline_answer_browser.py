"""In a real Chromium with htmx: the clerk answers two ideas of a summary for the executive
without a page load, by keyboard, and the focus moves to the next idea's box each time; no
Content Security Policy rule is broken (htmx runs without eval or inline styles)."""

from __future__ import annotations

import re

import pytest
from test_raadsgesprekken_inline_answer import _summary_with_ideas

from intranet.extensions import db
from intranet.testing.browser import log_in, require_browser
from plugins.raadsgesprekken.models import ReportIdea

require_browser()
pytestmark = pytest.mark.browser


def test_two_answers_without_a_page_load_and_the_focus_on_the_next_idea(
    demo, live_server, browser
) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summary_id = _summary_with_ideas()
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    loads: list[str] = []
    try:
        log_in(page, live_server, "zwolle", "griffier")
        page.goto(f"{live_server}/zwolle/raadsgesprekken/doorgeefluik/{summary_id}")
        page.wait_for_function("() => window.htmx !== undefined")
        ideas = [int(i) for i in re.findall(r'id="idee-sectie-(\d+)"', page.content())]
        assert len(ideas) >= 3, "the demo needs three ideas in usable reports"
        page.evaluate("() => { window.stillTheSamePage = true; }")
        page.on("load", lambda _page: loads.append("load"))

        # idea 1: type, Tab to its button, Enter
        page.focus(f"#answer-{ideas[0]}")
        page.keyboard.press("Control+A")
        page.keyboard.type("Het college neemt dit over.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.activeElement && document.activeElement.id === 'answer-{ideas[1]}'"
        )
        assert "is vastgelegd" in page.inner_text("#idee-melding")

        # idea 2, from where the focus already is
        page.keyboard.press("Control+A")
        page.keyboard.type("Wordt onderzocht.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.activeElement && document.activeElement.id === 'answer-{ideas[2]}'"
        )
        assert page.evaluate("() => window.stillTheSamePage === true")
        assert loads == []
        assert "Het college neemt dit over." in page.inner_text(f"#idee-sectie-{ideas[0]}")
        assert "Wordt onderzocht." in page.inner_text(f"#idee-sectie-{ideas[1]}")

        # a refused answer: the Dutch error next to the box, the focus on it, still no load
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#answer-{ideas[2]}-error")
        assert "Vul het antwoord van het college in." in page.inner_text(
            f"#answer-{ideas[2]}-error"
        )
        page.wait_for_function(
            f"() => document.activeElement && document.activeElement.id === 'answer-{ideas[2]}'"
        )
        assert page.evaluate("() => window.stillTheSamePage === true")
    finally:
        context.close()
    with demo.app_context():
        assert db.session.get(ReportIdea, ideas[0]).answer == "Het college neemt dit over."
        assert db.session.get(ReportIdea, ideas[1]).answer == "Wordt onderzocht."
    assert not [m for m in console if "Content Security Policy" in m or "unsafe-eval" in m]
