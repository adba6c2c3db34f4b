"""Mailing benchmark (``make bench``): what does mailing a questionnaire to a panel cost?

For each panel size (1,000, 10,000 and 100,000 members) it builds a throw-away deployment the way
``bench/pages.py`` does (its helpers: the demo directory on a free port, the demo config
pointed at it, ``flask db upgrade``; the demo data through ``bench/login.py``'s
``make_app``), then bulk-inserts the panel (residents with an e-mail address and the panel
consent, the members) and a questionnaire with four questions; presses the send button (a POST
through Flask's test client, timed: it only queues the job), then runs the job's first step,
``create_invitations`` (the database plans and invites the whole panel, timed apart). Then it
mails the whole panel in two ways, in rounds whose order alternates (smtplib,
app, app, smtplib with the default two rounds), so that a change in other work on the
machine hits both alike:

* **app**: the job ``send_invitations`` run by a fresh worker process exactly as an RQ worker
  runs it (``create_app()``, then ``run_job`` in its app context); the worker reports the wall
  and CPU time of ``run_job`` and its peak RSS. Every invitation must end ``sent``: the job
  marks one sent only after the SMTP server accepted it. The next round puts them back to
  pending and queues a new job;
* **smtplib**: the least any program must do, in a fresh process too: one ``smtplib.SMTP``
  connection, and for each member a message of the same shape (the app's own mail for the
  first invitation: same sender, subject, headers and body; a Date and a Message-ID) built
  and sent to the same addresses.

Both send to the same SMTP server: ``python -m aiosmtpd`` with the ``Sink`` handler, in a
process of its own so that receiving does not compete with sending for the GIL. The figures:
messages per second of both (medians over the rounds) and their ratio (target: app / smtplib
>= 0.5 for 10,000), and the worker's peak memory, which must not grow with the panel: the
peak for 100,000 may be at most 10 MB above the peak for 1,000. Panels above 10,000
(``--baseline-max``) are mailed once, by the app only: they are there for memory. Peak memory is the kernel's
high-water mark of the process (VmHWM), not ``ru_maxrss``, which Linux inherits from the
parent (see :func:`peak_rss_mb`). Also reported: the CPU each sender used per message, and
how much of the machine other processes used meanwhile (their work slows both senders).

With 10,000 members (``--results-size``) it then adds 10,000 responses, signs in as ``coordinator`` through
Flask's test client (as ``bench/login.py`` does) and measures the results page: median and
95th percentile latency, and the SQL statements one request runs.

Prints a table, writes ``bench/results/mailing.json``. The tests never run this. Exit status:
0 when it ran (targets met or not), 1 when it broke, 130 on Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_FILE = BENCH_DIR / "results" / "mailing.json"
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

import login  # noqa: E402 - bench/login.py: the app in-process with the demo data, summaries
import pages  # noqa: E402 - bench/pages.py: directory, config, database, CPU accounting

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

HOST = pages.HOST
SLUG = "zaanstad"
USERNAME = "coordinator"  # demo participation coordinator: meedenkgroepen.* in Zaanstad
PASSWORD = pages.PASSWORD
SENDER = "participatie@zaanstad.demo"
BASE_URL = "https://participatie.zaanstad.demo/"
JOB_FUNCTION = "plugins.meedenkgroepen.jobs:send_invitations"
#: A line the child processes print their figures on (JSON after it).
RESULT_MARKER = "MAILING-RESULT "

#: Targets from the issue (the RSS one is ours: "must not grow with the panel's size").
TARGET_RATIO = 0.5
#: the worker's peak memory for the largest panel, at most this far above the smallest's
TARGET_RSS_GROWTH_MB = 10.0
TARGET_RESULTS_MEDIAN_MS = 100.0
TARGET_PREPARE_REQUEST_MS = 200.0
#: Redis database the send request queues its job in during the benchmark (emptied after)
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")

CHILD_TIMEOUT = 900.0
START_TIMEOUT = 30.0
#: Warn when processes outside the benchmark used more than this % of the machine.
BUSY_WARNING_PCT = 10.0
#: The results page is measured this often at least, whatever --page-seconds says.
MIN_PAGE_REQUESTS = 5

QUESTIONS = [
    ("single", "Kent u het wijkteam in uw buurt?", ["Ja", "Nee", "Weet ik niet"]),
    ("multiple", "Hoe zoekt u hulp?", ["Telefoon", "Internet", "Buren", "Huisarts"]),
    ("scale", "Hoe tevreden bent u over de ondersteuning?", []),
    ("open", "Wat kan de gemeente beter doen?", []),
]
OPEN_ANSWERS = [
    "Sneller terugbellen als ik een vraag heb.",
    "Eén vast aanspreekpunt, niet elke keer iemand anders.",
    "De brieven zijn moeilijk te lezen; schrijf in gewone taal.",
    "Meer avondspreekuren voor mensen die werken.",
    "Het wijkteam doet het goed, ga zo door.",
    "Laat mantelzorgers eerder meepraten over de indicatie.",
]


class BenchError(RuntimeError):
    """The benchmark could not run as intended; the message says what broke."""


@dataclass(frozen=True)
class Sink:
    """The SMTP server: where it listens and its pid (= its process group)."""

    host: str
    port: int
    pid: int


@dataclass(frozen=True)
class Mailing:
    """One deployment's panel, ready to be mailed."""

    size: int
    municipality_id: int
    questionnaire_id: int
    #: the send button's request (it only queues the job) and the job's planning step
    prepare_request_ms: float
    prepare_job_s: float
    #: what the smtplib loop sends: the app's mail to the first member, and every address
    subject: str
    text: str
    headers: dict[str, str]
    recipients: list[str]
    message_bytes: int


