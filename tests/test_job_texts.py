"""A job's title and progress are message ids with their values, translated where they are
shown; free text (an error) is shown as stored (``intranet.jobs.models.translated``)."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import text

from intranet.extensions import db
from intranet.jobs.models import FAILED, Job, translated
from intranet.jobs.runner import enqueue


def boom(ctx, **_params) -> None:  # type: ignore[no-untyped-def]
    ctx.progress(1, 2, message="Bewaartermijnen toepassen")
    raise ValueError("de schijf is vol")


def test_a_message_id_is_shown_in_the_reader_language(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.test_request_context():
        assert translated("Bewaartermijnen toepassen", {}) == "Bewaartermijnen toepassen"
        with force_locale("en"):
            assert translated("Bewaartermijnen toepassen", {}) == "Applying retention periods"
            # values are filled in after translating; unknown ids come back filled in, in Dutch
            assert translated("Nog %(n)d te gaan", {"n": 3}) == "Nog 3 te gaan"
            # no params: free text, shown as stored even when it happens to be a message id
            assert translated("Bewaartermijnen toepassen", None) == "Bewaartermijnen toepassen"
            assert translated("100% klaar", None) == "100% klaar"
            # a row whose values no longer fit its text (a catalog changed since) still shows
            assert translated("Nog %(n)d te gaan", {"m": 3}) == "Nog %(n)d te gaan"
            assert translated("Nog %(n)d te gaan", {"n": "drie"}) == "Nog %(n)d te gaan"
            assert translated("Gezocht: %(string)s", {"string": "x"}) == "Gezocht: x"


def test_a_failed_job_shows_its_error_as_stored(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    with demo.test_request_context():
        job = enqueue(f"{__name__}:boom", title="Bewaartermijnen toepassen")
        job = db.session.get(Job, job.id)
        assert job.status == FAILED
        assert job.message == "ValueError: de schijf is vol" and job.message_params is None
        stored = db.session.execute(
            text("SELECT count(*) FROM job WHERE id = :id AND message_params IS NULL"),
            {"id": job.id},
        ).scalar_one()
        assert stored == 1  # SQL NULL, not the JSON text 'null'
        with force_locale("en"):
            assert job.title_text == "Applying retention periods"
            assert job.message_text == "ValueError: de schijf is vol"
