"""Accessibility of the plugin's pages in a real headless Chromium with axe-core (WCAG 2.0/2.1
A and AA), the same way tests/test_accessibility.py audits the core: its crawl only reaches
plugins switched on by the demo fixture, which leaves this one off, so this test crawls the
plugin's pages itself (as plan editor, from its overview, every link under the plugin), plus
pages no link reaches: forms with validation errors and the public planning page."""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from participatieplan_fixtures import EDITOR, first, load_plan
from werkzeug.serving import WSGIRequestHandler, make_server

import intranet
from intranet.testing.helpers import PASSWORD
from intranet_dev.slapd import free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(intranet.__file__).resolve().parent / "static/vendor/axe/axe.min.js"

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_PAGES = 60
RUN_AXE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => `${v.id} [${v.impact}] ${v.help}: ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}
"""
LINKS_JS = "() => Array.from(document.querySelectorAll('main a[href]')).map(a => a.href)"


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture
def live(plan) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make assets`")
    server = make_server("127.0.0.1", free_port(), plan, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _axe(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(url=f"{base}/static/vendor/axe/axe.min.js")
    return page.evaluate(RUN_AXE_JS, WCAG_TAGS)


def _submit(page):  # type: ignore[no-untyped-def]
    with page.expect_navigation() as navigation:
        page.locator("main form.form button[type=submit]").first.click()
    return navigation.value


def test_plugin_pages_pass_axe(plan, live) -> None:  # type: ignore[no-untyped-def]
    from intranet_participatieplan.models import Workstream

    from plugins.meedenkgroepen.models import Questionnaire

    load_plan(plan, "zaanstad")  # the question bank then shows in meedenkgroepen's builder
    draft = first(plan, Questionnaire, "zaanstad", status="concept")
    problems: list[str] = []
    audited: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(locale="nl-NL").new_page()
        page.goto(f"{live}/zwolle/inloggen")
        page.fill("input[name=username]", EDITOR)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()

        start = "/zwolle/participatieplan/"
        queue, seen = deque([start]), {start}
        while queue and len(audited) < MAX_PAGES:
            path = queue.popleft()
            response = page.goto(live + path)
            assert response is not None and response.status == 200, path
            problems += [f"{path}: {v}" for v in _axe(page, live)]
            audited.append(path)
            for href in page.evaluate(LINKS_JS):
                href, _ = urldefrag(href)
                parts = urlsplit(href)
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                if (
                    href.startswith(live)
                    and link.startswith("/zwolle/participatieplan/")
                    and link not in seen
                ):
                    seen.add(link)
                    queue.append(link)

        # forms refused with errors next to the fields
        workstream_id = first(plan, Workstream)
        for path in (
            "/zwolle/participatieplan/agenda/nieuw",
            f"/zwolle/participatieplan/werkstromen/{workstream_id}/momenten/nieuw",
            "/zwolle/participatieplan/werkateliers/nieuw",
            "/zwolle/participatieplan/personas/nieuw",
        ):
            page.goto(live + path)
            page.evaluate(
                "() => document.querySelectorAll('main form.form input[type=text], main form.form textarea').forEach(e => e.value = '')"
            )
            response = _submit(page)
            assert response.status == 400, path
            assert page.locator(".utrecht-form-field-error-message").count() >= 1
            problems += [f"{path} (refused): {v}" for v in _axe(page, live)]
            audited.append(f"{path} (refused)")

        # the residents' side
        public = browser.new_context(locale="nl-NL").new_page()
        public.goto(f"{live}/publiek/zwolle/participatieplan/")
        problems += [f"public: {v}" for v in _axe(public, live)]

        # meedenkgroepen's questionnaire builder with this plugin's question bank
        builder = browser.new_context(locale="nl-NL").new_page()
        builder.goto(f"{live}/zaanstad/inloggen")
        builder.fill("input[name=username]", "coordinator")
        builder.fill("input[name=password]", PASSWORD)
        with builder.expect_navigation():
            builder.locator("main form button[type=submit]").first.click()
        builder.goto(f"{live}/zaanstad/meedenkgroepen/vragenlijsten/{draft}")
        assert builder.locator("#bank_question").count() == 1
        problems += [f"questionnaire builder with bank: {v}" for v in _axe(builder, live)]
        with builder.expect_navigation():
            builder.locator("form[aria-labelledby=uit-vragenbank] button[type=submit]").click()
        assert builder.locator(".utrecht-form-field-error-message").count() >= 1
        problems += [f"questionnaire builder, bank refused: {v}" for v in _axe(builder, live)]
        browser.close()

    kinds = {re.sub(r"\d+", "{n}", a) for a in audited}
    for expected in (
        "/zwolle/participatieplan/",
        "/zwolle/participatieplan/momenten",
        "/zwolle/participatieplan/jaar",
        "/zwolle/participatieplan/werkateliers/{n}",
        "/zwolle/participatieplan/personas/{n}",
        "/zwolle/participatieplan/momenten/{n}",
        "/zwolle/participatieplan/werkstromen/{n}",
        "/zwolle/participatieplan/vragenbank",
    ):
        assert expected in kinds, f"the crawl missed {expected}: {sorted(kinds)}"
    assert not problems, f"{len(problems)} accessibility problem(s):\n" + "\n".join(problems)
