"""Signing out under single sign-on in a real browser (headless Chromium), with axe-core.

The browser sends the proxy's header on every request (as a Kerberos proxy in front would) and
connects from 127.0.0.1, the trusted proxy here. Signing out must land on a page that says how
to continue, stay signed out while the header keeps coming, and "Opnieuw aanmelden" must sign
in again. Every page on the way passes axe (WCAG 2.0/2.1 A and AA).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from intranet import create_app
from intranet.testing.helpers import SECRET_KEY
from intranet_dev.slapd import free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parent.parent / "intranet/static/vendor/axe/axe.min.js"
if not CHROMIUM.exists() or not AXE_JS.exists():
    pytest.skip("needs Debian's Chromium and `make assets`", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.ldap]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => v.id + ': ' + v.help);
}
"""
SSO = """
[municipalities.zwolle.sso]
header = "X-Remote-User"
trusted_proxies = ["127.0.0.1"]
realms = ["ZWOLLE.DEMO"]

[municipalities.zaanstad.sso]
header = "X-Remote-User"
trusted_proxies = ["127.0.0.1"]
required = true
"""


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture
def base_url(demo, deployment_config: Path, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    config = tmp_path / "intranet.toml"
    config.write_text(deployment_config.read_text() + SSO)
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SECRET_KEY": SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": demo.config["SQLALCHEMY_DATABASE_URI"],
            "DEPLOYMENT_CONFIG": str(config),
            "SESSION_COOKIE_SECURE": False,
        }
    )
    server = make_server(
        "127.0.0.1", free_port(), app, threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(base_url: str) -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless=new", "--no-sandbox"]
        )
        try:
            # a Dutch browser, as the employees use
            context = browser.new_context(
                locale="nl-NL", extra_http_headers={"X-Remote-User": "griffier@ZWOLLE.DEMO"}
            )
            yield context.new_page()
        finally:
            browser.close()


def _axe(page, base_url: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(url=f"{base_url}/static/vendor/axe/axe.min.js")
    return page.evaluate(RUN_AXE_JS, WCAG_TAGS)


def test_sign_out_and_sign_in_again_in_a_browser(base_url, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/zwolle/")
    assert "Jan de Vries" in page.content()  # signed in by the header alone

    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    assert page.url == f"{base_url}/zwolle/uitgelogd"
    assert "U bent uitgelogd" in page.content()
    assert _axe(page, base_url) == []

    page.goto(f"{base_url}/zwolle/")  # the header still comes with every request
    assert "/zwolle/inloggen" in page.url
    assert "Jan de Vries" not in page.content()
    assert _axe(page, base_url) == []

    with page.expect_navigation():
        page.get_by_role("button", name="Opnieuw aanmelden").click()
    assert page.url.endswith("/zwolle/")
    assert "Jan de Vries" in page.content()


def test_sign_in_page_where_sso_is_required_passes_axe(base_url, page) -> None:  # type: ignore[no-untyped-def]
    page = page.context.browser.new_context(locale="nl-NL").new_page()  # no header: Kerberos failed
    page.goto(f"{base_url}/zaanstad/inloggen")
    assert "via uw werkplek" in page.content()
    assert page.locator("input[name=password]").count() == 0
    assert _axe(page, base_url) == []
