"""Jobs lost on the way (``intranet.jobs.recovery``): one whose process died no longer shows as
running for ever, one the queue lost runs after all, and a job that is alive but slow is left
alone because its heartbeat keeps going."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import g
from flask_babel import force_locale
from sqlalchemy import select

from intranet.extensions import db
from intranet.jobs import job_of
from intranet.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from intranet.jobs.recovery import INTERRUPTED
from intranet.jobs.runner import enqueue, join_job_threads
from intranet.municipalities.models import Municipality
from intranet.testing.helpers import count_statements
from intranet.timeutil import as_utc, utcnow

STALLED = 180  # the default JOBS_STALLED_AFTER_SECONDS


def finish(ctx, **_params) -> None:  # type: ignore[no-untyped-def]
    ctx.progress(1, 1, message="Bewaartermijnen toepassen")


def slow(ctx, seconds: float) -> None:  # type: ignore[no-untyped-def]
    time.sleep(seconds)  # no progress meanwhile, like a mail server that takes its time


@contextmanager
def _zwolle_page(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Inside a request to one of Zwolle's pages (where ``job_of`` is asked)."""
    with app.test_request_context("/zwolle/"):
        g.municipality = _zwolle()
        yield


def _zwolle() -> Municipality:
    return db.session.execute(select(Municipality).filter_by(slug="zwolle")).scalar_one()


def _job(status: str, silent_for: float, **fields) -> int:  # type: ignore[no-untyped-def]
    """A job row of Zwolle whose last sign of life was ``silent_for`` seconds ago."""
    then = utcnow() - timedelta(seconds=silent_for)
    job = Job(
        municipality_id=_zwolle().id,
        function=f"{__name__}:finish",
        title="Bewaartermijnen toepassen",
        title_params={},
        params={},
        status=status,
        created_at=then,
        started_at=then if status == RUNNING else None,
        heartbeat_at=then,
        **fields,
    )
    db.session.add(job)
    db.session.commit()
    return job.id


def test_a_running_job_whose_process_died_is_shown_as_interrupted(demo) -> None:  # type: ignore[no-untyped-def]
    with _zwolle_page(demo):
        job_id = _job(RUNNING, STALLED + 60, done=300, total=1000)
        job = job_of(job_id)
        assert job.status == FAILED
        assert (job.done, job.total) == (300, 1000)  # what it did is still told
        assert job.finished_at is not None
        assert job.message_text == INTERRUPTED and job.message_text.startswith("Onderbroken")
        with force_locale("en"):
            assert job.message_text.startswith("Interrupted")
        # the row itself says so, for the CLI and every other reader
        db.session.expire_all()
        assert db.session.get(Job, job_id).status == FAILED


def test_a_live_job_is_left_alone_without_a_query(demo) -> None:  # type: ignore[no-untyped-def]
    with _zwolle_page(demo):
        running = _job(RUNNING, STALLED - 60)
        queued = _job(QUEUED, 5)
        assert g.municipality.slug == "zwolle"  # loaded again after the commits, not counted
        for job_id, status in ((running, RUNNING), (queued, QUEUED)):
            with count_statements() as statements:
                job = job_of(job_id)
            assert job.status == status
            assert len(statements) == 1, statements  # only the job's own SELECT


def test_a_queued_job_the_queue_lost_is_handed_over_again_and_runs(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(demo.config, "JOBS_EAGER", False)
    monkeypatch.setitem(demo.config, "REDIS_URL", None)  # jobs run as threads here
    with _zwolle_page(demo):
        job_id = _job(QUEUED, STALLED + 60)
        job_of(job_id)
        join_job_threads()
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        assert (job.status, job.done, job.total) == (DONE, 1, 1)


def test_the_heartbeat_tells_a_slow_job_from_a_dead_one(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    monkeypatch.setitem(demo.config, "JOBS_HEARTBEAT_SECONDS", 0.1)
    with demo.test_request_context():
        job = enqueue(f"{__name__}:slow", title="Bewaartermijnen toepassen", seconds=0.8)
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert job.status == DONE
        # beats while it ran: the last one well after the start, though it never progressed
        assert as_utc(job.heartbeat_at) - as_utc(job.started_at) >= timedelta(seconds=0.4)


def test_the_cli_mends_every_lost_job(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    with demo.app_context():
        dead = _job(RUNNING, STALLED + 1)
        lost = _job(QUEUED, STALLED + 1)
        alive = _job(RUNNING, 10)
    result = demo.test_cli_runner().invoke(args=["intranet", "jobs", "--recover"])
    assert result.exit_code == 0
    assert "Onderbroken taken: 1; opnieuw in de wachtrij gezet: 1" in result.output
    with demo.app_context():
        statuses = {j.id: j.status for j in db.session.query(Job)}
    assert statuses == {dead: FAILED, lost: DONE, alive: RUNNING}
