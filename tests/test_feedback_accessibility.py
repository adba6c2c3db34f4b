"""Accessibility of the Terugkoppeling pages in a real headless Chromium with axe-core (WCAG
2.0/2.1 A and AA), as tests/test_accessibility.py audits the core: the page with its filters,
the same page with a refused filter (its error next to the field), the monthly overview, a
refused month, and a resident's page with contributions; as Zwolle's council clerk and as
Zaanstad's participation coordinator."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import intranet_test_everything as everything
import pytest
from sqlalchemy import select

from intranet.contract import Contribution
from intranet.extensions import db
from intranet.municipalities import service
from intranet.residents.models import Resident
from intranet.testing.browser import (
    axe_violations,
    launch_chromium,
    require_browser,
    serve,
    sign_in,
)

require_browser()
pytestmark = pytest.mark.browser


@pytest.fixture
def live(demo) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(demo) as base_url:
        yield base_url


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
        with launch_chromium() as browser:
            for slug, (user, paths) in pages.items():
                page = sign_in(browser, live, slug, user)
                for path in paths:
                    response = page.goto(live + path)
                    assert response is not None and response.status in (200, 400), path
                    problems += [f"{path}: {v}" for v in axe_violations(page, live)]
                if slug == "zwolle":  # the terms form refused, its errors next to the fields
                    page.goto(f"{live}/zwolle/terugkoppeling/termijnen")
                    page.fill("input[name=council_idea]", "0")
                    with page.expect_navigation():
                        page.locator("main form.form button[type=submit]").first.click()
                    assert page.locator(".utrecht-form-field-error-message").count() == 1
                    problems += [f"terms refused: {v}" for v in axe_violations(page, live)]
    finally:
        everything.CONTRIBUTIONS.clear()
    assert problems == []
