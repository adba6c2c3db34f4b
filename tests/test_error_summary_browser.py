"""In a real Chromium: after a refused form the focus is on the error summary, after a save
on the confirmation; an empty required text box is not painted as invalid before sending."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from intranet.testing.helpers import PASSWORD
from intranet_dev.slapd import free_port

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    server = make_server("127.0.0.1", free_port(), app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def page_factory() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless=new", "--no-sandbox"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _sign_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/zwolle/inloggen")
    page.fill("input[name=username]", "griffier")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def test_focus_goes_to_the_summary_then_to_the_confirmation(
    demo, live_server, page_factory
) -> None:  # type: ignore[no-untyped-def]
    context = page_factory.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, live_server)
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


RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}
"""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe(page, base: str) -> list[dict]:  # type: ignore[no-untyped-def]
    page.add_script_tag(url=f"{base}/static/vendor/axe/axe.min.js")
    return page.evaluate(RUN_AXE_JS, WCAG_TAGS)  # type: ignore[no-any-return]


def test_new_page_states_pass_axe(demo, live_server, page_factory) -> None:  # type: ignore[no-untyped-def]
    """States the crawl does not reach by links: the group picker's results, a role's
    holders, the plugin switch-off confirmation, a refused plugin form with its summary."""
    context = page_factory.new_context(locale="nl-NL")
    page = context.new_page()
    problems: dict[str, list[dict]] = {}
    try:
        page.goto(f"{live_server}/zwolle/inloggen")
        page.fill("input[name=username]", "beheerder")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        for path in (
            "/zwolle/",
            "/zwolle/toegang/groepen?zoek=raad",
            "/zwolle/audit/?van=30-11-2026",
        ):
            page.goto(live_server + path)
            problems[path] = _axe(page, live_server)
        page.goto(f"{live_server}/zwolle/toegang/rollen/")
        page.locator("main a[href*='/toegang/rollen/']").first.click()
        page.wait_for_load_state()
        problems["role page"] = _axe(page, live_server)

        page.goto(f"{live_server}/zwolle/uitloggen")
        context.clear_cookies()
        page.goto(f"{live_server}/zwolle/inloggen")
        page.fill("input[name=username]", "itbeheer")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        page.goto(f"{live_server}/beheer/zwolle/plugins")
        with page.expect_navigation():
            page.locator("main form button:has-text('Uitzetten')").first.click()
        assert "uitzetten voor" in page.content()
        problems["plugin switch-off confirmation"] = _axe(page, live_server)

        context.clear_cookies()
        page.goto(f"{live_server}/zwolle/inloggen")
        page.fill("input[name=username]", "griffier")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        page.goto(f"{live_server}/zwolle/raadsgesprekken/aanvragen/nieuw")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"
        problems["refused request form"] = _axe(page, live_server)
    finally:
        context.close()
    assert not any(problems.values()), problems
