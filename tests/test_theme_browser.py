"""In a real Chromium: a municipality under the second shipped theme ("gemeente") shows its
colours and logo, breaks no Content Security Policy rule, and axe-core finds no WCAG 2.1 AA
violation (colour contrast included) on its pages. The shared setup of ``intranet.testing.browser``
(a real threaded server, Debian's Chromium, axe served by the app)."""

from __future__ import annotations

import pytest

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.testing.browser import axe_violations, log_in, require_browser
from intranet.testing.helpers import PASSWORD
from intranet.themes import service as themes

require_browser()
pytestmark = pytest.mark.browser

#: the "gemeente" theme's link and primary colour, #00646b
TEAL = "rgb(0, 100, 107)"


def test_pages_under_the_second_theme_pass_axe(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        themes.set_theme(municipalities.by_slug("zaanstad"), "gemeente", actor="test")
        db.session.commit()
    context = browser.new_context(locale="nl-NL")  # type: ignore[attr-defined]
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    found: dict[str, list[str]] = {}
    try:
        page.goto(f"{live_server}/zaanstad/inloggen")
        found["sign-in page"] = axe_violations(page, live_server)
        page.fill("input[name=username]", "coordinator")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        for path in (
            "/zaanstad/",
            "/zaanstad/meedenkgroepen/vragenlijsten",
            "/zaanstad/inwoners/nieuw",
        ):
            assert page.goto(live_server + path).status == 200, path
            found[path] = axe_violations(page, live_server)
        # the theme is really in force: teal links and buttons, the logo loaded
        colours = page.evaluate(
            """() => [getComputedStyle(document.querySelector('main .utrecht-button--primary-action')).backgroundColor,
                      getComputedStyle(document.documentElement).getPropertyValue('--utrecht-link-color').trim()]"""
        )
        assert colours[0] == TEAL, colours
        assert page.evaluate("() => document.querySelector('.site-header__logo').naturalWidth") > 0
        # a refused form: the error colours against the theme
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        found["refused form"] = axe_violations(page, live_server)

        # the platform operator's theme page, and a refused upload with its summary
        context.clear_cookies()
        log_in(page, live_server, "zwolle", "itbeheer")
        page.goto(f"{live_server}/beheer/zaanstad/thema")
        assert page.locator(".theme-logo-preview").evaluate("img => img.naturalWidth") > 0
        found["theme page"] = axe_violations(page, live_server)
        page.set_input_files(
            "input[name=tokens]",
            files=[{"name": "kapot.css", "mimeType": "text/css", "buffer": b"body { color: red }"}],
        )
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"
        assert "alleen CSS custom properties" in page.inner_text("main")
        found["refused theme upload"] = axe_violations(page, live_server)
    finally:
        context.close()
    assert not {k: v for k, v in found.items() if v}, found
    assert csp_errors == []
