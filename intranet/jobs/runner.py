"""Enqueueing and running jobs on either backend."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..tenancy import tenant_scope
from ..timeutil import utcnow
from .clock import job_clock
from .models import DONE, FAILED, INTERRUPTED, QUEUED, RUNNING, Job

log = logging.getLogger(__name__)
#: the name prefix of the thread a job runs in without a queue (``join_job_threads``)
JOB_THREAD = "intranet-job-"


class JobInterrupted(Exception):
    """The job's row was marked interrupted while it ran (its heartbeat had stopped, see
    ``intranet.jobs.recovery``): the job stops at its next progress report, so that it does
    not run beside a second run the employee may have started since."""


class JobContext:
    """Handed to a job function: its row, and a way to report progress as it goes."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.job_id = job.id

    @property
    def municipality_id(self) -> int | None:
        return self.job.municipality_id

    def progress(
        self,
        done: int,
        total: int | None = None,
        failed: int | None = None,
        message: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        """Store the progress (and commit the job's work so far). ``message`` is a message id
        (mark it with ``N_``) and ``params`` its values (plain ones: stored as JSON); the page
        shows it in the reader's language. Raises :class:`JobInterrupted` when the row no
        longer says running."""
        values: dict[str, Any] = {"done": done, "heartbeat_at": job_clock()}
        if total is not None:
            values["total"] = total
        if failed is not None:
            values["failed"] = failed
        if message is not None:
            values["message"] = message
            values["message_params"] = params or {}
        written = db.session.execute(
            update(Job).where(Job.id == self.job_id, Job.status == RUNNING).values(values),
            execution_options={"synchronize_session": False},
        ).rowcount
        db.session.commit()
        if not written:
            raise JobInterrupted(self.job_id)


def _finish(job_id: int, status: str, **values: Any) -> None:
    """The job's end, unless the row says something else meanwhile. A job marked interrupted
    that still completes without reporting progress again did its work: it ends as done."""
    written = db.session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(Job.status == RUNNING, and_(Job.status == FAILED, Job.message == INTERRUPTED)),
        )
        .values(status=status, finished_at=utcnow(), **values),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    if not written:
        log.warning("job %s ended (%s) after its row had changed; left as it is", job_id, status)


class Heartbeat:
    """While a job runs, write the time into its row every ``interval`` seconds.

    A job may go minutes without progress (a slow mail server, one large step); the
    heartbeat tells such a job from one whose process died (``intranet.jobs.recovery``). It
    writes on a connection of its own, so a job's open transaction is neither committed nor
    waited for, and a failed beat (the database briefly away) is logged, not raised.
    """

    def __init__(self, engine: Engine, job_id: int, interval: float) -> None:
        self.engine = engine
        self.job_id = job_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"job-heartbeat-{job_id}", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        # Not waited for long: a beat stuck behind the job's own open transaction (a job that
        # failed and is rolled back after this) ends by itself, and writes nothing to a job
        # that is no longer running.
        self._thread.join(1.0)

    def _beat(self) -> None:
        table = Job.__table__
        while not self._stop.wait(self.interval):
            try:
                with self.engine.begin() as connection:
                    written = connection.execute(
                        table.update()
                        .where(table.c.id == self.job_id, table.c.status == RUNNING)
                        .values(heartbeat_at=job_clock(self.engine))
                    ).rowcount
            except SQLAlchemyError as exc:
                log.warning("job %s: heartbeat not written (%s)", self.job_id, exc)
                continue
            if not written:  # no longer running (interrupted): nothing left to say
                return


def _resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def run_job(job_id: int) -> None:
    """Run one job inside an app context (the caller provides it)."""
    # One conditional UPDATE claims the job: a job handed to two workers (a retried enqueue,
    # a worker restarted mid-way) runs in only one of them.
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == QUEUED)
        .values(status=RUNNING, started_at=now, heartbeat_at=job_clock())
        .returning(Job.id),
        execution_options={"synchronize_session": False},
    ).scalar_one_or_none()
    db.session.commit()
    if claimed is None:
        return
    job = db.session.get(Job, job_id)
    function = job.function
    # a job for one municipality sees only that municipality's rows (intranet.tenancy)
    scope = tenant_scope(job.municipality_id) if job.municipality_id else nullcontext()
    try:
        # Mails and documents a job writes are in the default language, also when the job
        # runs eagerly inside an employee's request in English.
        with (
            scope,
            force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]),
            Heartbeat(db.engine, job_id, current_app.config["JOBS_HEARTBEAT_SECONDS"]),
        ):
            _resolve(function)(JobContext(job), **job.params)
    except JobInterrupted:
        db.session.rollback()
        log.warning("job %s stopped: it was marked interrupted while it ran", job_id)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, function)
        db.session.rollback()
        # free text (no params): shown as it is
        _finish(job_id, FAILED, message=f"{type(exc).__name__}: {exc}", message_params=None)
    else:
        _finish(job_id, DONE)


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        run_job(job_id)
        db.session.remove()


