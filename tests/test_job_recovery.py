"""Jobs lost on the way (``intranet.jobs.recovery``): one whose process died no longer shows as
running for ever, one the queue lost runs after all, and a job that is alive but slow is left
alone because its heartbeat keeps going."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import g
from flask_babel import force_locale
from sqlalchemy import select, update

from intranet.extensions import db
from intranet.jobs import job_of
from intranet.jobs.models import DONE, FAILED, INTERRUPTED, QUEUED, RUNNING, Job
from intranet.jobs.recovery import recover_stalled_jobs
from intranet.jobs.runner import enqueue, join_job_threads
from intranet.municipalities.models import Municipality
from intranet.testing.helpers import count_statements, redis_up, redis_url
from intranet.timeutil import as_utc, utcnow

STALLED = 180  # the default JOBS_STALLED_AFTER_SECONDS


def finish(ctx, **_params) -> None:  # type: ignore[no-untyped-def]
    ctx.progress(1, 1, message="Bewaartermijnen toepassen")


def slow(ctx, seconds: float) -> None:  # type: ignore[no-untyped-def]
    time.sleep(seconds)  # no progress meanwhile, like a mail server that takes its time


AFTER_PROGRESS: list[int] = []


def marked_interrupted_midway(ctx, report_again: bool) -> None:  # type: ignore[no-untyped-def]
    """Another process takes this job for lost while it runs (its heartbeat was late)."""
    _mark_failed(ctx.job_id, INTERRUPTED)
    if report_again:
        ctx.progress(1, 2)
        AFTER_PROGRESS.append(ctx.job_id)  # never reached: the job stops at its report


def _mark_failed(job_id: int, message: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(Job).where(Job.id == job_id).values(status=FAILED, message=message)
        )


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
    assert "als mislukt gemarkeerd: 1; opnieuw in de wachtrij gezet: 1" in result.output
    with demo.app_context():
        statuses = {j.id: j.status for j in db.session.query(Job)}
    assert statuses == {dead: FAILED, lost: DONE, alive: RUNNING}


def test_a_job_marked_interrupted_stops_at_its_next_report(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """It must not run beside a second run the employee started after seeing "Onderbroken"."""
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    AFTER_PROGRESS.clear()
    with _zwolle_page(demo):
        job = enqueue(f"{__name__}:marked_interrupted_midway", title="x", report_again=True)
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert (job.status, job.message, job.done) == (FAILED, INTERRUPTED, 0)
        assert AFTER_PROGRESS == []


def test_a_job_marked_interrupted_that_completes_anyway_is_done(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    with _zwolle_page(demo):
        job = enqueue(f"{__name__}:marked_interrupted_midway", title="x", report_again=False)
        db.session.expire_all()
        assert db.session.get(Job, job.id).status == DONE


def test_a_job_queued_for_more_than_a_day_is_not_started_any_more(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    with _zwolle_page(demo):
        job = job_of(_job(QUEUED, 25 * 3600))
        assert (job.status, job.done) == (FAILED, 0)
        assert job.message_text.startswith("Niet uitgevoerd")
        with force_locale("en"):
            assert job.message_text.startswith("Not carried out")


def test_mending_jobs_leaves_no_transaction_open(demo) -> None:  # type: ignore[no-untyped-def]
    """The worker mends lost jobs and then runs for days: an open transaction would hold a
    lock on the job table all that time (on PostgreSQL it blocks a migration)."""
    with demo.app_context():
        _job(RUNNING, 10)
        assert recover_stalled_jobs() == (0, 0)
        assert not db.session().in_transaction()


def test_recovering_a_job_keeps_the_pages_own_changes_out_of_it(demo) -> None:  # type: ignore[no-untyped-def]
    """``job_of`` mends on a connection of its own and never commits the page's session: with
    a change pending there it leaves the job for the next look (SQLite has one writer)."""
    with _zwolle_page(demo):
        job_id = _job(RUNNING, STALLED + 60)
        name = g.municipality.name
        g.municipality.name = "Zwolle (niet opgeslagen)"
        assert job_of(job_id).status == RUNNING
        db.session.rollback()
        assert _zwolle().name == name
        assert job_of(job_id).status == FAILED  # the next look mends it


REDIS_URL = redis_url(13)


@pytest.mark.skipif(not redis_up(REDIS_URL), reason="needs Redis (TEST_REDIS_URL)")
def test_a_job_waiting_on_the_queue_is_not_handed_over_twice_but_a_lost_one_is(
    demo, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from redis import Redis
    from rq import Queue

    monkeypatch.setitem(demo.config, "JOBS_EAGER", False)
    monkeypatch.setitem(demo.config, "REDIS_URL", REDIS_URL)
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    queue = Queue("intranet", connection=redis)
    try:
        with _zwolle_page(demo):
            job = enqueue(f"{__name__}:finish", title="x", municipality_id=_zwolle().id)
            assert queue.job_ids == [f"intranet-job-{job.id}"]
            _backdate(job.id, STALLED + 60)
            assert job_of(job.id).status == QUEUED
            assert queue.job_ids == [f"intranet-job-{job.id}"]  # waiting, not lost: left there
            assert as_utc(job_of(job.id).heartbeat_at) > utcnow() - timedelta(seconds=60)

            redis.flushdb()  # Redis restarted without persistence: the queue lost it
            _backdate(job.id, STALLED + 60)
            assert job_of(job.id).status == QUEUED
            assert queue.job_ids == [f"intranet-job-{job.id}"]  # handed to the queue again
    finally:
        redis.flushdb()


def _backdate(job_id: int, seconds: float) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=seconds))
        )
    db.session.expire_all()  # as a new request would read it


def _clock_off_by(monkeypatch, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """This process's clock runs ``seconds`` off the database's. Patched, because two machines
    whose clocks disagree cannot be made from one: the database server is the real one."""
    import intranet.jobs.clock as clock
    import intranet.jobs.recovery as recovery

    def skewed():  # type: ignore[no-untyped-def]
        return utcnow() + timedelta(seconds=seconds)

    monkeypatch.setattr(recovery, "utcnow", skewed)
    monkeypatch.setattr(clock, "utcnow", skewed)


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def test_a_machine_whose_clock_runs_fast_leaves_a_live_job_alone(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Several app machines share PostgreSQL; the one that looks may run minutes ahead of the
    one whose worker beats. The database's clock decides, so the live job keeps running."""
    with _zwolle_page(demo):
        if not _postgresql():
            pytest.skip("SQLite is one file on one machine: its clock is that machine's")
        live = _job(RUNNING, 10)
        _clock_off_by(monkeypatch, 10 * 60)
        assert recover_stalled_jobs() == (0, 0)
        assert g.municipality.slug == "zwolle"  # loaded again after the commit, not counted
        with count_statements() as statements:
            assert job_of(live).status == RUNNING  # by this clock lost, by the database's alive
        assert len(statements) == 1, statements  # and no attempt to mend it
        db.session.expire_all()
        assert db.session.get(Job, live).status == RUNNING


