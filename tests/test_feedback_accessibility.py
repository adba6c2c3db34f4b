"""Accessibility of the Terugkoppeling pages in a real headless Chromium with axe-core (WCAG
2.0/2.1 A and AA), as tests/test_accessibility.py audits the core: the page with its filters,
the same page with a refused filter (its error next to the field), the monthly overview, a
refused month, and a resident's page with contributions; as Zwolle's council clerk and as
Zaanstad's participation coordinator."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import intranet_test_everything as everything
import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

import intranet
from intranet.contract import Contribution
from intranet.extensions import db
from intranet.municipalities import service
from intranet.residents.models import Resident
from intranet.testing.helpers import PASSWORD
from intranet_dev.slapd import free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(intranet.__file__).resolve().parent / "static/vendor/axe/axe.min.js"

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => `${v.id} [${v.impact}] ${v.help}: ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}
"""


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture
def live(demo) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make assets`")
    server = make_server("127.0.0.1", free_port(), demo, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_feedback_pages_pass_axe(demo, live) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        service.set_plugin_enabled(zwolle, "everything", True, actor="test")
        db.session.commit()
        anna = db.session.execute(
            select(Resident.id).where(Resident.name == "Anna de Jong")
        ).scalar_one()
    everything.CONTRIBUTIONS["zwolle"] = [
        Contribution(
            plugin="everything",
            key="a",
            kind="workshop_input",
            title="Een wijkbus op zaterdag",
            contributed_at=date(2026, 11, 2),
            theme="Vervoer",
            resident_ids=(anna,),
            status="partly_used",
            status_reason="Alleen in de zomer",
            feedback_due=date(2026, 11, 20),
            url="/zwolle/everything/",
        )
    ]
    pages = {
        "zwolle": (
            "griffier",
            [
                "/zwolle/terugkoppeling/",
                "/zwolle/terugkoppeling/?termijn=te-laat&plugin=everything",
                "/zwolle/terugkoppeling/?termijn=morgen",
                "/zwolle/terugkoppeling/overzicht?maand=2026-11",
                "/zwolle/terugkoppeling/overzicht?maand=nov",
                "/zwolle/terugkoppeling/termijnen",
                f"/zwolle/inwoners/{anna}",
                "/zwolle/",
            ],
        ),
        "zaanstad": (
            "coordinator",
            ["/zaanstad/terugkoppeling/", "/zaanstad/terugkoppeling/overzicht?maand=2026-11"],
        ),
    }
    problems: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for slug, (user, paths) in pages.items():
                page = browser.new_context(locale="nl-NL").new_page()
                page.goto(f"{live}/{slug}/inloggen")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                with page.expect_navigation():
                    page.locator("main form button[type=submit]").first.click()
                for path in paths:
                    response = page.goto(live + path)
                    assert response is not None and response.status in (200, 400), path
                    page.add_script_tag(url=f"{live}/static/vendor/axe/axe.min.js")
                    problems += [f"{path}: {v}" for v in page.evaluate(RUN_AXE_JS, WCAG_TAGS)]
                if slug == "zwolle":  # the terms form refused, its errors next to the fields
                    page.goto(f"{live}/zwolle/terugkoppeling/termijnen")
                    page.fill("input[name=council_idea]", "0")
                    with page.expect_navigation():
                        page.locator("main form.form button[type=submit]").first.click()
                    assert page.locator(".utrecht-form-field-error-message").count() == 1
                    page.add_script_tag(url=f"{live}/static/vendor/axe/axe.min.js")
                    problems += [
                        f"terms refused: {v}" for v in page.evaluate(RUN_AXE_JS, WCAG_TAGS)
                    ]
            browser.close()
    finally:
        everything.CONTRIBUTIONS.clear()
    assert problems == []
