"""Sign-in benchmark (``make bench``): what does signing in cost beside plain ldap3?

Builds a throw-away deployment the way ``bench/pages.py`` does (its helpers: the demo
directory on a free port, the demo config pointed at it, ``flask db upgrade`` and
``flask intranet demo`` under production settings), then measures, interleaved round by
round so that other work on the machine hits all of them alike:

* **sign-in**: a full round trip as a browser makes it - GET the login page, POST the form
  (302), GET the dashboard (200) - with a fresh client (no cookies) every time;
* **plain ldap3**: the least any app must do - a service bind, one search, a bind as the
  user, on new connections - against the same slapd for the same user;
* **bare sign-in**: the POST of a minimal Flask app (``bench/bare_login.py``: Flask-Login and
  the same search-then-bind with ldap3, nothing else) against the same slapd: the anchor
  for ``post_over_bare``, the intranet's sign-in POST over this one (target <= 1.5);
* **directory part**: ``directory_for(...).authenticate`` alone, the app's share of the
  directory work;
* **unknown user** and **wrong password**: the POST of a refused sign-in (the GET before
  it is not timed). Both should take the same time, or the time tells an attacker which
  user names exist.

The app runs in this process through Flask's test client, not behind gunicorn: a sign-in
is a handful of requests, and what is measured is the app and the directory, not HTTP
parsing or the network (``bench/pages.py`` measures pages through gunicorn). Rate limits on
sign-in are raised for the run, else the per-user limit would stop it after five tries.

Prints medians and 95th percentiles, the ratio sign-in / plain ldap3 (target <= 1.5) and
unknown user / wrong password (target within 20 %), and writes ``bench/results/login.json``.
The tests never run this. Exit status: 0 when it ran (targets met or not), 1 when it broke.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_FILE = BENCH_DIR / "results" / "login.json"
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

import pages  # noqa: E402 - bench/pages.py: how to start the directory and the database

SLUG = "zwolle"
USERNAME = "griffier"
PASSWORD = pages.PASSWORD
SUFFIX = "dc=zwolle,dc=demo"

TARGET_RATIO = 1.5
TARGET_POST_OVER_BARE = 1.5
TARGET_UNKNOWN_OVER_WRONG = 0.20  # |unknown / wrong - 1| at most this
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class BenchError(RuntimeError):
    """The benchmark could not run as intended."""


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/login.py", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300, help="measured rounds (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="rounds not counted (default 30)")
    return parser.parse_args(argv)


# -- the deployment ------------------------------------------------------------------------


def prepare(
    workdir: Path, ldap_url: str, database_url: str = "", **extra_env: str
) -> dict[str, str]:
    """Config and schema as in bench/pages.py, sign-in limits raised; returns the environment.

    ``database_url`` (a PostgreSQL database) instead of a SQLite file in ``workdir``."""
    config = pages.write_deployment_config(ldap_url, workdir / "intranet.toml")
    env = pages.production_environment(workdir, config, database_url)
    env.update(
        {
            "INTRANET_LOGIN_LIMIT_PER_ADDRESS": "1000000 per minute",
            "INTRANET_LOGIN_LIMIT_PER_USERNAME": "1000000 per minute",
            "INTRANET_LOG_LEVEL": "WARNING",
            **extra_env,
        }
    )
    print("Database: migrations ...", flush=True)
    pages.run_flask(env, "db", "upgrade")
    return env


def make_app(env: dict[str, str]):  # type: ignore[no-untyped-def]
    """The app in this process, with the demo data loaded."""
    for key in [k for k in os.environ if k.startswith("INTRANET_")]:
        del os.environ[key]
    os.environ.update({k: v for k, v in env.items() if k.startswith("INTRANET_")})
    from sqlalchemy import inspect

    from intranet import create_app
    from intranet.extensions import db
    from intranet_dev.demo import load_demo

    app = create_app()
    with app.app_context():
        missing = sorted(set(db.metadata.tables) - set(inspect(db.engine).get_table_names()))
        if missing:
            # A plugin whose migration is not written yet; sign-in does not need its tables.
            print(f"NOTE: no migration for {', '.join(missing)}; created with create_all")
            db.create_all()
        print("Database: demo data ...", flush=True)
        list(load_demo())
    return app


# -- what is measured ------------------------------------------------------------------------


def _login_form(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/{SLUG}/inloggen")
    match = _CSRF.search(page.get_data(as_text=True))
    if page.status_code != 200 or not match:
        raise BenchError(f"login page: HTTP {page.status_code}, no csrf_token")
    return match.group(1)


def sign_in(app) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """GET the login page, POST the form, GET the dashboard; seconds each step took."""
    client = app.test_client()
    started = time.perf_counter()
    token = _login_form(client)
    got_form = time.perf_counter()
    response = client.post(
        f"/{SLUG}/inloggen",
        data={"username": USERNAME, "password": PASSWORD, "next": "", "csrf_token": token},
    )
    posted = time.perf_counter()
    if response.status_code != 302 or response.headers["Location"] != f"/{SLUG}/":
        raise BenchError(f"sign-in answered {response.status_code}, not a redirect to /{SLUG}/")
    dashboard = client.get(response.headers["Location"])
    done = time.perf_counter()
    if dashboard.status_code != 200:
        raise BenchError(f"dashboard after sign-in answered {dashboard.status_code}")
    return got_form - started, posted - got_form, done - posted


def refused(app, username: str, password: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds the POST of a refused sign-in takes (the GET before it is not timed)."""
    client = app.test_client()
    token = _login_form(client)
    data = {"username": username, "password": password, "next": "", "csrf_token": token}
    started = time.perf_counter()
    response = client.post(f"/{SLUG}/inloggen", data=data)
    took = time.perf_counter() - started
    if response.status_code != 401:
        raise BenchError(f"refusal of {username!r} answered {response.status_code}, not 401")
    return took