def join_job_threads(timeout: float = 30.0) -> None:
    """Wait for jobs running in threads of this process: a caller comparing the database
    before and after something (the tests) must not see a job's late writes."""
    for thread in threading.enumerate():
        if thread.name.startswith(JOB_THREAD):
            thread.join(timeout)


def rq_entry(job_id: int) -> None:
    """What an RQ worker calls: build the app, then run the job."""
    from .. import create_app

    with create_app().app_context():
        run_job(job_id)


def enqueue(
    function: str,
    *,
    title: str,
    title_params: dict[str, Any] | None = None,
    municipality_id: int | None = None,
    created_by: str | None = None,
    **params: Any,
) -> Job:
    """Store the job and hand it to the backend. ``function`` is ``'module:name'``.

    ``title`` is a message id (mark it with ``N_``) filled in with ``title_params`` and
    translated where the job is shown; the params are stored as JSON, so plain values only.
    """
    _resolve(function)  # fail now, not in the worker, when the path is wrong
    job = Job(
        function=function,
        title=title,
        title_params=title_params or {},
        params=params,
        municipality_id=municipality_id,
        created_by=created_by,
        status=QUEUED,
        heartbeat_at=job_clock(),
    )
    db.session.add(job)
    db.session.commit()
    hand_over(job.id)
    return job


def hand_over(job_id: int) -> None:
    """Give a queued job to whatever runs jobs here: the Redis queue, a thread, or (tests)
    this very call."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_EAGER"):
        run_job(job_id)
    elif app.config.get("REDIS_URL"):
        _hand_to_queue(app, job_id)
    else:
        _start_thread(app, job_id)


def _start_thread(app: Flask, job_id: int) -> None:
    threading.Thread(
        target=_run_in_thread, args=(app, job_id), name=f"{JOB_THREAD}{job_id}", daemon=True
    ).start()


def _hand_to_queue(app: Flask, job_id: int) -> None:
    """Put the job on the Redis queue; when Redis is down or hangs, run it here instead.

    An outage of the queue must not turn "send" into an error page while the work itself can
    be done: the job then runs as a thread of this web process (logged), as it does without
    Redis. It runs at most once either way: should Redis have taken it after all, the worker
    and the thread race for the row's conditional claim in ``run_job`` and one of them wins.
    """
    from redis.exceptions import RedisError
    from rq import Queue

    connection = _redis(app)
    try:
        Queue("intranet", connection=connection).enqueue(
            rq_entry, job_id, job_id=queue_id(job_id), job_timeout=3600
        )
    except RedisError as exc:
        log.warning(
            "job queue unreachable (%s): job %s runs in this web process instead", exc, job_id
        )
        _start_thread(app, job_id)


def queue_id(job_id: int) -> str:
    """The job's id on the Redis queue: its row's, so the queue can be asked about it."""
    return f"intranet-job-{job_id}"


def queue_holds(job_id: int) -> bool:
    """Whether the Redis queue still has the job waiting or running (a job behind a long one
    is not lost). False without a queue, when the queue lost it, or when Redis does not
    answer (then ``hand_over`` runs it here)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("REDIS_URL") or app.config.get("JOBS_EAGER"):
        return False
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as QueuedJob

    try:
        status = QueuedJob.fetch(queue_id(job_id), connection=_redis(app)).get_status()
    except (NoSuchJobError, RedisError):
        return False
    return str(getattr(status, "value", status)) in ("queued", "started", "deferred", "scheduled")


def _redis(app: Flask):  # type: ignore[no-untyped-def]
    from redis import Redis

    return Redis.from_url(app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)
