"""The clock a job's signs of life are told by: the database's, where machines share one.

A heartbeat is written by one machine (the worker running the job) and judged by another (a
web process showing the job, a worker starting elsewhere). With PostgreSQL several machines
share the database, and their own clocks may disagree by minutes: one running fast would take
a live job for lost, one running slow would wait too long. The database's clock is one clock
for all of them. SQLite is a file on one machine, whose clock Python reads as well.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import DateTime, func
from sqlalchemy.engine import Engine

from ..extensions import db
from ..timeutil import utcnow


def _shared(engine: Engine | None) -> bool:
    return (engine or db.engine).dialect.name == "postgresql"


def job_clock(engine: Engine | None = None) -> Any:
    """The time to write as a sign of life: an SQL expression, or now on SQLite."""
    if _shared(engine):
        # the time the statement runs, not the transaction's start (``now()``)
        return func.clock_timestamp(type_=DateTime(timezone=True))
    return utcnow()


def silent_since(seconds: float, engine: Engine | None = None) -> Any:
    """The moment before which a job that gave no sign of life is taken for lost."""
    return job_clock(engine) - timedelta(seconds=seconds)
