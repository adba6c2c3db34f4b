"""Browser tests in a real headless Chromium (Debian's, at /usr/bin/chromium) driven by
Playwright, with axe-core served by the app itself from ``/static/vendor/axe/axe.min.js``
(``make assets``), so the pages' CSP (``script-src 'self'``) allows it without bypassing
anything. One implementation of the threaded live server, the browser, signing in and the axe
run, shared by the core's and the plugins' browser tests.

A browser test module starts with ``sync_api = require_browser()``: the module is skipped only
when Chromium or Playwright is missing on the machine, never when they are present. The
fixtures ``live_server`` and ``browser`` (module-scoped) are registered by the core's pytest
plugin, so a test asks for them by name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from intranet_dev.slapd import free_port

from .helpers import PASSWORD

#: Debian's Chromium (``make browser-packages``)
CHROMIUM = Path("/usr/bin/chromium")
_VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
#: axe-core and htmx, served by the app (``make assets``)
AXE_JS = _VENDOR / "axe" / "axe.min.js"
HTMX_JS = _VENDOR / "htmx" / "htmx.min.js"
#: the arguments every browser test launches Chromium with
CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu")
#: WCAG 2.0 and 2.1, levels A and AA
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe's violations as one line each: rule, impact, help and the first three elements
RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => `${v.id} [${v.impact}] ${v.help}: ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}
"""


def require_browser() -> ModuleType:
    """Skip the calling test module when Chromium or Playwright is missing (only then), and
    return ``playwright.sync_api``. Call it at module level, before the tests."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium is not installed at /usr/bin/chromium (make browser-packages)",
            allow_module_level=True,
        )
    return pytest.importorskip("playwright.sync_api")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """The app in a real threaded HTTP server on a free port, in a background thread; yields
    its base URL. Fails (not skips) when the vendored scripts are missing: the pages need
    them, and a missing build must not pass unnoticed."""
    for script in (AXE_JS, HTMX_JS):
        if not script.exists():
            pytest.fail(f"{script} is missing: run `make assets`")
    server = make_server(
        "127.0.0.1", free_port(), app, threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextmanager
def launch_chromium(args: Sequence[str] = CHROMIUM_ARGS) -> Iterator[Any]:
    """A headless Chromium (a Playwright ``Browser``), closed afterwards."""
    sync_api = require_browser()
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=list(args))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def live_server(app: Flask) -> Iterator[str]:
    """The session's app served over HTTP for one test module."""
    with serve(app) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for one test module."""
    with launch_chromium() as chromium:
        yield chromium


def log_in(page: Any, base: str, slug: str, username: str) -> None:
    """Sign in on the municipality's sign-in page with the demo password."""
    page.goto(f"{base}/{slug}/inloggen")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def new_page(browser: Any) -> Any:
    """A page in a new context of a Dutch browser, as the employees use."""
    return browser.new_context(locale="nl-NL").new_page()


def sign_in(browser: Any, base: str, slug: str, username: str) -> Any:
    """A page in a new Dutch browser context, signed in as the employee."""
    page = new_page(browser)
    log_in(page, base, slug, username)
    return page


def axe_violations(page: Any, base_url: str) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page, one line each."""
    page.add_script_tag(url=f"{base_url}/static/vendor/axe/axe.min.js")
    return page.evaluate(RUN_AXE_JS, WCAG_TAGS)  # type: ignore[no-any-return]
