"""Page benchmark (``make bench``): what does an intranet page cost compared with bare Flask?

Builds a throw-away deployment in a temporary directory (a fresh SQLite database with the
migrations, the demo directory on a free port, the demo data, and 10,000 residents in
Zwolle), serves it with gunicorn under the production config, signs in as ``beheerder``
over real HTTP and measures throughput and latency of the dashboard and the residents list.
A bare Flask page of the same byte size (``bench/bare_app.py``), served by gunicorn with
the same settings, is the baseline. Prints a table, writes ``bench/results/pages.json``,
and says whether the targets are met; it exits non-zero only when something broke.

The load is a closed loop: each of N threads keeps one keep-alive connection and sends its
next request as soon as the previous answer is in. The pages take turns in short rounds, so
that other work on the machine (a test suite next door) hits all of them alike; the CPU
used by others is measured and reported. The tests never run this.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import json
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, astuple, dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_FILE = BENCH_DIR / "results" / "pages.json"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
DEMO_DIR = ROOT / "deploy" / "demo"

HOST = "127.0.0.1"
SLUG = "zwolle"
USERNAME = "beheerder"
PASSWORD = "Demo-2026!"  # public demo account, see deploy/demo/README.md
SERVICE_PASSWORD = "service-demo"  # public demo service account
SESSION_COOKIE = "intranet_session"
USER_AGENT = "intranet-bench/1"

#: Targets: each page at most about 3x the bare page's server CPU; throughput half the bare's.
TARGET_CPU_COST_RATIO = 0.35
TARGET_THROUGHPUT_RATIO = 0.5
TARGET_P95_MS = 100.0

START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0
#: More failed requests than this share makes the figures meaningless: exit non-zero.
MAX_ERROR_SHARE = 0.01
#: Warm-up before the second and later rounds: the server is warm, the connections are new.
LATER_WARMUP_S = 0.5
#: Warn when processes outside the benchmark used more than this % of the machine.
BUSY_WARNING_PCT = 10.0


class BenchError(RuntimeError):
    """The benchmark could not run as intended; the message says what broke."""


@dataclass(frozen=True)
class Options:
    """How hard and how long to load each page (command-line options)."""

    workers: int
    concurrency: int
    warmup_s: float
    duration_s: float
    max_requests: int
    rounds: int
    residents: int
    keep: bool
    database_url: str = ""


@dataclass(frozen=True)
class Target:
    """One page to measure."""

    key: str
    label: str
    path: str


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its address, its master's pid (= process group) and its log."""

    url: str
    pid: int
    log: Path


