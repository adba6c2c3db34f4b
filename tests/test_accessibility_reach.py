"""axe-core (WCAG 2.0/2.1 A + AA) on the organisation and reach pages, also in the states a
crawl does not reach: forms with errors, a refused period, a contact person refused."""

from __future__ import annotations

import re

import pytest
from test_accessibility import (  # noqa: F401 - fixtures used by name
    Crawl,
    _axe,
    _give_everyone_every_permission,
    _sign_in,
    _submit,
    browser,
)

pytestmark = pytest.mark.browser

ERRORS = ".utrecht-form-field-error-message"


def test_reach_and_organisation_pages_pass_axe(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _give_everyone_every_permission(demo)
    crawl = Crawl(live_server)
    base = live_server
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, base, "zwolle", "griffier")
        # organisations: empty form, then a real one, its page, a refused contact person
        page.goto(f"{base}/zwolle/organisaties/nieuw")
        assert _submit(page).status == 400 and page.locator(ERRORS).count() >= 1
        _axe(page, crawl, "/zwolle/organisaties/nieuw (empty form)")
        page.fill("input[name=name]", "Burgerplatform Zwolle")
        page.select_option("select[name=kind]", "citizens_platform")
        assert _submit(page).status == 200
        _axe(page, crawl, "organisation detail")
        page.fill("input[name=resident_id]", "abc")
        assert _submit(page, "main form[action$=contactpersonen] button").status == 400
        _axe(page, crawl, "organisation detail (contact refused)")
        page.goto(f"{base}/zwolle/organisaties/")
        _axe(page, crawl, "/zwolle/organisaties/")
        # reach groups: the admin page, an empty submit, a group
        page.goto(f"{base}/zwolle/bereik/groepen")
        _axe(page, crawl, "/zwolle/bereik/groepen")
        assert _submit(page).status == 400
        _axe(page, crawl, "/zwolle/bereik/groepen (empty form)")
        page.fill("input[name=name]", "Jonge mantelzorgers")
        assert _submit(page).status == 200
        # the reach page, with a refused period and with a refused outreach action
        page.goto(f"{base}/zwolle/bereik/?van=01-01-2025&tot=31-12-2025")
        _axe(page, crawl, "/zwolle/bereik/")
        response = page.goto(f"{base}/zwolle/bereik/?van=fout")
        assert response is not None and response.status == 400
        _axe(page, crawl, "/zwolle/bereik/ (bad period)")
        page.goto(f"{base}/zwolle/bereik/")
        assert _submit(page, "main form[action$=acties] button").status == 400
        _axe(page, crawl, "/zwolle/bereik/acties (empty form)")
        # a resident's reach groups, with an empty submit
        page.goto(f"{base}/zwolle/inwoners/")
        hrefs = page.eval_on_selector_all("main a", "links => links.map(a => a.pathname)")
        resident_id = next(h for h in hrefs if re.fullmatch(r"/zwolle/inwoners/\d+", h)).rsplit(
            "/", 1
        )[1]
        page.goto(f"{base}/zwolle/bereik/inwoners/{resident_id}")
        _axe(page, crawl, "resident reach groups")
        assert _submit(page, "main form:not(.inline-form) button[type=submit]").status == 400
        _axe(page, crawl, "resident reach groups (empty form)")
    finally:
        context.close()
    problems = crawl.report()
    assert not problems, f"{len(problems)} accessibility problem(s):\n" + "\n".join(problems)