def plain_ldap3(url: str) -> None:
    """Search-then-bind with bare ldap3 on new connections: the least any app must do."""
    from ldap3 import NONE, SUBTREE, Connection, Server
    from ldap3.utils.conv import escape_filter_chars

    from intranet_dev.slapd import DEMO_SERVICE_PASSWORD, service_account_dn

    server = Server(url, get_info=NONE)
    service = Connection(server, service_account_dn(SUFFIX), DEMO_SERVICE_PASSWORD)
    try:
        if not service.bind():
            raise BenchError(f"plain ldap3: service bind refused: {service.result}")
        service.search(
            f"ou=people,{SUFFIX}",
            f"(&(objectClass=inetOrgPerson)(uid={escape_filter_chars(USERNAME)}))",
            SUBTREE,
            attributes=["uid", "cn", "mail", "memberOf"],
            size_limit=2,
        )
        if len(service.response) != 1:
            raise BenchError("plain ldap3: the user was not found")
        user = Connection(server, service.response[0]["dn"], PASSWORD)
        try:
            if not user.bind():
                raise BenchError("plain ldap3: the user's bind was refused")
        finally:
            user.unbind()
    finally:
        service.unbind()


def bare_app(ldap_url: str):  # type: ignore[no-untyped-def]
    """The minimal sign-in app of ``bench/bare_login.py`` against the same directory."""
    import bare_login

    from intranet_dev.slapd import DEMO_SERVICE_PASSWORD, service_account_dn

    return bare_login.create_app(
        ldap_url, f"ou=people,{SUFFIX}", service_account_dn(SUFFIX), DEMO_SERVICE_PASSWORD
    )


def bare_sign_in(app) -> float:  # type: ignore[no-untyped-def]
    """Seconds the bare app's sign-in POST takes, with a fresh client (no cookies)."""
    client = app.test_client()
    data = {"username": USERNAME, "password": PASSWORD}
    started = time.perf_counter()
    response = client.post("/login", data=data)
    took = time.perf_counter() - started
    if response.status_code != 302:
        raise BenchError(f"bare sign-in answered {response.status_code}, not a redirect")
    return took


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(p95 * 1000, 3),
        "n": len(ordered),
    }