@dataclass
class SendRun:
    """One send of the whole panel, by the app's worker or by the smtplib loop."""

    sender: str  # app | smtplib
    size: int
    round: int
    sent: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    rss_before_mb: float | None
    sink_cpu_seconds: float
    other_cpu_pct: float | None

    @property
    def per_second(self) -> float:
        return self.sent / self.seconds


# -- command line -----------------------------------------------------------------------


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line; the defaults are what ``make bench`` runs."""
    parser = argparse.ArgumentParser(prog="bench/mailing.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="panel sizes, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument(
        "--baseline-max",
        type=int,
        default=10_000,
        help="panels up to this size are also mailed by the smtplib loop, in every round; "
        "larger ones by the app once, for memory (default 10000)",
    )
    parser.add_argument(
        "--results-size",
        type=int,
        default=10_000,
        help="responses for the results page, on the panel of this size (default 10000)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="sends per size and sender (2)")
    parser.add_argument("--requests", type=int, default=20, help="max results page requests (20)")
    parser.add_argument(
        "--page-seconds",
        type=float,
        default=20.0,
        help=f"stop measuring the results page after this long, with {MIN_PAGE_REQUESTS} "
        "requests at least (default 20)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="results page warm-up requests (1)")
    parser.add_argument(
        "--database-url",
        "--database",
        default="",
        help="a PostgreSQL server (postgresql+psycopg://user@host:port/db): each panel gets a "
        "throw-away database of its own there (default: SQLite files in the temporary directory)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="write the figures here instead of bench/results/mailing.json",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    # the child processes this script starts
    parser.add_argument("--worker", type=int, metavar="JOB_ID", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, metavar="SPEC", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    try:
        opts.sizes = sorted({int(s) for s in opts.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas")
    if not opts.sizes or min(opts.sizes) < 1 or opts.rounds < 1 or opts.requests < 1:
        parser.error("sizes, rounds and requests must be at least 1")
    if opts.results_size not in opts.sizes:
        parser.error("--results-size must be one of --sizes")
    if min(opts.sizes) > opts.baseline_max:
        parser.error("at least one size must be at most --baseline-max (the smtplib anchor)")
    return opts


# -- the child processes ------------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (MiB).

    VmHWM from /proc, not ``ru_maxrss``: Linux carries ``ru_maxrss`` over from the parent
    through fork and exec, so every child of this benchmark (which holds a whole deployment)
    would report at least the benchmark's own size. Off Linux: ``ru_maxrss``.
    """
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)  # kB
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _report_result(result: dict[str, Any]) -> None:
    print(RESULT_MARKER + json.dumps(result), flush=True)


def worker_main(job_id: int) -> int:
    """Run one job as an RQ worker does (``rq_entry``), timed and measured."""
    import importlib

    from sqlalchemy import func, select

    from intranet import create_app
    from intranet.extensions import db
    from intranet.jobs.models import Job
    from intranet.jobs.runner import run_job
    from plugins.meedenkgroepen.models import Invitation

    app = create_app()
    with app.app_context():
        # The job's code is imported before, so the memory figures are the job's data alone.
        importlib.import_module(JOB_FUNCTION.partition(":")[0])
        before, cpu = peak_rss_mb(), _cpu_seconds()
        started = time.perf_counter()
        run_job(job_id)
        seconds = time.perf_counter() - started
        cpu, peak = _cpu_seconds() - cpu, peak_rss_mb()
        job = db.session.get(Job, job_id)
        assert job is not None
        statuses = dict(
            db.session.execute(
                select(Invitation.status, func.count())
                .where(Invitation.questionnaire_id == job.params["questionnaire_id"])
                .group_by(Invitation.status)
            ).all()
        )
        _report_result(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_rss_mb": peak,
                "rss_before_mb": before,
                "job": {
                    "status": job.status,
                    "done": job.done,
                    "total": job.total,
                    "failed": job.failed,
                    "message": job.message,
                },
                "invitations": statuses,
            }
        )
    return 0


