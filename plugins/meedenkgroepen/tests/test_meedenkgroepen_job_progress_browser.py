"""In a real Chromium with htmx: the progress of a questionnaire's mailing refreshes by itself
while the page stays loaded, and stops asking once the job is done."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from intranet.extensions import db
from intranet.jobs.models import DONE, RUNNING, Job
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import PASSWORD
from intranet_dev.slapd import free_port
from plugins.meedenkgroepen.models import Questionnaire

CHROMIUM = Path("/usr/bin/chromium")
HTMX_JS = Path(__file__).resolve().parents[3] / "intranet/static/vendor/htmx/htmx.min.js"
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@pytest.fixture(scope="module")
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not HTMX_JS.exists():
        pytest.fail(f"{HTMX_JS} is missing: run `make assets`")
    server = make_server("127.0.0.1", free_port(), app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _running_mailing(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        q = (
            db.session.execute(
                select(Questionnaire).where(
                    Questionnaire.municipality_id == zaanstad.id, Questionnaire.status != "concept"
                )
            )
            .scalars()
            .first()
        )
        job = Job(
            municipality_id=zaanstad.id,
            function="plugins.meedenkgroepen.jobs:send_invitations",
            title="Vragenlijst versturen",
            status=RUNNING,
            done=3,
            total=10,
        )
        db.session.add(job)
        db.session.flush()
        q.send_job_id = job.id
        db.session.commit()
        return q.id, job.id


def _set(app, job_id: int, **values: object) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        job = db.session.get(Job, job_id)
        for key, value in values.items():
            setattr(job, key, value)
        db.session.commit()


def test_the_progress_refreshes_itself_and_stops_when_done(demo, live_server) -> None:  # type: ignore[no-untyped-def]
    qid, job_id = _running_mailing(demo)
    polls: list[str] = []
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = chromium.new_context(locale="nl-NL").new_page()
            page.goto(f"{live_server}/zaanstad/inloggen")
            page.fill("input[name=username]", "coordinator")
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.locator("main form button[type=submit]").first.click()
            page.goto(f"{live_server}/zaanstad/meedenkgroepen/vragenlijsten/{qid}")
            page.evaluate("() => { window.stillTheSamePage = true; }")
            page.on(
                "request", lambda r: polls.append(r.url) if f"/taken/{job_id}" in r.url else None
            )
            assert "3 van 10" in page.inner_text(f"#taak-{job_id}")

            _set(demo, job_id, done=7)
            page.wait_for_function(
                f"() => document.querySelector('#taak-{job_id}').innerText.includes('7 van 10')"
            )
            _set(demo, job_id, done=10, status=DONE)
            page.wait_for_function(
                f"() => document.querySelector('#taak-{job_id}').innerText.includes('Klaar')"
            )
            assert page.evaluate("() => window.stillTheSamePage === true")
            # done: the fragment has no trigger, so no element polls any more
            assert page.locator(f"#taak-{job_id} [hx-trigger]").count() == 0
            assert page.locator(f"#taak-{job_id}").get_attribute("role") == "status"
        finally:
            chromium.close()
    assert polls  # the page asked by itself, without a reload