def measure(app, ldap_url: str, rounds: int, warmup: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    from intranet.auth.directory import InvalidCredentials, directory_for

    settings = app.extensions["intranet"].deployment.for_municipality(SLUG).directory
    directory = directory_for(SLUG, settings)
    bare = bare_app(ldap_url)

    def directory_part() -> None:
        directory.authenticate(USERNAME, PASSWORD)

    def check_refusal(username: str, password: str) -> None:
        try:
            directory.authenticate(username, password)
        except InvalidCredentials:
            return
        raise BenchError("the directory accepted a wrong password")

    samples: dict[str, list[float]] = {
        "sign_in": [],
        "sign_in_get_form": [],
        "sign_in_post": [],
        "sign_in_dashboard": [],
        "plain_ldap3": [],
        "bare_sign_in_post": [],
        "directory_part": [],
        "unknown_user": [],
        "wrong_password": [],
    }
    check_refusal("nobody-here", PASSWORD)
    for i in range(warmup + rounds):
        # Vary the order a little so no measurement always follows the same one.
        get_form, post, dashboard = sign_in(app)
        now = {
            "sign_in": get_form + post + dashboard,
            "sign_in_get_form": get_form,
            "sign_in_post": post,
            "sign_in_dashboard": dashboard,
            "plain_ldap3": timed(lambda: plain_ldap3(ldap_url)),
            "bare_sign_in_post": bare_sign_in(bare),
            "directory_part": timed(directory_part),
        }
        if i % 2:
            now["unknown_user"] = refused(app, f"nobody{i % 7}", PASSWORD)
            now["wrong_password"] = refused(app, USERNAME, f"wrong-{i % 7}")
        else:
            now["wrong_password"] = refused(app, USERNAME, f"wrong-{i % 7}")
            now["unknown_user"] = refused(app, f"nobody{i % 7}", PASSWORD)
        if i >= warmup:
            for key, value in now.items():
                samples[key].append(value)
        if (i + 1) % 100 == 0:
            print(f"  {i + 1}/{warmup + rounds} rounds", flush=True)
    return samples


# -- report -------------------------------------------------------------------------------------


def build_report(samples: dict[str, list[float]], pooled: bool, rounds: int) -> dict:
    figures = {key: summary(values) for key, values in samples.items()}
    ratio = figures["sign_in"]["median_ms"] / figures["plain_ldap3"]["median_ms"]
    unknown_over_wrong = (
        figures["unknown_user"]["median_ms"] / figures["wrong_password"]["median_ms"]
    )
    directory_ratio = figures["directory_part"]["median_ms"] / figures["plain_ldap3"]["median_ms"]
    post_over_bare = (
        figures["sign_in_post"]["median_ms"] / figures["bare_sign_in_post"]["median_ms"]
    )
    import ldap3

    return {
        "post_over_bare": round(post_over_bare, 3),
        "ratio": round(ratio, 3),
        "unknown_over_wrong": round(unknown_over_wrong, 3),
        "directory_ratio": round(directory_ratio, 3),
        "figures": figures,
        "targets": {
            "post_over_bare": {
                "max": TARGET_POST_OVER_BARE,
                "met": post_over_bare <= TARGET_POST_OVER_BARE,
            },
            "ratio": {"max": TARGET_RATIO, "met": ratio <= TARGET_RATIO},
            "unknown_over_wrong": {
                "within": TARGET_UNKNOWN_OVER_WRONG,
                "met": abs(unknown_over_wrong - 1) <= TARGET_UNKNOWN_OVER_WRONG,
            },
        },
        "sign_in_uses_pool": pooled,
        "rounds": rounds,
        "how": "in-process Flask test client; demo slapd on 127.0.0.1; SQLite; production settings",
        "python": platform.python_version(),
        "ldap3": ldap3.__version__,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "commit": pages.git_commit(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def print_report(report: dict) -> None:
    f = report["figures"]
    labels = {
        "sign_in": "sign-in (GET form, POST, GET dashboard)",
        "sign_in_get_form": "  of which GET login page",
        "sign_in_post": "  of which POST (directory, DB, audit)",
        "sign_in_dashboard": "  of which GET dashboard",
        "plain_ldap3": "plain ldap3 search-then-bind",
        "bare_sign_in_post": "bare Flask sign-in POST (anchor)",
        "directory_part": "directory part (authenticate)",
        "unknown_user": "refusal: unknown user (POST)",
        "wrong_password": "refusal: wrong password (POST)",
    }
    print(f"\n{'':42} {'median ms':>10} {'p95 ms':>10}")
    for key, label in labels.items():
        print(f"{label:42} {f[key]['median_ms']:>10.2f} {f[key]['p95_ms']:>10.2f}")
    met = {True: "met", False: "MISSED"}
    t = report["targets"]
    print(
        f"\nsign-in POST / bare sign-in POST = {report['post_over_bare']:.2f} (target <= "
        f"{TARGET_POST_OVER_BARE}) -> {met[t['post_over_bare']['met']]}"
    )
    print(
        f"sign-in round trip / plain ldap3 = {report['ratio']:.2f} (target <= {TARGET_RATIO}) "
        f"-> {met[t['ratio']['met']]}"
    )
    print(f"directory part / plain ldap3 = {report['directory_ratio']:.2f}")
    print(
        f"unknown user / wrong password = {report['unknown_over_wrong']:.2f} (target within "
        f"{TARGET_UNKNOWN_OVER_WRONG:.0%}) -> {met[t['unknown_over_wrong']['met']]}"
    )
    if not report["sign_in_uses_pool"]:
        print(
            "NOTE: intranet.auth.views does not sign in through directory_for (the pool) yet; "
            "the sign-in figures are without pooled connections."
        )
    print(f"Written: {RESULTS_FILE.relative_to(ROOT)}")


def run(opts: argparse.Namespace) -> dict:
    with contextlib.ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="intranet-bench-login-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        ldap_url = stack.enter_context(pages.demo_directory(workdir / "ldap"))
        print(f"Directory: demo slapd at {ldap_url}", flush=True)
        env = prepare(workdir, ldap_url)
        app = make_app(env)
        import intranet.auth.directory as directory
        import intranet.auth.views as views

        pooled = getattr(views, "directory_for", None) is directory.directory_for
        print(f"Measuring {opts.warmup} + {opts.rounds} rounds ...", flush=True)
        samples = measure(app, ldap_url, opts.rounds, opts.warmup)
        directory.reset_directories()
    report = build_report(samples, pooled, opts.rounds)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_report(report)
    return report


def main(argv: list[str] | None = None) -> int:
    opts = parse_options(argv)
    try:
        run(opts)
    except (BenchError, pages.BenchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
