"""Live progress of a questionnaire's mailing (issue 14.3): the page polls a fragment with htmx
while the job runs and stops when it is done; without JavaScript a link reloads the page at
the progress. The fragment has the page's permission and shows only the questionnaire's own
jobs of its own municipality."""

from __future__ import annotations

from sqlalchemy import select

from intranet.extensions import db
from intranet.jobs.models import DONE, RUNNING, Job
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import signed_in
from plugins.meedenkgroepen.models import Questionnaire

HX = {"HX-Request": "true"}


def _running_mailing() -> tuple[int, int, int]:
    """A Zaanstad questionnaire whose invitations are being sent: (questionnaire, job, other job)."""
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
    other = Job(municipality_id=zaanstad.id, function="x:y", title="Iets anders", status=RUNNING)
    db.session.add_all([job, other])
    db.session.flush()
    q.send_job_id = job.id
    db.session.commit()
    return q.id, job.id, other.id


def test_the_page_polls_the_progress_until_the_job_is_done(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        qid, job_id, _other = _running_mailing()
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    page_url = f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}"
    poll_url = f"{page_url}/taken/{job_id}"
    page = coordinator.get(page_url).get_data(as_text=True)
    assert f'id="taak-{job_id}" role="status"' in page
    assert f'hx-get="{poll_url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    # without JavaScript: a plain link reloads the page at the progress
    assert f'href="{page_url}#taak-{job_id}">Voortgang bijwerken' in page

    fragment = coordinator.get(poll_url, headers=HX)
    assert fragment.status_code == 200
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "<nav" not in body
    assert "3 van 10" in body and 'hx-trigger="every 2s"' in body
    assert f'href="{page_url}#taak-{job_id}"' in body  # the page, not the poll address
    assert "HX-Retarget" not in fragment.headers

    with demo.app_context():
        job = db.session.get(Job, job_id)
        job.status, job.done = DONE, 10
        db.session.commit()
    done = coordinator.get(poll_url, headers=HX).get_data(as_text=True)
    assert "10 van 10" in done and "Klaar" in done
    assert "hx-trigger" not in done and "hx-get" not in done  # the polling stops
    assert "Pagina vernieuwen voor de uitkomst" in done
    # a page loaded after the job finished does not poll at all
    assert "hx-trigger" not in coordinator.get(page_url).get_data(as_text=True)


def test_without_htmx_the_fragment_address_leads_to_the_page(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        qid, job_id, _other = _running_mailing()
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    answer = coordinator.get(f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}/taken/{job_id}")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(
        f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}#taak-{job_id}"
    )


def test_the_fragment_shows_only_this_questionnaires_jobs_to_whoever_may_see_it(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        qid, job_id, other_id = _running_mailing()
    url = f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}/taken/{job_id}"
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    # a job of the municipality that is not this questionnaire's
    other = f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}/taken/{other_id}"
    assert coordinator.get(other, headers=HX).status_code == 404
    # an employee without the plugin's view permission
    employee = signed_in(demo, "zaanstad", "medewerker")
    denied = employee.get(url, headers=HX)
    assert denied.status_code == 403
    assert denied.headers["HX-Retarget"] == "#inhoud"  # the error page replaces the main content
    # another municipality's employee does not even see that it exists
    clerk = signed_in(demo, "zwolle", "griffier")
    assert clerk.get(url, headers=HX).status_code == 404
    assert clerk.get(url.replace("/zaanstad/", "/zwolle/"), headers=HX).status_code == 404