def baseline_main(spec_path: Path) -> int:
    """The plain smtplib loop: one connection, one message per address, built as it goes."""
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    domain = spec["sender"].rsplit("@", 1)[-1]
    cpu = _cpu_seconds()
    started = time.perf_counter()
    sent = 0
    with smtplib.SMTP(spec["host"], spec["port"], timeout=30) as smtp:
        for address in spec["recipients"]:
            msg = EmailMessage()
            msg["From"] = spec["sender"]
            msg["To"] = address
            msg["Subject"] = spec["subject"]
            msg["Date"] = formatdate(localtime=True)
            msg["Message-ID"] = make_msgid(domain=domain)
            for name, value in spec["headers"].items():
                msg[name] = value
            msg.set_content(spec["text"])
            if not smtp.send_message(msg):  # the refused recipients: none
                sent += 1
    seconds = time.perf_counter() - started
    _report_result(
        {
            "seconds": seconds,
            "cpu_seconds": _cpu_seconds() - cpu,
            "peak_rss_mb": peak_rss_mb(),
            "sent": sent,
        }
    )
    return 0


@dataclass(frozen=True)
class _Ticks:
    """CPU counters: the machine's (ticks), the Sink's (ticks) and ours (seconds)."""

    total: int
    busy: int
    sink: int
    ours: float  # seconds: this process and its waited-for children

    @classmethod
    def now(cls, sink: Sink) -> _Ticks:
        total, busy = pages._machine_ticks()
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        return cls(total, busy, pages._group_ticks(sink.pid) if total else 0, ours)


def run_child(args: list[str], env: dict[str, str], sink: Sink) -> tuple[dict, float, float | None]:
    """Run this script as a child (worker or baseline); returns its figures, the Sink's CPU
    seconds meanwhile, and the % of the machine that other processes used meanwhile."""
    before = _Ticks.now(sink)
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl+C reaches only us; we stop the child in order
    )
    try:
        out, err = process.communicate(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{' '.join(args)} did not finish in {CHILD_TIMEOUT:g} s") from exc
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    after = _Ticks.now(sink)
    lines = [line for line in out.splitlines() if line.startswith(RESULT_MARKER)]
    if process.returncode != 0 or not lines:
        raise BenchError(
            f"`mailing.py {' '.join(args)}` failed (exit {process.returncode}):\n"
            f"{out[-2000:]}{err[-4000:]}"
        )
    sink_s = (after.sink - before.sink) / pages.CLOCK_TICKS
    other = None
    if after.total > before.total:
        ours = (after.ours - before.ours) * pages.CLOCK_TICKS + (after.sink - before.sink)
        other = round(
            100 * max(0.0, after.busy - before.busy - ours) / (after.total - before.total), 1
        )
    return json.loads(lines[-1].removeprefix(RESULT_MARKER)), round(sink_s, 2), other


# -- the SMTP server ------------------------------------------------------------------------


@contextlib.contextmanager
def smtp_sink(log: Path) -> Iterator[Sink]:
    """aiosmtpd with the Sink handler (accepts and drops every message) in its own process."""
    port = pages.free_port()
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                *("-m", "aiosmtpd", "-n", "-l", f"{HOST}:{port}"),
                *("-c", "aiosmtpd.handlers.Sink"),
            ],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise BenchError(
                    f"aiosmtpd exited with {process.returncode}:\n{pages.log_tail(log)}"
                )
            try:
                with smtplib.SMTP(HOST, port, timeout=2) as smtp:
                    smtp.noop()
                break
            except (OSError, smtplib.SMTPException):
                if time.monotonic() > deadline:
                    raise BenchError(f"aiosmtpd did not answer on {HOST}:{port}") from None
                time.sleep(0.1)
        yield Sink(HOST, port, process.pid)
    finally:
        pages.stop_process(process)


# -- the deployment and its data -------------------------------------------------------------


def prepare(workdir: Path, ldap_url: str, sink: Sink, database_url: str = "") -> dict[str, str]:
    """Config and schema as in bench/pages.py, mail to the Sink; returns the environment."""
    workdir.mkdir(parents=True)
    return login.prepare(
        workdir,
        ldap_url,
        database_url=database_url,
        INTRANET_SMTP_HOST=sink.host,
        INTRANET_SMTP_PORT=str(sink.port),
        INTRANET_MAIL_FROM=SENDER,
    )