def test_a_machine_whose_clock_runs_slow_still_mends_a_dead_job(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with _zwolle_page(demo):
        if not _postgresql():
            pytest.skip("SQLite is one file on one machine: its clock is that machine's")
        seen = _job(RUNNING, STALLED + 60)
        dead = _job(RUNNING, STALLED + 60)
        _clock_off_by(monkeypatch, -10 * 60)
        # the page that shows a job notices as soon as the database's clock says so
        assert job_of(seen).status == FAILED
        # and so does the worker, for every other one
        assert recover_stalled_jobs() == (1, 0)
        db.session.expire_all()
        assert db.session.get(Job, dead).status == FAILED


def test_signs_of_life_are_written_by_the_databases_clock(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The heartbeat, the claim and the hand-over write the database's time on PostgreSQL."""
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    with demo.test_request_context():
        if not _postgresql():
            pytest.skip("SQLite is one file on one machine: its clock is that machine's")
        _clock_off_by(monkeypatch, -10 * 60)
        import intranet.jobs.runner as runner

        monkeypatch.setattr(runner, "utcnow", lambda: utcnow() - timedelta(minutes=10))
        job = enqueue(f"{__name__}:finish", title="Bewaartermijnen toepassen")
        db.session.expire_all()
        job = db.session.get(Job, job.id)
        assert job.status == DONE
        # progress wrote the database's time, not this process's (ten minutes behind)
        assert abs(as_utc(job.heartbeat_at) - utcnow()) < timedelta(seconds=30)
