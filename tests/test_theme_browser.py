"""In a real Chromium: a municipality under the second shipped theme ("gemeente") shows its
colours and logo, breaks no Content Security Policy rule, and axe-core finds no WCAG 2.1 AA
violation (colour contrast included) on its pages. Same setup as ``test_accessibility_lists``
(a real threaded server, Debian's Chromium, axe served by the app)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import PASSWORD
from intranet.themes import service as themes
from intranet_dev.slapd import free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parent.parent / "intranet/static/vendor/axe/axe.min.js"
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target).join(' | ')})`);
}
"""
#: the "gemeente" theme's link and primary colour, #00646b
TEAL = "rgb(0, 100, 107)"


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make assets`")
    server = make_server("127.0.0.1", free_port(), app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


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
        found["sign-in page"] = _axe(page, live_server)
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
            found[path] = _axe(page, live_server)
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
        found["refused form"] = _axe(page, live_server)

        # the platform operator's theme page, and a refused upload with its summary
        context.clear_cookies()
        page.goto(f"{live_server}/zwolle/inloggen")
        page.fill("input[name=username]", "itbeheer")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        page.goto(f"{live_server}/beheer/zaanstad/thema")
        assert page.locator(".theme-logo-preview").evaluate("img => img.naturalWidth") > 0
        found["theme page"] = _axe(page, live_server)
        page.set_input_files(
            "input[name=tokens]",
            files=[{"name": "kapot.css", "mimeType": "text/css", "buffer": b"body { color: red }"}],
        )
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"
        assert "alleen CSS custom properties" in page.inner_text("main")
        found["refused theme upload"] = _axe(page, live_server)
    finally:
        context.close()
    assert not {k: v for k, v in found.items() if v}, found
    assert csp_errors == []


def _axe(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(url=f"{base}/static/vendor/axe/axe.min.js")
    return page.evaluate(RUN_AXE_JS, WCAG_TAGS)  # type: ignore[no-any-return]