def build_mailing(app: Flask, size: int) -> Mailing:
    """Panel, questionnaire and invitations, as after pressing "send"; the job comes later."""
    from sqlalchemy import func, insert, select

    from intranet.extensions import db
    from intranet.municipalities.models import Municipality
    from intranet.residents.models import Consent, Resident
    from plugins.meedenkgroepen import jobs
    from plugins.meedenkgroepen.models import (
        PANEL_CONSENT,
        Invitation,
        Panel,
        PanelMember,
        Question,
        Questionnaire,
    )
    from plugins.meedenkgroepen.service import create_invitations, plan_send

    with app.app_context():
        municipality = db.session.execute(
            select(Municipality).where(Municipality.slug == SLUG)
        ).scalar_one()
        mid = municipality.id
        panel = Panel(municipality_id=mid, name=f"Benchpanel {size}", mailbox=SENDER)
        db.session.add(panel)
        db.session.flush()
        last_id = db.session.execute(select(func.coalesce(func.max(Resident.id), 0))).scalar()
        residents = pages.dutch_residents(size, mid)
        for n, row in enumerate(residents):
            row["email"] = f"panellid{n}@example.org"
        db.session.execute(insert(Resident.__table__), residents)
        ids = (
            db.session.execute(
                select(Resident.id).where(Resident.id > last_id).order_by(Resident.id)
            )
            .scalars()
            .all()
        )
        today = date.today()
        db.session.execute(
            insert(Consent.__table__),
            [
                {
                    "municipality_id": mid,
                    "resident_id": rid,
                    "purpose": PANEL_CONSENT,
                    "method": "form",
                    "given_on": today,
                }
                for rid in ids
            ],
        )
        db.session.execute(
            insert(PanelMember.__table__),
            [
                {
                    "municipality_id": mid,
                    "panel_id": panel.id,
                    "resident_id": rid,
                    "joined_on": today,
                }
                for rid in ids
            ],
        )
        q = Questionnaire(
            municipality_id=mid,
            panel_id=panel.id,
            title="Hoe ervaart u de ondersteuning vanuit de Wmo?",
            intro="Het invullen duurt ongeveer vijf minuten. Uw antwoorden zijn anoniem.",
            opens_on=today,
            closes_on=today + timedelta(days=21),
            created_by=USERNAME,
        )
        for position, (kind, text, options) in enumerate(QUESTIONS, start=1):
            q.questions.append(
                Question(
                    municipality_id=mid, position=position, kind=kind, text=text, options=options
                )
            )
        db.session.add(q)
        db.session.commit()
        q_id = q.id

    # The send button: a POST that queues the job (RQ, in a Redis database of its own here).
    prepare_request_ms = send_request_ms(app, q_id)
    with app.app_context():
        municipality = db.session.get(Municipality, mid)
        q = db.session.get(Questionnaire, q_id)
        # The job's first step (prepare_and_send_invitations): plan and invite in the database.
        started = time.perf_counter()
        invited = create_invitations(municipality, q)
        q.status = "verzonden"
        db.session.commit()
        prepare_job_s = time.perf_counter() - started
        if invited != size:
            raise BenchError(f"create_invitations invites {invited} of the {size} members")
        plan = plan_send(municipality, q)
        if plan.already_invited != size:
            raise BenchError(f"after inviting, the plan says: {plan}")

        first = (
            db.session.execute(
                select(Invitation)
                .where(Invitation.questionnaire_id == q.id)
                .order_by(Invitation.id)
            )
            .scalars()
            .first()
        )
        with jobs._links(BASE_URL):
            mail = jobs._invitation_mail(municipality, q, first, first.resident, False)
        if mail is None:
            raise BenchError("the app builds no mail for the first invitation")
        recipients = (
            db.session.execute(
                select(Resident.email)
                .join(Invitation, Invitation.resident_id == Resident.id)
                .where(Invitation.questionnaire_id == q.id)
                .order_by(Invitation.id)
            )
            .scalars()
            .all()
        )
        return Mailing(
            size=size,
            municipality_id=mid,
            questionnaire_id=q.id,
            prepare_request_ms=round(prepare_request_ms, 1),
            prepare_job_s=round(prepare_job_s, 2),
            subject=mail.subject,
            text=mail.text,
            headers=dict(mail.headers),
            recipients=list(recipients),
            message_bytes=len(mail.to_message(SENDER).as_bytes()),
        )


def send_request_ms(app: Flask, questionnaire_id: int) -> float:
    """Milliseconds the send button's POST takes (it queues the job and answers)."""
    from redis import Redis
    from rq import Queue

    client = sign_in(app)
    path = f"/{SLUG}/meedenkgroepen/vragenlijsten/{questionnaire_id}/verzenden"
    form = client.get(path)
    match = login._CSRF.search(form.get_data(as_text=True))
    if form.status_code != 200 or not match:
        raise BenchError(f"{path}: HTTP {form.status_code}, no csrf_token")
    saved = {k: app.config.get(k) for k in ("REDIS_URL", "JOBS_EAGER")}
    app.config.update(REDIS_URL=BENCH_REDIS_URL, JOBS_EAGER=False)
    queue = Queue("intranet", connection=Redis.from_url(BENCH_REDIS_URL))
    try:
        started = time.perf_counter()
        response = client.post(path, data={"csrf_token": match[1]})
        took = time.perf_counter() - started
    finally:
        app.config.update(saved)
        queue.empty()  # the benchmark runs the job's steps itself
    if response.status_code != 302:
        raise BenchError(f"the send button answered {response.status_code}")
    return took * 1000


def queue_job(app: Flask, mailing: Mailing, *, again: bool) -> int:
    """A queued job row as ``enqueue`` stores it (no backend: the worker is started here).
    ``again``: first put every invitation back to pending, so the panel is mailed anew."""
    from sqlalchemy import update

    from intranet.extensions import db
    from intranet.jobs.models import QUEUED, Job
    from plugins.meedenkgroepen.models import PENDING, Invitation, Questionnaire

    with app.app_context():
        if again:
            db.session.execute(
                update(Invitation)
                .where(Invitation.questionnaire_id == mailing.questionnaire_id)
                .values(status=PENDING, attempts=0, sent_at=None, last_error="", failure="")
            )
        job = Job(
            function=JOB_FUNCTION,
            title="Versturen vragenlijst (benchmark)",
            params={"questionnaire_id": mailing.questionnaire_id, "base_url": BASE_URL},
            municipality_id=mailing.municipality_id,
            created_by=USERNAME,
            status=QUEUED,
        )
        db.session.add(job)
        db.session.flush()
        q = db.session.get(Questionnaire, mailing.questionnaire_id)
        assert q is not None
        q.send_job_id = job.id
        db.session.commit()
        return job.id


