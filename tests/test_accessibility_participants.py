"""axe-core (WCAG 2.0/2.1 A + AA) on the pages where a plugin records organisations and
registry residents as participants, also with the forms refused: a trajectory's participant
groups, a think-along meeting's attendance, the organisations consulted for an advice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from test_accessibility import (  # noqa: F401 - fixtures used by name
    Crawl,
    _axe,
    _give_everyone_every_permission,
    _sign_in,
    _submit,
    browser,
)

from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.organisations.models import Organisation
from intranet.timeutil import local_today, utcnow

pytestmark = pytest.mark.browser

ERRORS = ".utrecht-form-field-error-message"


def _pages(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from plugins.adviescommissie.models import AdviceFile
    from plugins.meedenkgroepen.models import Group, Meeting, ParticipantGroup, Trajectory

    with app.app_context():
        m = db.session.execute(
            select(Municipality).where(Municipality.slug == "zaanstad")
        ).scalar_one()
        t = Trajectory(municipality_id=m.id, topic="Toegankelijk traject", origin="inwoner", step=3)
        group = Group(municipality_id=m.id, theme="Toegankelijke groep", status="actief")
        advice = AdviceFile(
            municipality_id=m.id,
            subject="Toegankelijk advies",
            policy_area="wmo",
            subject_kind="bylaw",
            received_on=local_today() - timedelta(days=3),
            status="in_progress",
        )
        db.session.add_all(
            [
                t,
                group,
                advice,
                Organisation(municipality_id=m.id, name="Toegankelijke cliëntenraad"),
            ]
        )
        db.session.flush()
        meeting = Meeting(
            municipality_id=m.id, group_id=group.id, starts_at=utcnow() - timedelta(hours=2)
        )
        db.session.add_all(
            [
                meeting,
                ParticipantGroup(
                    municipality_id=m.id, trajectory_id=t.id, name="ouders", rung="adviseren"
                ),
            ]
        )
        # a meeting's outcomes that one resident did not receive: the reason and the reply
        from intranet.residents.models import Resident
        from plugins.meedenkgroepen.models import FeedbackMail

        absent = Resident(municipality_id=m.id, name="Onbereikbare Inwoner", kind="client")
        db.session.add(absent)
        db.session.flush()
        db.session.add(
            FeedbackMail(
                municipality_id=m.id,
                ref=f"meeting:{meeting.id}",
                kind="opbrengsten",
                resident_id=absent.id,
                status="failed",
                attempts=3,
                failure="recipient",
                last_error="recipient refused: {'x@example.org': (550, b'mailbox unavailable')}",
            )
        )
        db.session.commit()
        return {
            "trajectory": f"/zaanstad/meedenkgroepen/trajecten/{t.id}",
            "meeting": f"/zaanstad/meedenkgroepen/bijeenkomsten/{meeting.id}",
            "advice": f"/zaanstad/adviescommissie/dossiers/{advice.id}",
        }


def test_participant_forms_pass_axe(demo, live_server, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _give_everyone_every_permission(demo)
    paths = _pages(demo)
    crawl = Crawl(live_server)
    base = live_server
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        _sign_in(page, base, "zaanstad", "coordinator")
        page.goto(base + paths["trajectory"])
        _axe(page, crawl, "trajectory, step 3")
        response = _submit(page, "main form[action$='deelnemers/registreren'] button")
        assert response.status == 400 and page.locator(ERRORS).count() >= 1
        _axe(page, crawl, "trajectory participant (refused)")
        page.goto(base + paths["meeting"])
        assert page.locator("input[name=organisations]").count() >= 1
        _axe(page, crawl, "meeting with organisations")
        page.click("details.server-reply summary")  # the mail server's reply, unfolded
        assert page.locator("details.server-reply code").is_visible()
        _axe(page, crawl, "meeting with a failed mail, its server reply open")
        page.goto(base + paths["advice"])
        _axe(page, crawl, "advice, organisations consulted")
        response = _submit(page, "main form[action$=geraadpleegd] button")
        assert response.status == 400 and page.locator(ERRORS).count() >= 1
        _axe(page, crawl, "advice consultation (refused)")
    finally:
        context.close()
    problems = crawl.report()
    assert not problems, f"{len(problems)} accessibility problem(s):\n" + "\n".join(problems)
