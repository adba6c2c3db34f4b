"""In-process profile of the sign-in POST and the two benchmarked pages (not run by the tests).

On a shared machine wall-clock figures under load say little; this script counts what does
not depend on the neighbours: CPU time of this process per request (``time.process_time``
over N requests), SQL statements and commits per request, and, with ``--cprofile``, the
functions that cost the most. It builds the same throw-away deployment as ``bench/login.py``
(demo slapd on a free port, SQLite or ``--database-url``, demo data, 10,000 residents) and
drives the app with Flask's test client, beside the two anchors: the bare sign-in app
(``bench/bare_login.py``) and the bare page (``bench/bare_app.py``) of the same size.

    PYTHONPATH=$PWD:$PWD/dev:$PWD/plugins/participatieplan \\
        .venv/bin/python bench/cpu_profile.py [--requests 200] [--cprofile login|dashboard|residents]

CPU time of this process leaves out slapd's share of a sign-in (a process of its own), for
the intranet and the bare anchor alike.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]

import login  # noqa: E402
import pages  # noqa: E402

CALL_SAMPLE = 20
RESULTS: dict[str, dict[str, float]] = {}
WRONG = login.PASSWORD[::-1]  # a wrong password for the refusals


class Counter:
    """SQL statements and commits seen on the app's engine."""

    def __init__(self) -> None:
        self.statements = 0
        self.commits = 0
        self.show = False

    def attach(self, engine) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def _statement(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            self.statements += 1
            if self.show:
                print("   SQL", " ".join(statement.split())[:160])

        @event.listens_for(engine, "commit")
        def _commit(*_args) -> None:  # type: ignore[no-untyped-def]
            self.commits += 1


def per_request(
    name: str, action: Callable[[], object], n: int, counter: Counter | None, profile: str
) -> dict[str, float]:
    show_sql = os.environ.get("SHOW_SQL") == "1"
    """CPU ms per request over ``n`` requests, with statements and commits per request."""
    for _ in range(max(5, n // 10) - 1):
        action()
    if counter and show_sql:
        counter.show = True
        print(f"-- {name}: one request's statements")
    action()
    if counter:
        counter.show = False
    before = (counter.statements, counter.commits) if counter else (0, 0)
    profiler = cProfile.Profile() if profile == name else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(n):
        action()
    if profiler:
        profiler.disable()
    took = time.process_time() - started
    result = {"cpu_ms": round(took / n * 1000, 3)}
    if counter:
        result["statements"] = round((counter.statements - before[0]) / n, 2)
        result["commits"] = round((counter.commits - before[1]) / n, 2)
    # Python function calls per request: unlike CPU time, the neighbours do not change it.
    calls = cProfile.Profile()
    calls.enable()
    for _ in range(CALL_SAMPLE):
        action()
    calls.disable()
    result["calls"] = round(pstats.Stats(calls).total_calls / CALL_SAMPLE)  # type: ignore[attr-defined]
    print(f"{name:24} {result}", flush=True)
    RESULTS[name] = result
    if profiler:
        profiler.dump_stats(f"{tempfile.gettempdir()}/cpu_profile_{name}.prof")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    return result


class FloorPages:
    """Pages that read nothing, to show what the required parts of a page cost on their own.

    Each adds one part to the one before: the request pipeline with its permission check
    (a view that answers "ok"), the layout every page has (header, menu, breadcrumbs,
    language form) around filler text of the residents list's size, and the audit event a
    read of personal data writes. The gap between the last and the residents list is what
    the list itself costs; the gap between the first and the bare page is what signing in,
    the tenant and the permission cost before a page does anything.
    """

    TEMPLATE = (
        '{% extends "base.html" %}{% block title %}Floor{% endblock %}'
        "{% block content %}<p>{{ filler }}</p>{% endblock %}"
    )

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.filler = ""
        self.template = app.jinja_env.from_string(self.TEMPLATE)
        self.paths = {
            "floor: pipeline": f"/{pages.SLUG}/bench-floor/pipeline",
            "floor: + layout": f"/{pages.SLUG}/bench-floor/layout",
            "floor: + audit": f"/{pages.SLUG}/bench-floor/audited",
        }

    def render(self) -> str:
        context = {"filler": self.filler}
        self.app.update_template_context(context)
        return self.template.render(context)

    def fill_to(self, size: int, client) -> None:  # type: ignore[no-untyped-def]
        """Pad the layout pages to ``size`` bytes, the size of the residents list page."""
        empty = len(client.get(self.paths["floor: + layout"]).data)
        self.filler = "x" * max(0, size - empty)


def add_floor_pages(app) -> FloorPages:  # type: ignore[no-untyped-def]
    """Register the floor pages on ``app`` (before its first request), guarded like any page."""
    from intranet.access.permissions import requires
    from intranet.audit.service import record, write_pending_events
    from intranet.extensions import db

    floor = FloorPages(app)
    permission = "core.residents.view"

    @requires(permission)
    def pipeline() -> str:
        return "ok"

    @requires(permission)
    def layout() -> str:
        return floor.render()

    @requires(permission)
    def audited() -> str:
        # as render_audited: the page, then its audit event in one INSERT and a commit
        record("resident.list", object_type="resident", details={"shown": []})
        body = floor.render()
        write_pending_events(db.session)
        db.session.commit()
        return body

    for view in (pipeline, layout, audited):
        app.add_url_rule(f"/<municipality>/bench-floor/{view.__name__}", view.__name__, view)
    return floor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cprofile", default="", help="login, refusal, dashboard or residents")
    parser.add_argument("--only", default="", help="login or pages")
    parser.add_argument("--output", default="", help="write the figures to this JSON file")
    opts = parser.parse_args(argv)
    n = opts.requests
    with contextlib.ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="intranet-profile-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        ldap_url = stack.enter_context(pages.demo_directory(workdir / "ldap"))
        database_url = ""
        if opts.database_url:
            database_url = stack.enter_context(pages.throwaway_database(opts.database_url))
        config = pages.write_deployment_config(ldap_url, workdir / "intranet.toml")
        env = pages.production_environment(workdir, config, database_url)
        env.update(
            {
                "INTRANET_LOGIN_LIMIT_PER_ADDRESS": "1000000 per minute",
                "INTRANET_LOGIN_LIMIT_PER_USERNAME": "1000000 per minute",
                "INTRANET_LOG_LEVEL": "WARNING",
            }
        )
        pages.run_flask(env, "db", "upgrade")
        app = login.make_app(env)
        floor = add_floor_pages(app)
        if opts.only != "login":
            pages.insert_residents(env["INTRANET_DATABASE_URL"], pages.SLUG, opts.residents)
        from intranet.extensions import db

        counter = Counter()
        with app.app_context():
            counter.attach(db.engine)
        print(f"database: {pages.database_name(env['INTRANET_DATABASE_URL'])}, n={n}")

        if opts.only != "pages":
            bare = login.bare_app(ldap_url)

            def bare_post() -> None:
                response = bare.test_client().post(
                    "/login", data={"username": login.USERNAME, "password": login.PASSWORD}
                )
                assert response.status_code == 302

            def form() -> tuple[object, dict[str, str]]:
                client = app.test_client()
                return client, {
                    "username": login.USERNAME,
                    "password": login.PASSWORD,
                    "next": "",
                    "csrf_token": login._login_form(client),
                }

            # the POST alone is measured: the forms are fetched before the loop
            def post_of(data_list: list, status: int) -> Callable[[], None]:
                it = iter(data_list)

                def post() -> None:
                    client, data = next(it)
                    response = client.post(f"/{login.SLUG}/inloggen", data=data)
                    assert response.status_code == status, response.status_code

                return post

            def forms(count: int, **override: str) -> list[dict]:
                result = []
                for _ in range(count):
                    client, data = form()
                    result.append((client, {**data, **override}))
                return result

            total = n + max(5, n // 10) + CALL_SAMPLE
            per_request("bare sign-in POST", bare_post, n, None, opts.cprofile)
            per_request("login", post_of(forms(total), 302), n, counter, opts.cprofile)
            per_request(
                "refusal", post_of(forms(total, password=WRONG), 401), n, counter, opts.cprofile
            )
            per_request(
                "unknown",
                post_of(forms(total, username="nobody-here"), 401),
                n,
                counter,
                opts.cprofile,
            )

        if opts.only != "login":
            client = app.test_client()
            token = login._login_form(client)
            response = client.post(
                f"/{pages.SLUG}/inloggen",
                data={
                    "username": pages.USERNAME,
                    "password": pages.PASSWORD,
                    "next": "",
                    "csrf_token": token,
                },
            )
            assert response.status_code == 302, response.status_code
            sizes = {}

            def get(path: str) -> Callable[[], None]:
                def action() -> None:
                    response = client.get(path)
                    assert response.status_code == 200, response.status_code
                    sizes[path] = len(response.data)

                return action

            dash = per_request("dashboard", get(f"/{pages.SLUG}/"), n, counter, opts.cprofile)
            res = per_request(
                "residents", get(f"/{pages.SLUG}/inwoners/"), n, counter, opts.cprofile
            )
            os.environ["BENCH_PAGE_BYTES"] = str(sizes[f"/{pages.SLUG}/inwoners/"])
            import bare_app

            bare_client = bare_app.app.test_client()

            def bare_get() -> None:
                assert bare_client.get("/").status_code == 200

            b = per_request("bare page", bare_get, n, None, opts.cprofile)
            print(
                "cpu cost ratio: dashboard "
                f"{b['cpu_ms'] / dash['cpu_ms']:.2f}, residents {b['cpu_ms'] / res['cpu_ms']:.2f}"
            )
            floor.fill_to(sizes[f"/{pages.SLUG}/inwoners/"], client)
            for name, path in floor.paths.items():
                cost = per_request(name, get(path), n, counter, opts.cprofile)
                print(f"{'':24} cpu cost ratio {b['cpu_ms'] / cost['cpu_ms']:.2f}")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if opts.output:
        report = {
            "database": pages.database_name(opts.database_url or "sqlite"),
            "requests": n,
            "commit": pages.git_commit(),
            "per_request": RESULTS,
        }
        Path(opts.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
