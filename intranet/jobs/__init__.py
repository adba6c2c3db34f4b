"""One interface for long work: RQ on Redis when ``INTRANET_REDIS_URL`` is set, else in-process.

A job is a row in ``job`` (so progress shows in the UI and the CLI whichever backend runs it)
and a function named by its dotted path, called as ``func(ctx, **params)``.
"""

from .runner import JobContext, enqueue, run_job

__all__ = ["JobContext", "enqueue", "run_job"]
