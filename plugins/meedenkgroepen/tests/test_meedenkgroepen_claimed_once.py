"""Jobs run at most once: two workers racing on one mailing send each message exactly once.

The workers are two threads, each with its own app context and so its own database session
and connection; the mail goes to a real SMTP server (aiosmtpd in its own process).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.jobs import JobContext
from intranet.jobs.models import Job
from intranet.mail import Mail
from intranet.municipalities.service import add_municipality
from intranet_dev.slapd import free_port
from plugins.meedenkgroepen import jobs
from plugins.meedenkgroepen.models import PENDING, SENT, FeedbackMail

SERVER = """
import sys, time, os
from aiosmtpd.controller import Controller
folder, port = sys.argv[1], int(sys.argv[2])
count = [0]

class Handler:
    async def handle_DATA(self, server, session, envelope):
        count[0] += 1
        with open(os.path.join(folder, "%06d.eml" % count[0]), "wb") as f:
            f.write(envelope.content)
        return "250 OK"

Controller(Handler(), hostname="127.0.0.1", port=port).start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"""

MAILS = 250  # three batches of BATCH_SIZE, so the workers race on every batch


@pytest.fixture
def sink(app, tmp_path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "smtp"
    folder.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(folder), str(port)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    saved = {k: app.config.get(k) for k in ("SMTP_HOST", "SMTP_PORT", "MAIL_FROM")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="test@zaanstad.demo")
    try:
        yield folder
    finally:
        app.config.update(saved)
        proc.kill()
        proc.wait()


def _mailing(app) -> tuple[int, list[int], list[int]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = add_municipality("racedorp", "Gemeente Racedorp")
        rows = [
            FeedbackMail(municipality_id=m.id, ref="meeting:1", kind="opbrengsten", status=PENDING)
            for _ in range(MAILS)
        ]
        # two claimed jobs, as run_job hands them to the job function (status running)
        job_rows = [
            Job(function="x:y", title=f"worker {n}", municipality_id=m.id, status="running")
            for n in (1, 2)
        ]
        db.session.add_all(rows + job_rows)
        db.session.commit()
        return m.id, [r.id for r in rows], [j.id for j in job_rows]


def _race(app, ids: list[int], job_ids: list[int]) -> list[Exception]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def worker(job_id: int) -> None:
        try:
            with app.app_context():
                ctx = JobContext(db.session.get(Job, job_id))
                barrier.wait()
                jobs.deliver(
                    ctx,
                    FeedbackMail,
                    ids,
                    lambda fm: Mail(to=f"r{fm.id}@example.org", subject=f"mail {fm.id}", text="x"),
                )
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 -- reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(j,)) for j in job_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def test_two_workers_racing_on_one_mailing_send_each_message_once(app, sink) -> None:  # type: ignore[no-untyped-def]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the race needs concurrent writers: PostgreSQL (TEST_DATABASE_URL)")
    _municipality_id, ids, job_ids = _mailing(app)
    assert _race(app, ids, job_ids) == []
    subjects = Counter(
        message_from_bytes(p.read_bytes(), policy=policy.default)["Subject"]
        for p in sink.glob("*.eml")
    )
    assert subjects == Counter({f"mail {i}": 1 for i in ids})
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(FeedbackMail).where(FeedbackMail.status != SENT)
            )
            == 0
        )


def test_a_second_run_after_the_first_sends_nothing(app, sink) -> None:  # type: ignore[no-untyped-def]
    """On both databases: rows already claimed are never claimed again."""
    _municipality_id, ids, job_ids = _mailing(app)
    for job_id in job_ids:
        with app.app_context():
            ctx = JobContext(db.session.get(Job, job_id))
            sent, failed = jobs.deliver(
                ctx,
                FeedbackMail,
                ids,
                lambda fm: Mail(to=f"r{fm.id}@example.org", subject=f"mail {fm.id}", text="x"),
            )
            assert failed == 0
            assert sent == (MAILS if job_id == job_ids[0] else 0)
    assert len(list(sink.glob("*.eml"))) == MAILS


def test_a_job_is_claimed_once(app) -> None:  # type: ignore[no-untyped-def]
    """``run_job`` claims the job row with a conditional UPDATE: a second call does nothing."""
    from intranet.jobs.runner import run_job

    calls.clear()
    with app.app_context():
        job = Job(function=f"{__name__}:count_call", title="t", params={})
        db.session.add(job)
        db.session.commit()
        run_job(job.id)
        run_job(job.id)
        assert calls == [job.id]
        assert db.session.get(Job, job.id).status == "done"


calls: list[int] = []


def count_call(ctx: JobContext) -> None:
    calls.append(ctx.job.id)
