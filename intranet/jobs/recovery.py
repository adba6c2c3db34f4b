"""Jobs lost on the way: noticed where they are shown, and by the worker when it starts.

Two ways a job's row can outlive the work it stands for:

* the process running it died (a worker killed, a web worker recycled while a job ran as
  its thread): the row stays "running", its heartbeat stops;
* the queue lost it before any worker took it (Redis restarted without persistence): the row
  stays "queued".

A job silent for ``JOBS_STALLED_AFTER_SECONDS`` is taken for lost. A running one is marked
failed with a message that says it was interrupted: its page shows that, and the employee can
start the work again (a plugin's job must be safe to start again anyway: a mailing skips who
was mailed). A queued one that the Redis queue no longer holds is handed to it again; should
the first hand-over turn up after all, the row's conditional claim lets only one of them run
it. One queued for more than a day is not started any more (marked failed: whatever it was
for has likely passed, and the employee decides).

Every change is one conditional ``UPDATE``, so two requests (or a request and a worker) that
notice the same job at the same moment act once. Its condition reads the database's clock
(``intranet.jobs.clock``): the machine that notices may run minutes off the one that beat.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..timeutil import as_utc, utcnow
from .clock import job_clock, silent_since
from .models import FAILED, INTERRUPTED, NOT_STARTED, QUEUED, RUNNING, Job
from .runner import hand_over, queue_holds

log = logging.getLogger(__name__)

#: a queued job older than this is not started any more: what it was for has passed
GIVE_UP_QUEUED_AFTER = timedelta(days=1)


def _stall_seconds() -> float:
    return float(current_app.config["JOBS_STALLED_AFTER_SECONDS"])


def _cutoff() -> Any:
    """Before this, by the database's clock, a job's silence means it is lost."""
    return silent_since(_stall_seconds())


def silent_now() -> ColumnElement[bool]:
    """SQL, for the query that reads a job: has it fallen silent, by the database's clock?"""
    return _silent(_cutoff()).label("silent")


def recover(job: Job) -> bool:
    """Mend ``job``, which its query found silent (``silent_now``), if it is lost (see the
    module); True when it did. Writes on a connection of its own: the caller's session (a
    page's) is neither committed nor rolled back; while it holds changes of its own the job
    is left for the next look (SQLite lets one connection write at a time)."""
    if job.status not in (QUEUED, RUNNING):
        return False
    if db.session.new or db.session.dirty or db.session.deleted:
        return False
    try:
        mended = _mend(job.id, job.status, as_utc(job.created_at), _cutoff())
    except SQLAlchemyError as exc:  # the page still shows the job as it is
        log.warning("job %s: could not be mended now (%s)", job.id, exc)
        return False
    db.session.refresh(job)
    return bool(mended)


def recover_stalled_jobs() -> tuple[int, int]:
    """Every lost job of every municipality: (marked failed, handed to the queue again).
    The worker runs this when it starts; ``flask intranet jobs --recover`` at any time."""
    cutoff = _cutoff()
    lost = db.session.execute(
        select(Job.id, Job.status, Job.created_at).where(
            Job.status.in_((QUEUED, RUNNING)), _silent(cutoff)
        )
    ).all()
    db.session.commit()  # no transaction stays open behind a long-running worker
    outcomes = [
        _mend(job_id, status, as_utc(created_at), cutoff) for job_id, status, created_at in lost
    ]
    return outcomes.count(FAILED), outcomes.count(QUEUED)


def _mend(job_id: int, status: str, created_at: datetime | None, cutoff: Any) -> str:
    """What became of a lost job: FAILED, QUEUED (handed over again) or "" (nothing: another
    process mended it first, or the queue still holds it)."""
    if status == RUNNING:
        return _fail(job_id, RUNNING, INTERRUPTED, cutoff)
    if created_at is not None and created_at < utcnow() - GIVE_UP_QUEUED_AFTER:
        return _fail(job_id, QUEUED, NOT_STARTED, cutoff)
    # Taken in hand (one process acts), then looked up: a job that waits behind a long one
    # is still on the queue and only gets the time; one the queue lost is handed over again.
    if not _write(job_id, QUEUED, cutoff, heartbeat_at=job_clock()) or queue_holds(job_id):
        return ""
    log.warning("job %s: queued and not taken by a worker, handed to the queue again", job_id)
    hand_over(job_id)
    return QUEUED


def _fail(job_id: int, status: str, message: str, cutoff: Any) -> str:
    values = {"status": FAILED, "message": message, "message_params": {}}
    if not _write(job_id, status, cutoff, **values, finished_at=utcnow(), heartbeat_at=job_clock()):
        return ""
    log.warning("job %s: no sign of life for %ss, marked failed", job_id, _stall_seconds())
    return FAILED


def _write(job_id: int, expected: str, cutoff: Any, /, **values: Any) -> bool:
    """One conditional UPDATE on a connection of its own: of two requests (or a request and
    a worker) that notice the same lost job at once, one acts."""
    with db.engine.begin() as connection:
        return bool(
            connection.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == expected, _silent(cutoff))
                .values(**values)
            ).rowcount
        )


def _silent(cutoff: Any) -> ColumnElement[bool]:
    """SQL: the job has given no sign of life since ``cutoff``."""
    return or_(
        Job.heartbeat_at < cutoff,
        and_(Job.heartbeat_at.is_(None), Job.started_at < cutoff),
        and_(Job.heartbeat_at.is_(None), Job.started_at.is_(None), Job.created_at < cutoff),
    )
