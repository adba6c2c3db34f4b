"""The plan editor's main flow in a real Chromium, once with JavaScript and once without:
from the plan's overview to a workstream, a participation moment refused and then planned,
later recorded as held with its outcome and the day the participants heard back, and the
outcome on the public planning page. With JavaScript the error summary and the confirmation
take the focus; without it every step is a plain form post."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from intranet_participatieplan.models import Moment, Workstream
from participatieplan_fixtures import EDITOR
from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.browser import launch_chromium, log_in, require_browser, serve
from intranet.timeutil import local_today

require_browser()
pytestmark = pytest.mark.browser

TITLE = "Inloopavond wijkteams"
OUTCOME = "Twaalf bewoners gaven drie verbeterpunten voor de wijkteams."


@pytest.fixture
def live(plan) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(plan) as base_url:
        yield base_url


def _submit(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").first.click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_plan_a_moment_record_it_held_and_see_the_outcome_in_public(
    plan, live, javascript: bool
) -> None:  # type: ignore[no-untyped-def]
    today = local_today().isoformat()
    with plan.app_context():  # a workstream on the public page (one in concept is not)
        workstream_id = (
            db.session.execute(
                select(Workstream.id).where(Workstream.status != "concept").order_by(Workstream.id)
            )
            .scalars()
            .first()
        )
    title = f"{TITLE} ({'js' if javascript else 'zonder js'})"
    with launch_chromium() as chromium:
        context = chromium.new_context(locale="nl-NL", java_script_enabled=javascript)
        page = context.new_page()
        log_in(page, live, "zwolle", EDITOR)
        page.goto(f"{live}/zwolle/participatieplan/")
        with page.expect_navigation():
            page.locator(
                f"main a[href$='/participatieplan/werkstromen/{workstream_id}']"
            ).first.click()
        with page.expect_navigation():
            page.get_by_role("link", name="Participatiemoment toevoegen").click()

        # refused: the summary lists and links the errors, the fields keep what was typed
        page.fill("#title", title)
        _submit(page)
        summary = page.locator("[data-error-summary]")
        assert summary.is_visible()
        assert "Kies minstens één partij" in summary.inner_text()
        assert page.input_value("#title") == title
        focused = page.evaluate("() => document.activeElement && document.activeElement.id")
        assert (focused == "foutmeldingen") is javascript

        page.check("input[name=parties][value=inwoners]")
        page.select_option("#ladder", "raadplegen")
        page.select_option("#form", "informatieavond")
        page.fill("#planned_on", today)
        page.select_option("#status", "gepland")
        page.fill("#description", "Kom langs en vertel wat beter kan.")
        _submit(page)
        assert page.locator("[data-flash]").first.inner_text().strip() != ""
        assert "is opgeslagen" in page.inner_text("main")
        assert title in page.locator("h1").inner_text()

        # held today, with its outcome and the day the participants heard back
        with page.expect_navigation():
            page.locator(".page-header__actions a").first.click()
        page.select_option("#status", "gehouden")
        page.fill("#outcome", OUTCOME)
        page.fill("#outcome_reported_on", today)
        _submit(page)
        assert OUTCOME in page.inner_text("main")

        # the public planning page, without signing in, shows what the moment led to
        public = context.new_page()
        public.goto(f"{live}/publiek/zwolle/participatieplan/")
        assert OUTCOME in public.inner_text("main")
        context.close()

    with plan.app_context():
        moment = db.session.execute(select(Moment).where(Moment.title == title)).scalar_one()
        assert (moment.status, moment.outcome, moment.parties, moment.form) == (
            "gehouden",
            OUTCOME,
            ["inwoners"],
            "informatieavond",
        )
        assert moment.outcome_reported_on == local_today()