@dataclass(frozen=True)
class CpuUse:
    """CPU time in clock ticks, summed over all cores: the machine's, ours and the server's."""

    total: int = 0
    busy: int = 0
    server: int = 0
    client: int = 0

    def __add__(self, other: CpuUse) -> CpuUse:
        return CpuUse(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def __sub__(self, other: CpuUse) -> CpuUse:
        return CpuUse(*(a - b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def share(self, ticks: int) -> float | None:
        """``ticks`` as a percentage of the whole machine (all cores); None off Linux."""
        return round(100 * ticks / self.total, 1) if self.total > 0 else None


@dataclass
class Run:
    """What loading one page produced: in one round, or summed over all rounds."""

    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    reconnects: int = 0
    restarts: int = 0
    cpu: CpuUse = field(default_factory=CpuUse)

    def add(self, other: Run) -> None:
        self.samples += other.samples
        self.seconds += other.seconds
        self.reconnects += other.reconnects
        self.restarts += other.restarts
        self.cpu += other.cpu


@dataclass
class PageResult:
    """The figures for one page."""

    label: str
    path: str
    bytes: int
    requests: int
    errors: int
    reconnects: int
    seconds: float
    rps: float
    median_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float
    server_cpu_ms_per_request: float | None
    server_cpu_pct: float | None
    client_cpu_pct: float | None
    other_cpu_pct: float | None
    worker_restarts: int
    error_samples: list[str] = field(default_factory=list)
    throughput_ratio: float | None = None


# -- command line -----------------------------------------------------------------------


def parse_options(argv: list[str] | None = None) -> Options:
    """Read the command line; the defaults are what ``make bench`` runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per page")
    parser.add_argument("--duration", type=float, default=10.0, help="max seconds per page")
    parser.add_argument("--requests", type=int, default=5000, help="max requests per page")
    parser.add_argument("--rounds", type=int, default=3, help="turns each page gets (default 3)")
    parser.add_argument("--residents", type=int, default=10_000, help="residents to add")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="a PostgreSQL server URL (postgresql+psycopg://user@host/db): the benchmark "
        "creates a throw-away database there; default: a SQLite file",
    )
    args = parser.parse_args(argv)
    return Options(
        workers=args.workers,
        concurrency=args.concurrency,
        warmup_s=args.warmup,
        duration_s=args.duration,
        max_requests=args.requests,
        rounds=max(1, args.rounds),
        residents=args.residents,
        keep=args.keep,
        database_url=args.database_url,
    )


# -- environment and data ---------------------------------------------------------------


def production_environment(
    workdir: Path, config_path: Path, database_url: str = ""
) -> dict[str, str]:
    """The environment of every child: production settings, nothing inherited from INTRANET_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTRANET_")}
    env.update(
        {
            "INTRANET_ENV": "production",
            # no Redis here: jobs run as threads of the web process (demo and benchmark only)
            "INTRANET_JOBS_IN_PROCESS": "true",
            "INTRANET_SECRET_KEY": secrets.token_urlsafe(48),
            "INTRANET_DATABASE_URL": database_url or f"sqlite:///{workdir / 'intranet.sqlite3'}",
            "INTRANET_CONFIG": str(config_path),
            "INTRANET_SECURE_COOKIES": "false",  # the benchmark speaks plain http
            "INTRANET_LDAP_ZWOLLE_PASSWORD": SERVICE_PASSWORD,
            "INTRANET_LDAP_ZAANSTAD_PASSWORD": SERVICE_PASSWORD,
            # several workers need shared storage for the sign-in limits (gunicorn.conf.py)
            "INTRANET_REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        }
    )
    return env


def write_deployment_config(ldap_url: str, path: Path) -> Path:
    """The demo config, pointed at the benchmark's own directory server."""
    source = (DEMO_DIR / "intranet.toml").read_text(encoding="utf-8")
    path.write_text(source.replace("ldap://127.0.0.1:3389", ldap_url), encoding="utf-8")
    return path


def run_flask(env: dict[str, str], *args: str) -> None:
    """Run ``flask --app wsgi ARGS`` as operators do; fail with its output if it fails."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise BenchError(
            f"`flask {' '.join(args)}` failed (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}{result.stderr[-4000:]}"
        )


def _names(text: str) -> tuple[str, ...]:
    """``"a|b|c"`` -> ``("a", "b", "c")``: long lists of names, readable in the source."""
    return tuple(name.strip() for name in text.split("|"))


FIRST_NAMES = _names(
    "Anna|Bram|Daan|Emma|Sanne|Lars|Sophie|Noah|Julia|Lucas|Fleur|Sem|Lotte|Thijs|Eva|Jesse|"
    "Tess|Ruben|Lisa|Milan|Iris|Jan|Maria|Kees|Ans|Henk|Truus|Wim|Ria|Gerrit|Joke|Piet|"
    "Marieke|Willem|Ingrid|Mohamed|Fatima|Yusuf|Aylin|Dewi|Priya|Mehmet|Zeynep|Omar|Nadia|"
    "Kevin|Naomi|Bas|Mila|Finn|Saskia|Hendrik|Gerda|Femke|Rik|Wilma|Jeroen|Ilse|Sven|Hatice"
)
#: The most common Dutch surnames, and some of the many of other origins.
SURNAMES = _names(
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|"
    "Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|"
    "de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|"
    "van der Veen|van den Broek|de Bruijn|van der Heijden|Schouten|van Beek|Willems|van Vliet|"
    "van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|"
    "ter Horst|Postma|Kuipers|Wiersma|Nijland|Yılmaz|Öztürk|Kaya|El Amrani|Bouzid|Pranoto|"
    "Nguyen|Şahin|Ramdin|Baldewsingh"
)
#: Zwolle's districts.
NEIGHBOURHOODS = _names(
    "Binnenstad|Diezerpoort|Assendorp|Kamperpoort-Veerallee|Wipstrik|Holtenbroek|Aa-landen|"
    "Westenholte|Stadshagen|Berkum|Zwolle-Zuid|Ittersum|Schelle|Oldenelerbroek|Marslanden"
)
STREETS = _names(
    "Assendorperstraat|Diezerstraat|Thorbeckegracht|Oosterlaan|Bachlaan|Ittersumallee|"
    "Werkeslagweg|Rieteweg|Kamperstraat|Hortensiastraat|Middelweg|Meppelerstraatweg|"
    "Wipstrikkerallee|Palestinastraat|Boerhaavelaan|Dobbe|Hanekamp|Veerallee"
)
KINDS = ("client", "carer", "expert", "other")
KIND_WEIGHTS = (60, 20, 10, 10)


def _ascii(text: str) -> str:
    """``Öztürk`` -> ``ozturk``: for made-up e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def dutch_residents(count: int, municipality_id: int, seed: int = 2026) -> list[dict]:
    """``count`` made-up residents with common Dutch names; the same ones on every run."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        created = now - timedelta(days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 1440))
        rows.append(
            {
                "municipality_id": municipality_id,
                "name": f"{first} {last}",
                "kind": rng.choices(KINDS, KIND_WEIGHTS)[0],
                "email": f"{_ascii(first)}.{_ascii(last)}{n}@example.org"
                if rng.random() < 0.7
                else None,
                "phone": f"06 {rng.randint(10_000_000, 99_999_999)}"
                if rng.random() < 0.6
                else None,
                "neighbourhood": rng.choice(NEIGHBOURHOODS),
                "address": f"{rng.choice(STREETS)} {rng.randint(1, 250)}, Zwolle"
                if rng.random() < 0.5
                else None,
                "notes": "",
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def insert_residents(database_url: str, slug: str, count: int) -> int:
    """Bulk-insert ``count`` residents with SQLAlchemy core; returns the municipality's total."""
    from sqlalchemy import create_engine, func, insert, select

    from intranet.municipalities.models import Municipality
    from intranet.residents.models import Resident

    municipalities, residents = Municipality.__table__, Resident.__table__
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            municipality_id = conn.execute(
                select(municipalities.c.id).where(municipalities.c.slug == slug)
            ).scalar_one()
            conn.execute(insert(residents), dutch_residents(count, municipality_id))
            return conn.execute(
                select(func.count())
                .select_from(residents)
                .where(residents.c.municipality_id == municipality_id)
            ).scalar_one()
    finally:
        engine.dispose()


# -- processes --------------------------------------------------------------------------


def free_port() -> int:
    """An unused TCP port on the loopback interface."""
    from intranet_dev.slapd import free_port as _free_port

    return _free_port(HOST)


@contextlib.contextmanager
def demo_directory(workdir: Path) -> Iterator[str]:
    """The demo LDAP server on a free port, stopped on the way out; yields its URL."""
    from intranet_dev.slapd import Slapd, demo_databases

    server = Slapd(demo_databases(DEMO_DIR), workdir=workdir, port=free_port())
    try:
        server.start()
        yield server.url
    finally:
        server.stop()


def gunicorn_command(app_spec: str, port: int, workers: int, *extra: str) -> list[str]:
    """gunicorn with the production config; only the address and the worker count differ."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(GUNICORN_CONF),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        *extra,
        app_spec,
    ]


def gunicorn_settings(env: dict[str, str], workers: int) -> dict[str, int | bool | str]:
    """The settings gunicorn really runs with (``--print-config``), for the report."""
    command = gunicorn_command("wsgi:app", 0, workers, "--print-config")
    output = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    wanted = {
        "workers",
        "threads",
        "worker_class",
        "keepalive",
        "timeout",
        "max_requests",
        "max_requests_jitter",
        "preload_app",
        "accesslog",
    }
    found = dict(re.findall(r"^(\w+)\s+= (.*)$", output, re.MULTILINE))
    return {k: _setting(found[k]) for k in sorted(wanted) if k in found}


def _setting(value: str) -> int | bool | str:
    """gunicorn prints every setting as text: give numbers and booleans their JSON type."""
    if value.isdigit():
        return int(value)
    return {"True": True, "False": False}.get(value, value)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (gunicorn stops gracefully), then SIGKILL to the process group if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        # The unreaped leader keeps the group id ours, so this reaches only its workers.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def log_tail(path: Path, lines: int = 30) -> str:
    """The end of a log file, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_until_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``/health`` until it answers 200; fail early if gunicorn exits."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}:\n{log_tail(log)}")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline:
            raise BenchError(f"{base_url}/health did not answer in time:\n{log_tail(log)}")
        time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(
    app_spec: str, env: dict[str, str], workers: int, log: Path, *extra: str
) -> Iterator[Server]:
    """Serve ``app_spec`` until the block ends; yields the server once ``/health`` is up."""
    port = free_port()
    process: subprocess.Popen[bytes] | None = None
    try:
        with log.open("ab") as log_file:
            # A session of its own: Ctrl+C reaches only us, and we stop gunicorn in order.
            process = subprocess.Popen(
                gunicorn_command(app_spec, port, workers, *extra),
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(f"http://{HOST}:{port}", process.pid, log)
        wait_until_healthy(server.url, process, log)
        yield server
    finally:
        if process is not None:
            stop_process(process)


def worker_boots(log: Path) -> int:
    """How often gunicorn has booted a worker so far (max_requests restarts show up here)."""
    try:
        return log.read_text(errors="replace").count("Booting worker with pid")
    except OSError:
        return 0


# -- HTTP -------------------------------------------------------------------------------


class _CsrfFinder(HTMLParser):
    """Finds the value of the hidden ``csrf_token`` input of the login form."""

    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token" and self.token is None:
            self.token = values.get("value")


def sign_in(base_url: str, slug: str, username: str, password: str) -> str:
    """Sign in through the login form like a browser; returns the ``Cookie`` header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # the same User-Agent as the load: session_protection "strong" ties a session to it
    opener.addheaders = [("User-Agent", USER_AGENT)]
    login_url = f"{base_url}/{slug}/inloggen"
    with opener.open(login_url, timeout=REQUEST_TIMEOUT) as response:
        finder = _CsrfFinder()
        finder.feed(response.read().decode())
    if not finder.token:
        raise BenchError(f"no csrf_token on {login_url}")
    form = {"username": username, "password": password, "next": "", "csrf_token": finder.token}
    try:
        with opener.open(
            login_url, data=urllib.parse.urlencode(form).encode(), timeout=REQUEST_TIMEOUT
        ) as response:
            landed = urllib.parse.urlsplit(response.geturl()).path
    except urllib.error.HTTPError as exc:
        raise BenchError(f"signing in as {username} failed: HTTP {exc.code}") from exc
    if landed != f"/{slug}/":
        raise BenchError(f"signing in as {username} landed on {landed}, not the dashboard")
    cookies = [c for c in jar if c.name == SESSION_COOKIE]
    if not cookies:
        raise BenchError(f"no {SESSION_COOKIE} cookie after signing in")
    return f"{cookies[0].name}={cookies[0].value}"


def request_headers(cookie: str | None) -> dict[str, str]:
    """What a browser would send, minus compression (gunicorn serves uncompressed anyway)."""
    headers = {
        "Accept": "text/html,application/xhtml+xml",
        "Accept-Language": "nl-NL,nl;q=0.9",
        "User-Agent": USER_AGENT,
    }
    if cookie:
        headers["Cookie"] = cookie
    return headers


def fetch(base_url: str, path: str, headers: dict[str, str]) -> bytes:
    """One GET that must answer 200 (no redirects followed); returns the body."""
    client = KeepAliveClient(base_url)
    try:
        status, body = client.get(path, headers)
    finally:
        client.close()
    if status != 200:
        raise BenchError(f"GET {path} answered {status}, not 200")
    return body


class KeepAliveClient:
    """One persistent HTTP/1.1 connection; reconnects once when the server closed it.

    gunicorn closes keep-alive connections when a worker restarts (``max_requests``);
    browsers then silently retry the GET on a new connection, and so do we.
    """

    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or HOST, parts.port or 80
        self.connection: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        """GET ``path``; returns the status and the whole body."""
        while True:
            fresh = self.connection is None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError):
                self.close()
                if fresh:
                    raise
                self.reconnects += 1
                continue
            if response.will_close:
                self.close()
            return response.status, body

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# -- CPU accounting ---------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine_ticks() -> tuple[int, int]:
    """(total, busy) clock ticks of all cores since boot, from /proc/stat; zeros off Linux."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0]
        ticks = [int(x) for x in first.split()[1:9]]  # user .. steal; guests are inside user
    except (OSError, ValueError):
        return 0, 0
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks), sum(ticks) - idle


def _group_ticks(pgid: int) -> int:
    """CPU ticks of a process group (gunicorn's master and workers, also the exited ones)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process has just gone
        if int(fields[2]) == pgid:  # pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
            if int(stat.parent.name) == pgid:  # workers the master has reaped
                ticks += int(fields[13]) + int(fields[14])  # cutime + cstime
    return ticks


def _client_ticks() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round((usage.ru_utime + usage.ru_stime) * CLOCK_TICKS)


def cpu_now(server: Server) -> CpuUse:
    """The CPU counters now; subtract two of them to get the use in between."""
    total, busy = _machine_ticks()
    return CpuUse(total, busy, _group_ticks(server.pid) if total else 0, _client_ticks())


# -- load -------------------------------------------------------------------------------


@dataclass
class Sample:
    """One request: when it was sent, when the whole answer was in, and what went wrong."""

    start: float
    end: float
    error: str | None


class _Load:
    """Shared state of one closed-loop run: when measuring started, and when to stop."""

    def __init__(self, max_requests: int) -> None:
        self.measure_from: float | None = None
        self.max_requests = max_requests
        self.measured = 0
        self.lock = threading.Lock()
        self.enough = threading.Event()
        self.stop = threading.Event()

    def count(self, start: float) -> None:
        """Count a finished request that started inside the measuring window."""
        if self.measure_from is None or start < self.measure_from:
            return
        with self.lock:
            self.measured += 1
            if self.measured >= self.max_requests:
                self.enough.set()


def _drive(
    load: _Load,
    base_url: str,
    path: str,
    headers: dict[str, str],
    samples: list[Sample],
    clients: list[KeepAliveClient],
) -> None:
    """One closed-loop client: request, wait for the whole answer, repeat until told to stop."""
    client = KeepAliveClient(base_url)
    clients.append(client)
    try:
        while not load.stop.is_set():
            start = time.perf_counter()
            error = None
            try:
                status, _body = client.get(path, headers)
                if status != 200:
                    error = f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
                client.close()
                time.sleep(0.01)  # do not spin on a dead server
            samples.append(Sample(start, time.perf_counter(), error))
            load.count(start)
    finally:
        client.close()


def run_load(
    page: Page, concurrency: int, warmup_s: float, duration_s: float, max_requests: int
) -> Run:
    """Warm up, then load one page until ``max_requests`` answers or ``duration_s`` passed."""
    load = _Load(max_requests)
    per_thread: list[list[Sample]] = [[] for _ in range(concurrency)]
    clients: list[KeepAliveClient] = []
    threads = [
        threading.Thread(
            target=_drive,
            args=(load, page.server.url, page.target.path, page.headers, samples, clients),
            name=f"bench-{page.target.key}-{n}",
            daemon=True,
        )
        for n, samples in enumerate(per_thread)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(warmup_s)
        boots, cpu_before = worker_boots(page.server.log), cpu_now(page.server)
        load.measure_from = t0 = time.perf_counter()
        load.enough.wait(duration_s)
        t1 = time.perf_counter()
        cpu, restarts = cpu_now(page.server) - cpu_before, worker_boots(page.server.log) - boots
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)
    return Run(
        samples=[s for group in per_thread for s in group if s.start >= t0 and s.end <= t1],
        seconds=t1 - t0,
        reconnects=sum(c.reconnects for c in clients),
        restarts=restarts,
        cpu=cpu,
    )


def summarise(page: Page, run: Run) -> PageResult:
    """Turn the samples of a page's rounds into requests per second and latency percentiles."""
    ok = [(s.end - s.start) * 1000 for s in run.samples if s.error is None]
    errors = Counter(s.error for s in run.samples if s.error is not None)
    if len(ok) < 2:
        raise BenchError(f"{page.target.label}: too few successful requests ({dict(errors)})")
    cpu = run.cpu
    cpu_ms = 1000 * cpu.server / CLOCK_TICKS / len(ok) if cpu.total > 0 else None
    return PageResult(
        label=page.target.label,
        path=page.target.path,
        bytes=page.size,
        requests=len(run.samples),
        errors=sum(errors.values()),
        reconnects=run.reconnects,
        seconds=round(run.seconds, 2),
        rps=round(len(ok) / run.seconds, 1),
        median_ms=round(statistics.median(ok), 1),
        p95_ms=round(statistics.quantiles(ok, n=100, method="inclusive")[94], 1),
        mean_ms=round(statistics.fmean(ok), 1),
        max_ms=round(max(ok), 1),
        server_cpu_ms_per_request=None if cpu_ms is None else round(cpu_ms, 2),
        server_cpu_pct=cpu.share(cpu.server),
        client_cpu_pct=cpu.share(cpu.client),
        other_cpu_pct=cpu.share(max(0, cpu.busy - cpu.server - cpu.client)),
        worker_restarts=run.restarts,
        error_samples=[f"{error} x{n}" for error, n in errors.most_common(5)],
    )


def measure(pages: list[Page], opts: Options) -> dict[str, PageResult]:
    """Load the pages in turn, ``opts.rounds`` times, and sum each page's rounds."""
    runs = {page.target.key: Run() for page in pages}
    for number in range(opts.rounds):
        for page in pages:
            print(f"  round {number + 1}/{opts.rounds}: {page.target.label} ...", flush=True)
            runs[page.target.key].add(
                run_load(
                    page,
                    opts.concurrency,
                    opts.warmup_s if number == 0 else LATER_WARMUP_S,
                    opts.duration_s / opts.rounds,
                    -(-opts.max_requests // opts.rounds),
                )
            )
    return {page.target.key: summarise(page, runs[page.target.key]) for page in pages}


# -- the run ----------------------------------------------------------------------------

DASHBOARD = Target("dashboard", "dashboard", f"/{SLUG}/")
RESIDENTS = Target("residents", "residents list", f"/{SLUG}/inwoners/")
BARE = Target("bare", "bare Flask page", "/")
APP_KEYS = (DASHBOARD.key, RESIDENTS.key)


@dataclass(frozen=True)
class Page:
    """A target on its server, with the headers to send and the size of its answer."""

    target: Target
    server: Server
    headers: dict[str, str]
    size: int


@contextlib.contextmanager
def throwaway_database(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on ``server_url``'s server, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"intranet_bench_{secrets.token_hex(4)}"
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_name(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def prepare_deployment(
    workdir: Path, ldap_url: str, opts: Options, database_url: str = ""
) -> tuple[dict, int]:
    """Config, schema, demo data and the extra residents; returns the env and resident count."""
    config = write_deployment_config(ldap_url, workdir / "intranet.toml")
    env = production_environment(workdir, config, database_url)
    print("Database: migrations, demo data ...", flush=True)
    run_flask(env, "db", "upgrade")
    run_flask(env, "intranet", "demo")
    started = time.perf_counter()
    total = insert_residents(env["INTRANET_DATABASE_URL"], SLUG, opts.residents)
    took = time.perf_counter() - started
    print(f"Database: {opts.residents} residents added in {took:.1f} s ({total} in {SLUG})")
    return env, total


def page(target: Target, server: Server, headers: dict[str, str]) -> Page:
    """Check that ``target`` answers 200 and note its size."""
    return Page(target, server, headers, len(fetch(server.url, target.path, headers)))


def serve_and_measure(env: dict, opts: Options, workdir: Path) -> dict[str, PageResult]:
    """Start the intranet and, at the residents list's page size, the bare app; measure both."""
    with gunicorn("wsgi:app", env, opts.workers, workdir / "intranet.log") as app:
        print(f"Intranet: gunicorn at {app.url}; signing in as {USERNAME} ...", flush=True)
        headers = request_headers(sign_in(app.url, SLUG, USERNAME, PASSWORD))
        app_pages = [page(DASHBOARD, app, headers), page(RESIDENTS, app, headers)]
        bare_env = {**env, "BENCH_PAGE_BYTES": str(app_pages[1].size)}
        extra = ("--pythonpath", str(BENCH_DIR))
        with gunicorn("bare_app:app", bare_env, opts.workers, workdir / "bare.log", *extra) as bare:
            print(f"Baseline: gunicorn at {bare.url}", flush=True)
            pages = [*app_pages, page(BARE, bare, request_headers(None))]
            for p in pages:
                print(f"  {p.target.label}: {p.target.path}, {p.size} bytes")
            return measure(pages, opts)


def git_commit() -> str | None:
    """The checked-out commit, if this is a git checkout."""
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or None


def build_report(
    pages: dict[str, PageResult], settings: dict, opts: Options, residents: int
) -> dict:
    """The JSON document: headline figures first, then everything needed to judge them."""
    bare = pages[BARE.key]
    for key in APP_KEYS:
        pages[key].throughput_ratio = round(pages[key].rps / bare.rps, 3)
    ratio = min(pages[key].throughput_ratio or 0.0 for key in APP_KEYS)
    worst_p95 = max(pages[key].p95_ms for key in APP_KEYS)
    costs = cpu_cost_ratios(pages)
    cost_ratio = min((v for v in costs.values() if v is not None), default=None)
    return {
        "cpu_cost_ratio": cost_ratio,
        "throughput_ratio": ratio,
        "database": database_name(opts.database_url),
        "throughput_ratios": {key: pages[key].throughput_ratio for key in APP_KEYS},
        "cpu_cost_ratios": costs,
        "p95_ms": worst_p95,
        "p95_ms_per_page": {k: p.p95_ms for k, p in pages.items()},
        "rps": {k: p.rps for k, p in pages.items()},
        "median_ms": {k: p.median_ms for k, p in pages.items()},
        "targets": {
            "cpu_cost_ratio": {
                "min": TARGET_CPU_COST_RATIO,
                "met": cost_ratio is not None and cost_ratio >= TARGET_CPU_COST_RATIO,
            },
            "throughput_ratio": {
                "min": TARGET_THROUGHPUT_RATIO,
                "met": ratio >= TARGET_THROUGHPUT_RATIO,
            },
            "p95_ms": {"max": TARGET_P95_MS, "met": worst_p95 < TARGET_P95_MS},
        },
        "warnings": busy_machine_warnings(pages),
        "pages": {k: asdict(p) for k, p in pages.items()},
        "settings": {
            "gunicorn": settings,
            "gunicorn_config": str(GUNICORN_CONF.relative_to(ROOT)),
            "database": database_name(opts.database_url),
            "residents_in_municipality": residents,
            "client": {
                "concurrency": opts.concurrency,
                "keep_alive": True,
                "warmup_s": opts.warmup_s,
                "rounds": opts.rounds,
                "max_duration_s": opts.duration_s,
                "max_requests": opts.max_requests,
            },
        },
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "commit": git_commit(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def cpu_cost_ratios(pages: dict[str, PageResult]) -> dict[str, float | None]:
    """Bare page's server CPU per request over each app page's: the throughput ratio that
    a CPU-bound server would reach, and much less disturbed by other work on the machine."""
    bare = pages[BARE.key].server_cpu_ms_per_request
    ratios: dict[str, float | None] = {}
    for key in APP_KEYS:
        cost = pages[key].server_cpu_ms_per_request
        ratios[key] = round(bare / cost, 3) if bare and cost else None
    return ratios


def busy_machine_warnings(pages: dict[str, PageResult]) -> list[str]:
    """Other work on the machine during a measurement makes its figures too low."""
    return [
        f"{p.label}: other processes used {p.other_cpu_pct:.0f}% of the machine meanwhile"
        for p in pages.values()
        if p.other_cpu_pct is not None and p.other_cpu_pct > BUSY_WARNING_PCT
    ]


def write_report(report: dict, path: Path = RESULTS_FILE) -> None:
    """Write the JSON atomically (a ``.tmp`` file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def print_report(report: dict) -> None:
    """A table for people: the settings, one row per page, then the targets."""
    settings, client = report["settings"]["gunicorn"], report["settings"]["client"]
    machine = report["machine"]
    print()
    print(
        f"Machine: {machine['cores']} cores, Python {machine['python']}; {report['database']}, "
        f"{report['settings']['residents_in_municipality']} residents in {SLUG}"
    )
    print(
        f"gunicorn (both apps): {settings.get('workers')} workers x {settings.get('threads')} "
        f"threads ({settings.get('worker_class')}), keepalive {settings.get('keepalive')} s, "
        f"max_requests {settings.get('max_requests')} (+{settings.get('max_requests_jitter')}), "
        f"access log {settings.get('accesslog')}"
    )
    print(
        f"Load: {client['concurrency']} keep-alive connections, closed loop; per page "
        f"{client['warmup_s']:g} s warm-up, then {client['max_requests']} requests or "
        f"{client['max_duration_s']:g} s, in {client['rounds']} rounds taking turns"
    )
    print()
    header = (
        f"{'page':<16}{'bytes':>7}{'requests':>9}{'rps':>8}{'median ms':>10}{'p95 ms':>8}"
        f"{'vs bare':>8}{'errors':>7}{'restarts':>9}{'cpu ms/req':>11}{'server%':>8}"
        f"{'client%':>8}{'other%':>7}"
    )
    print(header)
    print("-" * len(header))
    for page in report["pages"].values():
        ratio = page["throughput_ratio"]
        cpu_ms = page["server_cpu_ms_per_request"]
        print(
            f"{page['label']:<16}{page['bytes']:>7}{page['requests']:>9}{page['rps']:>8.1f}"
            f"{page['median_ms']:>10.1f}{page['p95_ms']:>8.1f}"
            f"{'-' if ratio is None else f'{ratio:.2f}':>8}{page['errors']:>7}"
            f"{page['worker_restarts']:>9}{'-' if cpu_ms is None else f'{cpu_ms:.2f}':>11}"
            f"{_pct(page['server_cpu_pct']):>8}{_pct(page['client_cpu_pct']):>8}"
            f"{_pct(page['other_cpu_pct']):>7}"
        )
    print()
    print(
        "vs bare: rps over the bare page's rps. restarts: workers recycled by max_requests.\n"
        "cpu ms/req: gunicorn's CPU time per answer. server% / client% / other%: CPU used by "
        "gunicorn, by this load generator and by anything else, in % of the whole machine."
    )
    cost = report["cpu_cost_ratios"]
    if all(cost.values()):
        print(
            "CPU cost ratio (bare cpu ms/req over the page's; the rps ratio a CPU-bound server "
            "would reach): " + ", ".join(f"{k} {v:.2f}" for k, v in cost.items())
        )
    for warning in report["warnings"]:
        print(f"WARNING: {warning}; the figures are too low, run again on a quiet machine.")
    _print_targets(report)
    print(f"Written: {RESULTS_FILE.relative_to(ROOT)}")


def _print_targets(report: dict) -> None:
    targets, met = report["targets"], {True: "met", False: "MISSED"}
    cost = report["cpu_cost_ratio"]
    print(
        f"Target cpu_cost_ratio (worse app page, bare cpu / page cpu) >= "
        f"{TARGET_CPU_COST_RATIO}: {'-' if cost is None else f'{cost:.2f}'} -> "
        f"{met[targets['cpu_cost_ratio']['met']]}"
    )
    print(
        f"Target throughput_ratio (worse app page / bare) >= {TARGET_THROUGHPUT_RATIO}: "
        f"{report['throughput_ratio']:.2f} -> {met[targets['throughput_ratio']['met']]}"
    )
    print(
        f"Target p95 (worse app page) < {TARGET_P95_MS:g} ms: "
        f"{report['p95_ms']:.1f} ms -> {met[targets['p95_ms']['met']]}"
    )


def check_errors(pages: dict[str, PageResult]) -> None:
    """Failed requests make the figures meaningless: say which, and fail."""
    broken = [p for p in pages.values() if p.errors > MAX_ERROR_SHARE * max(p.requests, 1)]
    if broken:
        details = "; ".join(f"{p.label}: {', '.join(p.error_samples)}" for p in broken)
        raise BenchError(f"too many failed requests ({details})")


def print_logs(workdir: Path) -> None:
    """The end of each gunicorn log, to see why a server failed."""
    for log in sorted(workdir.glob("*.log")):
        print(f"--- last lines of {log.name} ---\n{log_tail(log)}", file=sys.stderr)


def run(opts: Options) -> None:
    """The whole benchmark; every process started here is stopped before it returns."""
    with contextlib.ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="intranet-bench-"))
        if opts.keep:
            print(f"Working directory (kept): {workdir}")
        else:
            stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        try:
            ldap_url = stack.enter_context(demo_directory(workdir / "ldap"))
            print(f"Directory: demo slapd at {ldap_url}")
            database_url = ""
            if opts.database_url:
                database_url = stack.enter_context(throwaway_database(opts.database_url))
            env, residents = prepare_deployment(workdir, ldap_url, opts, database_url)
            settings = gunicorn_settings(env, opts.workers)
            pages = serve_and_measure(env, opts, workdir)
        except BenchError:
            print_logs(workdir)
            raise
    report = build_report(pages, settings, opts, residents)
    write_report(report)
    print_report(report)
    check_errors(pages)


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the benchmark ran (targets met or not), 1 when it broke, 130 on Ctrl+C."""
    signal.signal(signal.SIGTERM, _raise_interrupt)  # clean up on `kill` as on Ctrl+C
    opts = parse_options(argv)
    try:
        run(opts)
    except KeyboardInterrupt:
        print("\nInterrupted; everything started here has been stopped.", file=sys.stderr)
        return 130
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(f"\nBenchmark failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
