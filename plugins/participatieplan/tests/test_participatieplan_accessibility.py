"""Accessibility of the plugin's pages in a real headless Chromium with axe-core (WCAG 2.0/2.1
A and AA), the same way tests/test_accessibility.py audits the core: its crawl only reaches
plugins switched on by the demo fixture, which leaves this one off, so this test crawls the
plugin's pages itself (as plan editor, from its overview, every link under the plugin), plus
pages no link reaches: forms with validation errors and the public planning page."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

import pytest
from participatieplan_fixtures import EDITOR, first, load_plan

from intranet.testing.browser import (
    axe_violations,
    launch_chromium,
    new_page,
    require_browser,
    serve,
    sign_in,
)

require_browser()
pytestmark = pytest.mark.browser

MAX_PAGES = 60
LINKS_JS = "() => Array.from(document.querySelectorAll('main a[href]')).map(a => a.href)"


@pytest.fixture
def live(plan) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(plan) as base_url:
        yield base_url


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
    with launch_chromium() as browser:
        page = sign_in(browser, live, "zwolle", EDITOR)

        start = "/zwolle/participatieplan/"
        queue, seen = deque([start]), {start}
        while queue and len(audited) < MAX_PAGES:
            path = queue.popleft()
            response = page.goto(live + path)
            assert response is not None and response.status == 200, path
            problems += [f"{path}: {v}" for v in axe_violations(page, live)]
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
            problems += [f"{path} (refused): {v}" for v in axe_violations(page, live)]
            audited.append(f"{path} (refused)")

        # the residents' side
        public = new_page(browser)
        public.goto(f"{live}/publiek/zwolle/participatieplan/")
        problems += [f"public: {v}" for v in axe_violations(public, live)]

        # meedenkgroepen's questionnaire builder with this plugin's question bank
        builder = sign_in(browser, live, "zaanstad", "coordinator")
        builder.goto(f"{live}/zaanstad/meedenkgroepen/vragenlijsten/{draft}")
        assert builder.locator("#bank_question").count() == 1
        problems += [f"questionnaire builder with bank: {v}" for v in axe_violations(builder, live)]
        with builder.expect_navigation():
            builder.locator("form[aria-labelledby=uit-vragenbank] button[type=submit]").click()
        assert builder.locator(".utrecht-form-field-error-message").count() >= 1
        problems += [
            f"questionnaire builder, bank refused: {v}" for v in axe_violations(builder, live)
        ]

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
