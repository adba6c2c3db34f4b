"""Jobs lost on the way: noticed where they are shown, and by the worker when it starts.

Two ways a job's row can outlive the work it stands for:

* the process running it died (a worker killed, a web worker recycled while a job ran as
  its thread): the row stays "running", its heartbeat stops;
* the queue lost it before any worker took it (Redis restarted without persistence): the row
  stays "queued".

A job silent for ``JOBS_STALLED_AFTER_SECONDS`` is taken for lost. A running one is marked
failed with a message that says it was interrupted: its page shows that, and the employee can
start the work again (a plugin's job must be safe to start again anyway: a mailing skips who
was mailed). A queued one is handed to the queue again; should the first hand-over turn up
after all, the row's conditional claim lets only one of them run it.

Every change is one conditional ``UPDATE``, so two requests (or a request and a worker) that
notice the same job at the same moment act once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select, update

from ..extensions import db
from ..timeutil import as_utc, utcnow
from ..web.i18n import N_
from .models import FAILED, QUEUED, RUNNING, Job
from .runner import hand_over

log = logging.getLogger(__name__)

INTERRUPTED = N_(
    "Onderbroken: het proces dat deze taak uitvoerde, is gestopt. Start de taak opnieuw; wat al "
    "klaar was, blijft klaar."
)


def _stalled_before() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["JOBS_STALLED_AFTER_SECONDS"])


def _silent_since(job: Job) -> datetime | None:
    return as_utc(job.heartbeat_at or job.started_at or job.created_at)


def recover(job: Job) -> bool:
    """Mend ``job`` if it is lost (see the module); True when it did. Costs no query for a
    job that is finished or alive."""
    if job.status not in (QUEUED, RUNNING):
        return False
    cutoff = _stalled_before()
    since = _silent_since(job)
    if since is not None and since >= cutoff:
        return False
    mended = _interrupt(job.id, cutoff) if job.status == RUNNING else _requeue(job.id, cutoff)
    db.session.refresh(job)
    return mended


def recover_stalled_jobs() -> tuple[int, int]:
    """Every lost job of every municipality: (marked interrupted, handed to the queue again).
    The worker runs this when it starts; ``flask intranet jobs --recover`` at any time."""
    cutoff = _stalled_before()
    lost = db.session.execute(
        select(Job.id, Job.status).where(Job.status.in_((QUEUED, RUNNING)), _silent(cutoff))
    ).all()
    interrupted = requeued = 0
    for job_id, status in lost:
        if status == RUNNING:
            interrupted += _interrupt(job_id, cutoff)
        else:
            requeued += _requeue(job_id, cutoff)
    return interrupted, requeued


def _silent(cutoff: datetime) -> ColumnElement[bool]:
    """SQL: the job has given no sign of life since ``cutoff``."""
    return or_(
        Job.heartbeat_at < cutoff,
        and_(Job.heartbeat_at.is_(None), Job.started_at < cutoff),
        and_(Job.heartbeat_at.is_(None), Job.started_at.is_(None), Job.created_at < cutoff),
    )


def _interrupt(job_id: int, cutoff: datetime) -> bool:
    now = utcnow()
    done = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == RUNNING, _silent(cutoff))
        .values(
            status=FAILED, message=INTERRUPTED, message_params={}, finished_at=now, heartbeat_at=now
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    if done:
        log.warning("job %s: no sign of life since before %s, marked interrupted", job_id, cutoff)
    return bool(done)


def _requeue(job_id: int, cutoff: datetime) -> bool:
    done = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == QUEUED, _silent(cutoff))
        .values(heartbeat_at=utcnow()),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    if done:
        log.warning("job %s: still queued after %s, handed to the queue again", job_id, cutoff)
        hand_over(job_id)
    return bool(done)