def add_responses(app: Flask, mailing: Mailing, count: int, seed: int = 2026) -> None:
    """``count`` filled-in questionnaires (most questions answered, a third of the open one),
    and as many invitations marked answered."""
    from sqlalchemy import func, insert, select, update

    from intranet.extensions import db
    from intranet.timeutil import utcnow
    from plugins.meedenkgroepen.models import Answer, Invitation, Question, Response

    rng = random.Random(seed)
    mid, qid = mailing.municipality_id, mailing.questionnaire_id
    with app.app_context():
        questions = (
            db.session.execute(
                select(Question).where(Question.questionnaire_id == qid).order_by(Question.position)
            )
            .scalars()
            .all()
        )
        now = utcnow()
        last_id = db.session.execute(select(func.coalesce(func.max(Response.id), 0))).scalar()
        channels = rng.choices(["online", "papier", "telefoon"], [85, 10, 5], k=count)
        db.session.execute(
            insert(Response.__table__),
            [
                {
                    "municipality_id": mid,
                    "questionnaire_id": qid,
                    "channel": channel,
                    "entered_by": None if channel == "online" else USERNAME,
                    "submitted_at": now - timedelta(minutes=rng.randint(0, 20 * 24 * 60)),
                }
                for channel in channels
            ],
        )
        ids = (
            db.session.execute(
                select(Response.id).where(Response.id > last_id).order_by(Response.id)
            )
            .scalars()
            .all()
        )
        answers = []
        for rid in ids:
            for question in questions:
                text, choices = "", []
                if question.kind == "open":
                    if rng.random() < 0.35:
                        text = rng.choice(OPEN_ANSWERS)
                elif question.kind == "multiple":
                    choices = sorted(rng.sample(question.choices, rng.randint(0, 2)))
                elif rng.random() < 0.9:
                    choices = [rng.choice(question.choices)]
                if text or choices:
                    answers.append(
                        {
                            "municipality_id": mid,
                            "response_id": rid,
                            "question_id": question.id,
                            "text": text,
                            "choices": choices,
                        }
                    )
        db.session.execute(insert(Answer.__table__), answers)
        db.session.execute(
            update(Invitation)
            .where(Invitation.questionnaire_id == qid)
            .values(answered_at=now, answered_via="online")
        )
        db.session.commit()
        analyze(db)


def analyze(db: Any) -> None:
    """PostgreSQL: gather statistics after the responses' bulk load, as autovacuum would.

    Measured straight after inserting tens of thousands of answers, the planner takes the
    tables for empty: the results page then took 19 s instead of 0.1 s (see the README).
    Not before the send: with statistics gathered while the invitations table is empty, the
    plan's INSERT … SELECT at 100,000 members runs past the statement timeout (README), so the
    send is measured as after an import, without them. SQLite's statistics are left alone.
    """
    from sqlalchemy import text

    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()


# -- what is measured ------------------------------------------------------------------------


def send_round(
    app: Flask,
    env: dict[str, str],
    mailing: Mailing,
    sink: Sink,
    spec: Path,
    round_: int,
    *,
    baseline: bool = True,
) -> list[SendRun]:
    """The panel mailed once by the smtplib loop and once by the app's worker; which one goes
    first alternates between rounds. Without ``baseline`` only the app's worker mails."""
    job_id = queue_job(app, mailing, again=round_ > 0)
    order = ["smtplib", "app"] if round_ % 2 == 0 else ["app", "smtplib"]
    if not baseline:
        order = ["app"]
    runs = []
    for sender in order:
        if sender == "app":
            result, sink_s, other = run_child(["--worker", str(job_id)], env, sink)
            check_worker(result, mailing.size)
            sent, before = result["invitations"]["sent"], result["rss_before_mb"]
        else:
            result, sink_s, other = run_child(["--baseline", str(spec)], env, sink)
            if result["sent"] != mailing.size:
                raise BenchError(f"smtplib sent {result['sent']} of {mailing.size} messages")
            sent, before = result["sent"], None
        run = SendRun(
            sender=sender,
            size=mailing.size,
            round=round_ + 1,
            sent=sent,
            seconds=round(result["seconds"], 3),
            cpu_seconds=round(result["cpu_seconds"], 3),
            peak_rss_mb=result["peak_rss_mb"],
            rss_before_mb=before,
            sink_cpu_seconds=sink_s,
            other_cpu_pct=other,
        )
        print(
            f"  {mailing.size:>6} round {run.round} {sender:<8} {run.per_second:8.0f} msgs/s"
            f"  peak RSS {run.peak_rss_mb:.1f} MB",
            flush=True,
        )
        runs.append(run)
    return runs


