"""In a real Chromium with htmx: the progress of a questionnaire's mailing refreshes by itself
while the page stays loaded, and stops asking once the job is done."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.jobs.models import DONE, RUNNING, Job
from intranet.municipalities import service as municipalities
from intranet.testing.browser import launch_chromium, require_browser, sign_in
from plugins.meedenkgroepen.models import Questionnaire

require_browser()
pytestmark = pytest.mark.browser


def _running_mailing(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        q = (
            db.session.execute(
                select(Questionnaire).where(
                    Questionnaire.municipality_id == zaanstad.id, Questionnaire.status != "concept"
                )
            )
            .scalars()
            .first()
        )
        job = Job(
            municipality_id=zaanstad.id,
            function="plugins.meedenkgroepen.jobs:send_invitations",
            title="Vragenlijst versturen",
            status=RUNNING,
            done=3,
            total=10,
        )
        db.session.add(job)
        db.session.flush()
        q.send_job_id = job.id
        db.session.commit()
        return q.id, job.id


def _set(app, job_id: int, **values: object) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        job = db.session.get(Job, job_id)
        for key, value in values.items():
            setattr(job, key, value)
        db.session.commit()


def test_the_progress_refreshes_itself_and_stops_when_done(demo, live_server) -> None:  # type: ignore[no-untyped-def]
    qid, job_id = _running_mailing(demo)
    polls: list[str] = []
    with launch_chromium() as chromium:
        page = sign_in(chromium, live_server, "zaanstad", "coordinator")
        page.goto(f"{live_server}/zaanstad/meedenkgroepen/vragenlijsten/{qid}")
        page.evaluate("() => { window.stillTheSamePage = true; }")
        page.on("request", lambda r: polls.append(r.url) if f"/taken/{job_id}" in r.url else None)
        assert "3 van 10" in page.inner_text(f"#taak-{job_id}")

        _set(demo, job_id, done=7)
        page.wait_for_function(
            f"() => document.querySelector('#taak-{job_id}').innerText.includes('7 van 10')"
        )
        _set(demo, job_id, done=10, status=DONE)
        page.wait_for_function(
            f"() => document.querySelector('#taak-{job_id}').innerText.includes('Klaar')"
        )
        assert page.evaluate("() => window.stillTheSamePage === true")
        # done: the fragment has no trigger, so no element polls any more
        assert page.locator(f"#taak-{job_id} [hx-trigger]").count() == 0
        assert page.locator(f"#taak-{job_id}").get_attribute("role") == "status"
    assert polls  # the page asked by itself, without a reload
