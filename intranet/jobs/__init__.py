"""One interface for long work: RQ on Redis when ``INTRANET_REDIS_URL`` is set, else in-process.

A job is a row in ``job`` (so progress shows in the UI and the CLI whichever backend runs it)
and a function named by its dotted path, called as ``func(ctx, **params)``.
"""

from __future__ import annotations

from ..extensions import db
from ..tenancy import scoped
from .models import Job
from .recovery import recover, silent_now
from .runner import JobContext, enqueue, run_job

__all__ = ["Job", "JobContext", "enqueue", "job_of", "run_job"]


def job_of(job_id: int | None) -> Job | None:
    """A job of the current municipality by id (for a progress display), or None.

    Plugins remember the id ``enqueue`` returned; this reads it back without a query of their
    own on the core's ``job`` table, and never across municipalities. A job found lost on the
    way is mended first (``intranet.jobs.recovery``): a page never waits for one for ever."""
    if not job_id:
        return None
    with db.session.no_autoflush:  # a page's pending change is not written by this look-up
        # the database says in the same query whether the job fell silent, by its own clock
        row = db.session.execute(
            scoped(Job).add_columns(silent_now()).where(Job.id == job_id)
        ).one_or_none()
    if row is None:
        return None
    job, silent = row
    if silent:
        recover(job)  # one whose process died or whose queue lost it shows as such
    return job