def check_worker(result: dict, size: int) -> None:
    """Every invitation sent, the job done without failures: else the figures mean nothing."""
    job, statuses = result["job"], result["invitations"]
    if job["status"] != "done" or job["failed"] or statuses != {"sent": size}:
        raise BenchError(f"the job did not mail the whole panel: job {job}, invitations {statuses}")


def sign_in(app: Flask) -> FlaskClient:
    """A test client signed in as the participation coordinator (login page, then POST)."""
    client = app.test_client()
    form = client.get(f"/{SLUG}/inloggen")
    match = login._CSRF.search(form.get_data(as_text=True))
    if form.status_code != 200 or not match:
        raise BenchError(f"login page: HTTP {form.status_code}, no csrf_token")
    response = client.post(
        f"/{SLUG}/inloggen",
        data={"username": USERNAME, "password": PASSWORD, "next": "", "csrf_token": match[1]},
    )
    if response.status_code != 302 or response.headers["Location"] != f"/{SLUG}/":
        raise BenchError(f"signing in as {USERNAME} answered {response.status_code}")
    return client


def measure_results_page(
    app: Flask, mailing: Mailing, responses: int, opts: argparse.Namespace
) -> dict[str, Any]:
    """Latency of the results page, then the SQL statements of one more request.

    At most ``opts.requests`` requests, and no more once ``opts.page_seconds`` have passed
    (but :data:`MIN_PAGE_REQUESTS` at least): a slow page must not stretch the whole run.
    """
    from sqlalchemy import event

    from intranet.extensions import db

    client = sign_in(app)
    path = f"/{SLUG}/meedenkgroepen/vragenlijsten/{mailing.questionnaire_id}/resultaten"

    def get() -> bytes:
        response = client.get(path)
        if response.status_code != 200:
            raise BenchError(f"{path} answered {response.status_code}")
        return response.data

    for _ in range(opts.warmup):
        get()
    samples: list[float] = []
    deadline = time.monotonic() + opts.page_seconds
    while len(samples) < opts.requests and (
        len(samples) < MIN_PAGE_REQUESTS or time.monotonic() < deadline
    ):
        samples.append(login.timed(get))
    print(f"  results page: {len(samples)} requests measured", flush=True)

    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        body = get()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    if f"{responses}".encode() not in body:
        raise BenchError(f"the results page does not show {responses} responses")
    return {
        **login.summary(samples),
        "queries_per_request": statements,
        "responses": responses,
        "bytes": len(body),
        "warmup": opts.warmup,
    }


# -- report -------------------------------------------------------------------------------------


def _median(runs: list[SendRun], sender: str, size: int, value: str) -> float:
    return statistics.median(
        getattr(r, value) if value != "per_second" else r.per_second
        for r in runs
        if r.sender == sender and r.size == size
    )


