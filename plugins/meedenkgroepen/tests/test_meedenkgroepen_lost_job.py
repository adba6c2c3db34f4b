"""A send whose process died (a worker killed mid-way) no longer shows as "sending" for ever:
once its heartbeat has been silent too long the page says it was interrupted, and the
coordinator can send again."""

from __future__ import annotations

from datetime import timedelta

from test_meedenkgroepen_questionnaires import _panel, _questionnaire
from test_meedenkgroepen_support import BASE

from intranet.extensions import db
from intranet.jobs.models import FAILED, RUNNING, Job
from intranet.testing.helpers import signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import Questionnaire


def _send_job(app, qid: int, silent_for: float) -> int:  # type: ignore[no-untyped-def]
    """The questionnaire's send job, running, last heard of ``silent_for`` seconds ago."""
    with app.app_context():
        q = db.session.get(Questionnaire, qid)
        then = utcnow() - timedelta(seconds=silent_for)
        job = Job(
            municipality_id=q.municipality_id,
            function="plugins.meedenkgroepen.jobs:prepare_and_send_invitations",
            title="Versturen vragenlijst: %(title)s",
            title_params={"title": q.title},
            params={"questionnaire_id": qid},
            status=RUNNING,
            created_at=then,
            started_at=then,
            heartbeat_at=then,
        )
        db.session.add(job)
        db.session.flush()
        q.send_job_id = job.id
        db.session.commit()
        return job.id


def test_a_send_whose_process_died_is_shown_interrupted_and_can_be_sent_again(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _questionnaire(demo, _panel(demo, 2))
    alive = _send_job(demo, qid, 20)
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert 'id="versturen"' not in page  # still sending: no second send offered
    with demo.app_context():
        assert db.session.get(Job, alive).status == RUNNING

    dead = _send_job(demo, qid, 3600)
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "Onderbroken: het proces dat deze taak uitvoerde, is gestopt." in page
    assert 'id="versturen"' in page  # the coordinator can send again
    with demo.app_context():
        assert db.session.get(Job, dead).status == FAILED
