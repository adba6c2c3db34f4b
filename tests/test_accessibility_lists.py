"""axe-core on the list states of issue 14.2 and the calendar subscription of 14.8: sorted,
filtered, paged and empty lists, the bulk-action checkboxes, and the calendar page with a
newly made feed address. Same setup as ``test_accessibility.py`` (a real threaded server,
Debian's Chromium, axe served by the app)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from intranet.testing.helpers import PASSWORD
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

#: (municipality, employee, page) for each list state
STATES = [
    ("zwolle", "griffier", "/zwolle/inwoners/?sorteer=wijk&volgorde=af"),
    ("zwolle", "griffier", "/zwolle/inwoners/?q=Niemand-heet-zo&soort=expert"),
    ("zwolle", "griffier", "/zwolle/inwoners/?pagina=2"),
    ("zwolle", "griffier", "/zwolle/raadsgesprekken/aanvragen?sorteer=status&volgorde=op"),
    ("zwolle", "griffier", "/zwolle/raadsgesprekken/aanvragen?wijk=Nergens"),
    ("zaanstad", "coordinator", "/zaanstad/meedenkgroepen/vragenlijsten?sorteer=titel"),
    ("zaanstad", "coordinator", "/zaanstad/meedenkgroepen/trajecten?stand=lopend"),
    ("zaanstad", "secretaris", "/zaanstad/adviescommissie/?sorteer=status&status=received"),
    ("zaanstad", "secretaris", "/zaanstad/adviescommissie/?zoek=Niets-heet-zo"),
    ("zwolle", "beheerder", "/zwolle/audit/?sorteer=medewerker&volgorde=op"),
    ("zwolle", "beheerder", "/zwolle/audit/?van=31-02-2026"),
    ("zwolle", "beheerder", "/zwolle/toegang/?bron=group&sorteer=status"),
    ("zwolle", "griffier", "/zwolle/raadsgesprekken/gesprekken?periode=alle&sorteer=vorm"),
    ("zwolle", "griffier", "/zwolle/raadsgesprekken/aanvragen?aanvinken=alle"),
    ("zaanstad", "coordinator", "/zaanstad/meedenkgroepen/?sorteer=leden&volgorde=af"),
]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make assets`")
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


def _sign_in(browser, base: str, slug: str, username: str):  # type: ignore[no-untyped-def]
    # a Dutch browser, as the employees use
    page = browser.new_context(locale="nl-NL").new_page()
    page.goto(f"{base}/{slug}/inloggen")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    return page


def _axe(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(url=f"{base}/static/vendor/axe/axe.min.js")
    return page.evaluate(RUN_AXE_JS, WCAG_TAGS)


def _trajectory_at_step_5(app) -> int:  # type: ignore[no-untyped-def]
    """A Zaanstad trajectory at step 5 with two contributions: the bulk decision form shows."""
    from intranet.extensions import db
    from intranet.municipalities import service
    from plugins.meedenkgroepen.models import Contribution, Trajectory

    with app.app_context():
        mid = service.by_slug("zaanstad").id
        t = Trajectory(
            municipality_id=mid, topic="Toegankelijk beslissen", origin="gemeente", step=5
        )
        db.session.add(t)
        db.session.flush()
        for n in (1, 2):
            db.session.add(
                Contribution(
                    municipality_id=mid,
                    trajectory_id=t.id,
                    position=n,
                    source="anders",
                    text=f"Idee {n}",
                )
            )
        db.session.commit()
        return t.id


def _meedenkgroepen_pages(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """A group's members, a panel's members, a sent questionnaire's invitations with every box
    ticked, and the edit page of a draft's question, with the demo's own ids."""
    from sqlalchemy import select

    from intranet.extensions import db
    from intranet.municipalities import service
    from plugins.meedenkgroepen.models import Group, Panel, Question, Questionnaire

    base = "/zaanstad/meedenkgroepen"
    with app.app_context():
        mid = service.by_slug("zaanstad").id
        group = db.session.execute(select(Group.id).where(Group.municipality_id == mid)).scalar()
        panel = db.session.execute(select(Panel.id).where(Panel.municipality_id == mid)).scalar()
        sent = db.session.execute(
            select(Questionnaire.id).where(
                Questionnaire.municipality_id == mid, Questionnaire.status != "concept"
            )
        ).scalar()
        question = db.session.execute(
            select(Question)
            .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
            .where(Questionnaire.municipality_id == mid, Questionnaire.status == "concept")
        ).scalar()
    pages = [
        f"{base}/groepen/{group}?status=lid",
        f"{base}/panels/{panel}?sorteer=aangemeld",
        f"{base}/vragenlijsten/{sent}/uitnodigingen?aanvinken=alle",
    ]
    if question is not None:
        pages.append(
            f"{base}/vragenlijsten/{question.questionnaire_id}/vragen/{question.id}/bewerken"
        )
    return [("zaanstad", "coordinator", page) for page in pages]


def test_list_states_and_calendar_subscription_pass_axe(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    trajectory_id = _trajectory_at_step_5(demo)
    states = [*STATES, *_meedenkgroepen_pages(demo)]
    states.append(
        ("zaanstad", "coordinator", f"/zaanstad/meedenkgroepen/trajecten/{trajectory_id}")
    )
    pages: dict[tuple[str, str], object] = {}
    for slug, username, path in states:
        key = (slug, username)
        if key not in pages:
            pages[key] = _sign_in(browser, live_server, slug, username)
        page = pages[key]
        response = page.goto(live_server + path)  # type: ignore[attr-defined]
        assert response.status == 200, path
        if violations := _axe(page, live_server):
            found[path] = violations
    # the calendar page with a new subscription address shown once
    page = pages[("zaanstad", "coordinator")]
    page.goto(f"{live_server}/zaanstad/kalender")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("button[name=actie][value=maken]").click()  # type: ignore[attr-defined]
    assert page.locator("#feed-address").count() == 1  # type: ignore[attr-defined]
    if violations := _axe(page, live_server):
        found["/zaanstad/kalender (new address)"] = violations
    assert found == {}