def build_report(
    runs: list[SendRun],
    mailings: list[Mailing],
    results_page: dict[str, Any],
    opts: argparse.Namespace,
    load: tuple[float, float],
) -> dict[str, Any]:
    """The JSON document: headline figures first, then everything needed to judge them."""
    per_size: dict[str, dict[str, Any]] = {}
    peaks: dict[int, float] = {}
    for m in mailings:
        app_runs = [r for r in runs if r.sender == "app" and r.size == m.size]
        peaks[m.size] = max(r.peak_rss_mb for r in app_runs)
        app_rate = _median(runs, "app", m.size, "per_second")
        app_cpu = _median(runs, "app", m.size, "cpu_seconds") / m.size
        figures: dict[str, Any] = {
            "app": round(app_rate, 1),
            "cpu_ms_per_message": {"app": round(1000 * app_cpu, 3)},
            "worker_rss_before_job_mb": max(r.rss_before_mb or 0 for r in app_runs),
            "prepare_request_ms": m.prepare_request_ms,
            "prepare_job_s": m.prepare_job_s,
        }
        if any(r.sender == "smtplib" and r.size == m.size for r in runs):
            smtplib_rate = _median(runs, "smtplib", m.size, "per_second")
            smtplib_cpu = _median(runs, "smtplib", m.size, "cpu_seconds") / m.size
            figures["smtplib"] = round(smtplib_rate, 1)
            figures["ratio"] = round(app_rate / smtplib_rate, 3)
            figures["cpu_ms_per_message"]["smtplib"] = round(1000 * smtplib_cpu, 3)
            figures["cpu_cost_ratio"] = round(smtplib_cpu / app_cpu, 3)
        per_size[str(m.size)] = figures
    small, large = min(peaks), max(peaks)
    compared = max(int(k) for k, f in per_size.items() if "ratio" in f)
    ratio = per_size[str(compared)]["ratio"]
    growth = round(peaks[large] - peaks[small], 1) if large != small else None
    prepare_ms = max(m.prepare_request_ms for m in mailings)
    results_ms = results_page.get("median_ms")
    return {
        "ratio": ratio,
        **{f"peak_rss_mb_{size}": peak for size, peak in peaks.items()},
        "peak_rss_growth_mb": growth,
        f"results_median_ms_{results_page.get('responses')}": results_ms,
        **{f"prepare_request_ms_{m.size}": m.prepare_request_ms for m in mailings},
        "database": pages.database_name(opts.database_url),
        "messages_per_second": per_size,
        "results_page": results_page,
        "targets": {
            "ratio": {"min": TARGET_RATIO, "size": compared, "met": ratio >= TARGET_RATIO},
            "peak_rss_growth_mb": {
                "max": TARGET_RSS_GROWTH_MB,
                "sizes": [small, large],
                "met": None if growth is None else growth <= TARGET_RSS_GROWTH_MB,
            },
            "results_median_ms": {
                "max": TARGET_RESULTS_MEDIAN_MS,
                "responses": results_page.get("responses"),
                "met": None if results_ms is None else results_ms < TARGET_RESULTS_MEDIAN_MS,
            },
            "prepare_request_ms": {
                "max": TARGET_PREPARE_REQUEST_MS,
                "sizes": [m.size for m in mailings],
                "met": prepare_ms < TARGET_PREPARE_REQUEST_MS,
            },
        },
        "warnings": busy_machine_warnings(runs),
        "runs": [{**asdict(r), "per_second": round(r.per_second, 1)} for r in runs],
        "settings": {
            "sizes": opts.sizes,
            "baseline_max": opts.baseline_max,
            "rounds": opts.rounds,
            "smtp_server": "python -m aiosmtpd -c aiosmtpd.handlers.Sink, own process, 127.0.0.1",
            "message_bytes": mailings[-1].message_bytes,
            "subject": mailings[-1].subject,
            "job": JOB_FUNCTION,
            "worker": "fresh process: create_app(), run_job(job_id) in its app context",
            "baseline": "fresh process: one smtplib.SMTP connection, EmailMessage per member",
            "send_request": "POST of the send button through Flask's test client; the job is "
            "queued in RQ (Redis database of the benchmark's own) and its planning step "
            "(create_invitations) is timed apart as prepare_job_s",
            "database": pages.database_name(opts.database_url),
            "results_page": {
                "max_requests": opts.requests,
                "max_seconds": opts.page_seconds,
                "warmup": opts.warmup,
                "client": "Flask test client in the benchmark's process",
            },
        },
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_start_end": [round(x, 2) for x in load],
        },
        "commit": pages.git_commit(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def busy_machine_warnings(runs: list[SendRun]) -> list[str]:
    """Other work on the machine during the sends slows both senders; say how much."""
    busy = [r.other_cpu_pct for r in runs if (r.other_cpu_pct or 0) > BUSY_WARNING_PCT]
    if not busy:
        return []
    return [
        f"other processes used up to {max(busy):.0f}% of the machine during {len(busy)} of "
        f"{len(runs)} sends"
    ]


def print_report(report: dict[str, Any], runs: list[SendRun], path: Path = RESULTS_FILE) -> None:
    """A table for people, then the targets."""
    settings, machine = report["settings"], report["machine"]
    print()
    print(
        f"Machine: {machine['cores']} cores, Python {machine['python']}; SQLite; load average "
        f"{machine['load_average_start_end'][0]} at the start, "
        f"{machine['load_average_start_end'][1]} at the end"
    )
    print(
        f"SMTP: aiosmtpd Sink in its own process; message {settings['message_bytes']} bytes; "
        f"median of {settings['rounds']} rounds"
    )
    print()
    header = (
        f"{'panel':>7}  {'sender':<8}{'msgs/s':>8}{'cpu ms/msg':>11}{'peak RSS MB':>12}"
        f"{'before job':>11}{'send req ms':>12}{'plan s':>8}{'other cpu%':>11}"
    )
    print(header)
    print("-" * len(header))
    for size, figures in report["messages_per_second"].items():
        for sender in ("app", "smtplib"):
            mine = [r for r in runs if r.sender == sender and str(r.size) == size]
            if not mine:
                continue
            peak = max(r.peak_rss_mb for r in mine)
            other = [r.other_cpu_pct for r in mine if r.other_cpu_pct is not None]
            app = sender == "app"
            before = f"{figures['worker_rss_before_job_mb']:.1f}" if app else "-"
            request = f"{figures['prepare_request_ms']:.0f}" if app else "-"
            plan = f"{figures['prepare_job_s']:.2f}" if app else "-"
            print(
                f"{int(size):>7}  {sender:<8}{figures[sender]:>8.0f}"
                f"{figures['cpu_ms_per_message'][sender]:>11.3f}{peak:>12.1f}{before:>11}"
                f"{request:>12}{plan:>8}{f'{max(other):.0f}' if other else '-':>11}"
            )
    print()
    print(
        "msgs/s: messages over the wall time of the send (run_job in the worker; the whole "
        "loop for smtplib).\ncpu ms/msg: the sender's own CPU per message. peak RSS: the "
        "sending process's high-water mark (VmHWM); before job: the worker's after create_app().\n"
        "send req ms: the send button's POST (it queues the job). plan s: the job's first step, "
        "planning and inviting the panel in the database. other cpu%: the most other processes "
        "used of the machine in one round."
    )
    ratios = ", ".join(
        f"{size}: {f['ratio']:.2f} (CPU cost {f['cpu_cost_ratio']:.2f})"
        for size, f in report["messages_per_second"].items()
        if "ratio" in f
    )
    print(f"app / smtplib msgs/s: {ratios}")
    page = report["results_page"]
    print(
        f"Results page, {page['responses']} responses: median {page['median_ms']:.0f} ms, "
        f"p95 {page['p95_ms']:.0f} ms ({page['n']} requests), "
        f"{page['queries_per_request']} SQL queries per request, {page['bytes']} bytes"
    )
    for warning in report["warnings"]:
        print(f"WARNING: {warning}; the rates are lower than on a quiet machine.")
    targets, met = report["targets"], {True: "met", False: "MISSED", None: "not measured"}
    t = targets["ratio"]
    print(
        f"Target app / smtplib msgs/s at {t['size']} >= {TARGET_RATIO}: "
        f"{report['ratio']:.2f} -> {met[t['met']]}"
    )
    t = targets["peak_rss_growth_mb"]
    small, large = t["sizes"]
    print(
        f"Target worker peak RSS at {large} at most {TARGET_RSS_GROWTH_MB:g} MB above {small}: "
        f"{report[f'peak_rss_mb_{large}']:.1f} vs {report[f'peak_rss_mb_{small}']:.1f} MB "
        f"-> {met[t['met']]}"
    )
    t = targets["results_median_ms"]
    print(
        f"Target results page median with {t['responses']} responses < "
        f"{TARGET_RESULTS_MEDIAN_MS:g} ms: {page['median_ms']:.0f} ms -> {met[t['met']]}"
    )
    t = targets["prepare_request_ms"]
    print(
        f"Target send request < {TARGET_PREPARE_REQUEST_MS:g} ms for every panel: "
        + ", ".join(f"{s}: {report[f'prepare_request_ms_{s}']:.0f} ms" for s in t["sizes"])
        + f" -> {met[t['met']]}"
    )
    print(f"Written: {path}")


def run(opts: argparse.Namespace) -> dict[str, Any]:
    """The whole benchmark; every process started here is stopped before it returns."""
    load_start = os.getloadavg()[0]
    runs: list[SendRun] = []
    mailings: list[Mailing] = []
    results_page: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="intranet-bench-mailing-"))
        if opts.keep:
            print(f"Working directory (kept): {workdir}")
        else:
            stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        sink = stack.enter_context(smtp_sink(workdir / "smtp.log"))
        print(f"SMTP: aiosmtpd Sink at {sink.host}:{sink.port}", flush=True)
        ldap_url = stack.enter_context(pages.demo_directory(workdir / "ldap"))
        print(f"Directory: demo slapd at {ldap_url}", flush=True)
        for size in opts.sizes:
            print(f"Panel of {size}:", flush=True)
            database_url = ""
            if opts.database_url:
                database_url = stack.enter_context(pages.throwaway_database(opts.database_url))
            env = prepare(workdir / f"panel-{size}", ldap_url, sink, database_url)
            app = login.make_app(env)
            print(f"Database: {size} members, questionnaire, invitations ...", flush=True)
            mailing = build_mailing(app, size)
            mailings.append(mailing)
            spec = workdir / f"panel-{size}" / "baseline.json"
            spec.write_text(  # the smtplib loop's messages
                json.dumps(
                    {
                        "host": sink.host,
                        "port": sink.port,
                        "sender": SENDER,
                        "subject": mailing.subject,
                        "text": mailing.text,
                        "headers": mailing.headers,
                        "recipients": mailing.recipients,
                    }
                ),
                encoding="utf-8",
            )
            baseline = size <= opts.baseline_max
            for round_ in range(opts.rounds if baseline else 1):
                runs += send_round(app, env, mailing, sink, spec, round_, baseline=baseline)
            if size == opts.results_size:
                print(f"Results page: {size} responses ...", flush=True)
                add_responses(app, mailing, size)
                results_page = measure_results_page(app, mailing, size, opts)
            from intranet.extensions import db

            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    report = build_report(runs, mailings, results_page, opts, (load_start, os.getloadavg()[0]))
    pages.write_report(report, opts.output or RESULTS_FILE)
    print_report(report, runs, opts.output or RESULTS_FILE)
    return report


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the benchmark ran (targets met or not), 1 when it broke, 130 on Ctrl+C."""
    opts = parse_options(argv)
    if opts.worker is not None:
        return worker_main(opts.worker)
    if opts.baseline is not None:
        return baseline_main(opts.baseline)
    signal.signal(signal.SIGTERM, _raise_interrupt)  # clean up on `kill` as on Ctrl+C
    started = time.monotonic()
    try:
        run(opts)
    except KeyboardInterrupt:
        print("\nInterrupted; everything started here has been stopped.", file=sys.stderr)
        return 130
    except (BenchError, pages.BenchError, login.BenchError) as exc:
        print(f"\nBenchmark failed: {exc}", file=sys.stderr)
        return 1
    print(f"Run time: {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
