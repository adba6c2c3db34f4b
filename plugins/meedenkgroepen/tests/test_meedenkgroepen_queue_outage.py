"""The job queue (Redis) is down when a questionnaire is sent: the send does not become an
error page (it was a 500, and the job row stayed queued for ever); the job runs in the web
process instead, says so in the log, and the invitations go out."""

from __future__ import annotations

import logging

from test_meedenkgroepen_questionnaires import _panel, _questionnaire
from test_meedenkgroepen_support import BASE

from intranet.extensions import db
from intranet.jobs.models import DONE, Job
from intranet.jobs.runner import join_job_threads
from intranet.testing.helpers import post, signed_in
from intranet_dev.slapd import free_port
from plugins.meedenkgroepen.models import Questionnaire

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


def test_a_send_while_the_queue_is_down_runs_in_the_web_process(
    demo, smtp, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    qid = _questionnaire(demo, _panel(demo, 2))
    monkeypatch.setitem(demo.config, "JOBS_EAGER", False)
    # a real refusal: nothing listens on this port
    monkeypatch.setitem(demo.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    c = signed_in(demo, "zaanstad", "coordinator")
    with caplog.at_level(logging.WARNING, logger="intranet.jobs.runner"):
        response = post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
        join_job_threads()
    assert response.status_code == 302
    assert any("job queue unreachable" in r.getMessage() for r in caplog.records)
    assert sorted(m["To"] for m in smtp.messages) == ["lid0@example.org", "lid1@example.org"]
    with demo.app_context():
        job = db.session.get(Job, db.session.get(Questionnaire, qid).send_job_id)
        assert (job.status, job.done, job.total) == (DONE, 2, 2)
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "Uitnodigingen verzonden: 2 van 2." in page
