"""Signing out under single sign-on in a real browser (headless Chromium), with axe-core.

The browser sends the proxy's header on every request (as a Kerberos proxy in front would) and
connects from 127.0.0.1, the trusted proxy here. Signing out must land on a page that says how
to continue, stay signed out while the header keeps coming, and "Opnieuw aanmelden" must sign
in again. Every page on the way passes axe (WCAG 2.0/2.1 A and AA).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intranet import create_app
from intranet.testing.browser import axe_violations, launch_chromium, require_browser, serve
from intranet.testing.helpers import SECRET_KEY

require_browser()

pytestmark = [pytest.mark.browser, pytest.mark.ldap]

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
    with serve(app) as url:
        yield url


@pytest.fixture
def page(base_url: str) -> Iterator[object]:
    with launch_chromium() as browser:
        # a Dutch browser, as the employees use
        context = browser.new_context(
            locale="nl-NL", extra_http_headers={"X-Remote-User": "griffier@ZWOLLE.DEMO"}
        )
        yield context.new_page()


def test_sign_out_and_sign_in_again_in_a_browser(base_url, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/zwolle/")
    assert "Jan de Vries" in page.content()  # signed in by the header alone

    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    assert page.url == f"{base_url}/zwolle/uitgelogd"
    assert "U bent uitgelogd" in page.content()
    assert axe_violations(page, base_url) == []

    page.goto(f"{base_url}/zwolle/")  # the header still comes with every request
    assert "/zwolle/inloggen" in page.url
    assert "Jan de Vries" not in page.content()
    assert axe_violations(page, base_url) == []

    with page.expect_navigation():
        page.get_by_role("button", name="Opnieuw aanmelden").click()
    assert page.url.endswith("/zwolle/")
    assert "Jan de Vries" in page.content()


def test_sign_in_page_where_sso_is_required_passes_axe(base_url, page) -> None:  # type: ignore[no-untyped-def]
    page = page.context.browser.new_context(locale="nl-NL").new_page()  # no header: Kerberos failed
    page.goto(f"{base_url}/zaanstad/inloggen")
    assert "via uw werkplek" in page.content()
    assert page.locator("input[name=password]").count() == 0
    assert axe_violations(page, base_url) == []
