"""In a real Chromium: after a refused form the focus is on the error summary, after a save
on the confirmation; an empty required text box is not painted as invalid before sending."""

from __future__ import annotations

import pytest

from intranet.testing.browser import axe_violations, log_in, require_browser

require_browser()
pytestmark = pytest.mark.browser


def test_focus_goes_to_the_summary_then_to_the_confirmation(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        log_in(page, live_server, "zwolle", "griffier")
        page.goto(f"{live_server}/zwolle/inwoners/nieuw")
        # not red before the user sent anything: the same border as an optional box
        colours = page.evaluate(
            """() => Array.from(document.querySelectorAll('main input.utrecht-textbox, main textarea'))
                 .map(el => [el.name, el.required, getComputedStyle(el).borderTopColor,
                             getComputedStyle(el).borderTopWidth])"""
        )
        required = [c for c in colours if c[1]]
        optional = [c for c in colours if not c[1]]
        assert required and optional
        assert {(c[2], c[3]) for c in required} <= {(c[2], c[3]) for c in optional}

        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"
        # the first link in the summary leads to the field
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert href == "#name"
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.hash === '#name'")

        page.fill("input[name=name]", "Fenna Focus")
        page.select_option("select[name=kind]", "client")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.evaluate("() => document.activeElement.hasAttribute('data-flash')")
    finally:
        context.close()


def test_new_page_states_pass_axe(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """States the crawl does not reach by links: the group picker's results, a role's
    holders, the plugin switch-off confirmation, a refused plugin form with its summary."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    try:
        log_in(page, live_server, "zwolle", "beheerder")
        for path in (
            "/zwolle/",
            "/zwolle/toegang/groepen?zoek=raad",
            "/zwolle/audit/?van=30-11-2026",
        ):
            page.goto(live_server + path)
            problems[path] = axe_violations(page, live_server)
        page.goto(f"{live_server}/zwolle/toegang/rollen/")
        page.locator("main a[href*='/toegang/rollen/']").first.click()
        page.wait_for_load_state()
        problems["role page"] = axe_violations(page, live_server)

        page.goto(f"{live_server}/zwolle/uitloggen")
        context.clear_cookies()
        log_in(page, live_server, "zwolle", "itbeheer")
        page.goto(f"{live_server}/beheer/zwolle/plugins")
        with page.expect_navigation():
            page.locator("main form button:has-text('Uitzetten')").first.click()
        assert "uitzetten voor" in page.content()
        problems["plugin switch-off confirmation"] = axe_violations(page, live_server)

        context.clear_cookies()
        log_in(page, live_server, "zwolle", "griffier")
        page.goto(f"{live_server}/zwolle/raadsgesprekken/aanvragen/nieuw")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"
        problems["refused request form"] = axe_violations(page, live_server)
    finally:
        context.close()
    assert not any(problems.values()), problems


def test_a_save_that_returns_to_a_part_of_the_page_confirms_there(
    demo, live_server, browser
) -> None:  # type: ignore[no-untyped-def]
    """Making a calendar address returns to ``#abonneren``, far below the top: the
    confirmation moves to just after that heading and has the focus, in view."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1000, "height": 500})
    page = context.new_page()
    try:
        log_in(page, live_server, "zaanstad", "coordinator")
        page.goto(f"{live_server}/zaanstad/kalender")
        with page.expect_navigation():
            page.locator("#abonneren ~ form button[type=submit]").first.click()
        assert page.url.endswith("#abonneren")
        state = page.evaluate(
            """() => {
                const active = document.activeElement;
                const heading = document.getElementById('abonneren');
                const box = active.getBoundingClientRect();
                return {
                    flash: active.hasAttribute('data-flash'),
                    after_heading: heading.nextElementSibling === active,
                    in_view: box.top >= 0 && box.bottom <= window.innerHeight,
                    text: active.innerText,
                };
            }"""
        )
        assert state["flash"] and state["after_heading"] and state["in_view"], state
        assert state["text"].strip()
    finally:
        context.close()
