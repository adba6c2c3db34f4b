"""The consents of a summary's residents are read in one query per purpose, not one per
request: the anonymised use for the bundle and the contact consent for the feedback list.
Withdrawals still count at once (test_consent_on_every_mail_path.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from test_raadsgesprekken_inline_answer import _summary_with_ideas

from intranet.extensions import db
from intranet.testing.helpers import signed_in


@contextmanager
def consent_queries(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """The SQL statements that read the consent table while the block runs."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if re.search(r"\bFROM consent\b", statement):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_the_summary_page_reads_consents_once_per_purpose(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summary_id = _summary_with_ideas()  # every demo report: two conversations
    griffier = signed_in(demo, "zwolle", "griffier")
    with consent_queries(demo) as seen:
        page = griffier.get(f"/zwolle/raadsgesprekken/doorgeefluik/{summary_id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "2 gesprekken" in body  # both reports are usable
    # one for the anonymised use of the bundle, one for the contact consent of the feedback
    assert len(seen) == 2, seen
