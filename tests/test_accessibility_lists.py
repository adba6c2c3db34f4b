"""axe-core on the list states of issue 14.2 and the calendar subscription of 14.8: sorted,
filtered, paged and empty lists, the bulk-action checkboxes, and the calendar page with a
newly made feed address. The shared setup of ``intranet.testing.browser`` (a real threaded
server, Debian's Chromium, axe served by the app)."""

from __future__ import annotations

import pytest

from intranet.testing.browser import axe_violations, require_browser, sign_in

require_browser()
pytestmark = pytest.mark.browser

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
            pages[key] = sign_in(browser, live_server, slug, username)
        page = pages[key]
        response = page.goto(live_server + path)  # type: ignore[attr-defined]
        assert response.status == 200, path
        if violations := axe_violations(page, live_server):
            found[path] = violations
    # the calendar page with a new subscription address shown once
    page = pages[("zaanstad", "coordinator")]
    page.goto(f"{live_server}/zaanstad/kalender")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("button[name=actie][value=maken]").click()  # type: ignore[attr-defined]
    assert page.locator("#feed-address").count() == 1  # type: ignore[attr-defined]
    if violations := axe_violations(page, live_server):
        found["/zaanstad/kalender (new address)"] = violations
    assert found == {}
