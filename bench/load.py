"""Load benchmark (``make bench``): many signed-in employees at once, through gunicorn.

Builds a throw-away deployment as ``bench/pages.py`` does (the demo directory on a free port,
migrations and demo data, 10,000 extra residents in Zwolle; SQLite by default, or a throw-away
database on the PostgreSQL server given with ``--database-url``), serves it with gunicorn under
the production config, and signs in the demo accounts of both municipalities. Each account's
pages are the list pages of its own menu (read from its dashboard, so every enabled plugin's
lists are in, as far as that employee may see them). N clients, spread over the accounts,
each keep one keep-alive connection and walk through their account's pages in a closed loop
for the given time. Every answer must be 200; the run reports the error count, p50 and p99,
and writes ``bench/results/load.json``. The tests never run this.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_FILE = BENCH_DIR / "results" / "load.json"
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

import pages  # noqa: E402 - bench/pages.py: directory, database, gunicorn, sign-in

#: The demo accounts that work in the plugins (deploy/demo/README.md), per municipality.
ACCOUNTS = (
    ("zwolle", "griffier"),
    ("zwolle", "raadslid"),
    ("zwolle", "beheerder"),
    ("zaanstad", "coordinator"),
    ("zaanstad", "secretaris"),
    ("zaanstad", "beheerder"),
)


class _MenuLinks(HTMLParser):
    """The links of the main menu (``nav.site-nav``) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and "site-nav" in (values.get("class") or ""):
            self.depth = 1
        elif tag == "nav" and self.depth:
            self.depth += 1
        elif tag == "a" and self.depth and values.get("href", "").startswith("/"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1


def menu_pages(base_url: str, slug: str, headers: dict[str, str]) -> list[str]:
    """The dashboard and every page its menu links to, for this employee."""
    finder = _MenuLinks()
    finder.feed(pages.fetch(base_url, f"/{slug}/", headers).decode())
    return list(dict.fromkeys([f"/{slug}/", *finder.links]))


def _client(
    base_url: str,
    paths: list[str],
    headers: dict[str, str],
    stop: threading.Event,
    offset: int,
    samples: list[tuple[str, float, str | None]],
) -> None:
    client = pages.KeepAliveClient(base_url)
    n = offset
    try:
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            error = None
            try:
                status, _ = client.get(path, headers)
                if status != 200:
                    error = f"HTTP {status} {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__} {path}"
                client.close()
                time.sleep(0.01)
            samples.append((path, (time.perf_counter() - started) * 1000, error))
    finally:
        client.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(opts: argparse.Namespace) -> dict:
    with contextlib.ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="intranet-bench-load-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        ldap_url = stack.enter_context(pages.demo_directory(workdir / "ldap"))
        database_url = ""
        if opts.database_url:
            database_url = stack.enter_context(pages.throwaway_database(opts.database_url))
        options = pages.parse_options(["--residents", str(opts.residents)])
        env, _ = pages.prepare_deployment(workdir, ldap_url, options, database_url)
        env["INTRANET_WORKERS"] = str(opts.workers)
        server = stack.enter_context(
            pages.gunicorn("wsgi:app", env, opts.workers, workdir / "intranet.log")
        )
        sessions = []
        for slug, username in ACCOUNTS:
            headers = pages.request_headers(
                pages.sign_in(server.url, slug, username, pages.PASSWORD)
            )
            sessions.append((slug, username, headers, menu_pages(server.url, slug, headers)))
            print(f"  {slug}/{username}: {len(sessions[-1][3])} pages", flush=True)
        stop = threading.Event()
        per_client: list[list[tuple[str, float, str | None]]] = [[] for _ in range(opts.clients)]
        threads = []
        for n in range(opts.clients):
            _, _, headers, paths = sessions[n % len(sessions)]
            threads.append(
                threading.Thread(
                    target=_client,
                    args=(server.url, paths, headers, stop, n, per_client[n]),
                    daemon=True,
                )
            )
        print(f"Load: {opts.clients} clients for {opts.seconds:g} s ...", flush=True)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(opts.seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=pages.REQUEST_TIMEOUT + 5)
        seconds = time.perf_counter() - started
        settings = pages.gunicorn_settings(env, opts.workers)
    samples = [s for group in per_client for s in group]
    ok = [ms for _, ms, error in samples if error is None]
    errors = Counter(error for _, _, error in samples if error is not None)
    by_path = Counter(path for path, _, _ in samples)
    report = {
        "errors": sum(errors.values()),
        "requests": len(samples),
        "rps": round(len(samples) / seconds, 1),
        "p50_ms": round(statistics.median(ok), 1) if ok else None,
        "p99_ms": round(percentile(ok, 0.99), 1) if ok else None,
        "database": pages.database_name(opts.database_url),
        "error_samples": [f"{e} (x{n})" for e, n in errors.most_common(10)],
        "pages": len(by_path),
        "requests_per_page": dict(by_path.most_common()),
        "settings": {
            "clients": opts.clients,
            "seconds": opts.seconds,
            "accounts": [f"{slug}/{user}" for slug, user in ACCOUNTS],
            "gunicorn": settings,
            "residents_added": opts.residents,
        },
        "commit": pages.git_commit(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/load.py", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server URL; the benchmark makes a throw-away database there",
    )
    opts = parser.parse_args(argv)
    try:
        report = run(opts)
    except pages.BenchError as exc:
        print(f"Benchmark failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"\n{report['requests']} requests over {report['pages']} pages of "
        f"{len(ACCOUNTS)} accounts ({report['database']}): {report['rps']} requests/s, "
        f"p50 {report['p50_ms']} ms, p99 {report['p99_ms']} ms, {report['errors']} errors"
    )
    for sample in report["error_samples"]:
        print(f"  error: {sample}")
    print(f"Written: {RESULTS_FILE.relative_to(ROOT)}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
