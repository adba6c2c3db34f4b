"""Sending a questionnaire to a large panel: the database plans it, the job does the work.

A panel larger than SQLite's limit of about 32,000 variables per statement broke the old
plan (an IN list of every member); the statements now bind the same number of values for any
panel, and the send request queues the job and does no planning.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, insert, select, text

from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.plugin_api import local_today
from intranet.residents.models import Consent, Resident
from intranet.tenancy import tenant_scope
from intranet.testing.helpers import count_queries, post, signed_in
from plugins.meedenkgroepen.models import (
    PANEL_CONSENT,
    Invitation,
    Panel,
    PanelMember,
    Question,
    Questionnaire,
)
from plugins.meedenkgroepen.service import _member_reasons, create_invitations, plan_send

BASE = "/zaanstad/meedenkgroepen"


def _zaanstad() -> Municipality:
    return db.session.execute(select(Municipality).filter_by(slug="zaanstad")).scalar_one()


def _big_panel(app, n: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A panel of ``n`` members (bulk inserts), and a questionnaire for it.

    Of every ten members: one left, one chose another theme, one has no e-mail address,
    one withdrew consent; the other six are invited.
    """
    with app.app_context():
        m = _zaanstad()
        panel = Panel(municipality_id=m.id, name=f"Groot panel {n}", themes=["Wmo", "Jeugd"])
        db.session.add(panel)
        db.session.flush()
        first = (db.session.execute(select(func.max(Resident.id))).scalar() or 0) + 1
        db.session.execute(
            insert(Resident.__table__),
            [
                {
                    "id": first + i,
                    "municipality_id": m.id,
                    "name": f"Lid {i}",
                    "kind": "client",
                    "email": None if i % 10 == 2 else f"lid{i}@example.org",
                    "notes": "",
                }
                for i in range(n)
            ],
        )
        db.session.execute(
            insert(PanelMember.__table__),
            [
                {
                    "municipality_id": m.id,
                    "panel_id": panel.id,
                    "resident_id": first + i,
                    "themes": ["Jeugd"] if i % 10 == 1 else ["Wmo"],
                    "joined_on": local_today(),
                    "channel": "email",
                    "left_at": None if i % 10 else local_today(),
                }
                for i in range(n)
            ],
        )
        db.session.execute(
            insert(Consent.__table__),
            [
                {
                    "municipality_id": m.id,
                    "resident_id": first + i,
                    "purpose": PANEL_CONSENT,
                    "method": "form",
                    "given_on": local_today() - timedelta(days=5),
                    "withdrawn_on": local_today() - timedelta(days=1) if i % 10 == 3 else None,
                }
                for i in range(n)
            ],
        )
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel.id,
            title="Groot onderzoek",
            intro="",
            themes=["Wmo"],
            opens_on=local_today(),
            closes_on=local_today() + timedelta(days=14),
        )
        q.questions.append(
            Question(municipality_id=m.id, position=1, kind="open", text="Wat vindt u?")
        )
        db.session.add(q)
        db.session.commit()
        return panel.id, q.id


def _bound_values(demo, action) -> int:  # type: ignore[no-untyped-def]
    """The most values bound to any one SQL statement while ``action`` runs."""
    most = [0]

    def count(_conn, _cursor, _statement, parameters, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not executemany:
            most[0] = max(most[0], len(parameters or ()))

    with demo.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return most[0]


def test_planning_and_inviting_bind_no_list_that_grows_with_the_panel(demo) -> None:  # type: ignore[no-untyped-def]
    """SQLite refuses statements with more than about 32,000 values: the plan and the INSERT
    must not carry the members' ids (bench/mailing.py plans and mails 100,000 members)."""
    figures = {}
    for n in (50, 2000):
        _, qid = _big_panel(demo, n)
        with demo.app_context():
            q = db.session.get(Questionnaire, qid)
            plans: list = []
            planned = _bound_values(
                demo, lambda q=q, plans=plans: plans.append(plan_send(_zaanstad(), q))
            )
            plan = plans[0]
            assert (plan.left, plan.other_themes, plan.no_email, plan.no_consent) == (
                n // 10,
                n // 10,
                n // 10,
                n // 10,
            )
            assert plan.to_invite == n - 4 * (n // 10)
            made: list[int] = []
            inserted = _bound_values(
                demo, lambda q=q, made=made: made.append(create_invitations(_zaanstad(), q))
            )
            assert made == [plan.to_invite]
            db.session.commit()
            # a second run (a second click, a retried job) invites nobody twice
            assert create_invitations(_zaanstad(), q) == 0
            assert plan_send(_zaanstad(), q).already_invited == plan.to_invite
            invited = db.session.execute(
                select(func.count()).where(Invitation.questionnaire_id == qid)
            ).scalar_one()
        assert invited == plan.to_invite
        figures[n] = (planned, inserted)
    assert figures[50] == figures[2000], figures


def test_the_send_request_queues_the_work_whatever_the_panel_size(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The request does a fixed amount of work: no plan, no invitations, only the job row."""
    monkeypatch.setitem(demo.config, "JOBS_EAGER", True)
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    counts = []
    for size in (5, 10, 1000):  # the first request warms the process's caches
        _, qid = _big_panel(demo, size)
        ran: list[int] = []
        monkeypatch.setattr("intranet.jobs.runner.run_job", ran.append)
        with demo.app_context():
            before = db.session.execute(select(func.count()).select_from(Invitation)).scalar_one()
        statements: list[int] = []
        with demo.app_context():
            engine = db.engine

        def count(*_args, statements=statements) -> None:  # type: ignore[no-untyped-def]
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            response = post(coordinator, f"{BASE}/vragenlijsten/{qid}/verzenden")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 302
        assert len(ran) == 1  # handed to the job
        with demo.app_context():
            after = db.session.execute(select(func.count()).select_from(Invitation)).scalar_one()
        assert after == before  # nobody invited by the request itself
        counts.append(len(statements))
    assert counts[1] == counts[2]


def test_the_preview_counts_in_the_database(demo) -> None:  # type: ignore[no-untyped-def]
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    _, small = _big_panel(demo, 20)
    _, large = _big_panel(demo, 2000)
    url = f"{BASE}/vragenlijsten/{{}}/verzenden"
    coordinator.get(url.format(small))
    assert count_queries(demo, coordinator, url.format(small)) == count_queries(
        demo, coordinator, url.format(large)
    )
    page = coordinator.get(url.format(large)).get_data(as_text=True)
    assert 'id="te-versturen">1200<' in page and 'id="geen-toestemming">200<' in page


def test_the_plan_looks_consents_up_per_resident_without_statistics(demo) -> None:  # type: ignore[no-untyped-def]
    """A panel just imported has no SQLite statistics yet. The consent check must then still
    be one index look-up per member: searched by municipality, every member reads all the
    municipality's consents, and a panel of 100,000 never finishes planning."""
    _, qid = _big_panel(demo, 200)
    with demo.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's planner without statistics; PostgreSQL analyses by itself")
        if db.session.execute(
            text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).first():
            db.session.execute(text("DELETE FROM sqlite_stat1"))
            db.session.commit()
        q = db.session.get(Questionnaire, qid)
        q.themes = []  # for the whole panel (the planner's choice differs with a theme filter)
        with tenant_scope(q.municipality_id):
            sql = str(
                _member_reasons(_zaanstad(), q, 5).compile(
                    db.engine, compile_kwargs={"literal_binds": True}
                )
            )
        # a fresh connection: SQLite reads the (now absent) statistics when it opens
        with db.engine.connect() as connection:
            steps = [row[3] for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql))]
    on_consent = [s for s in steps if " consent " in f"{s} "]
    assert on_consent and all("(resident_id=?)" in s for s in on_consent), steps


def test_the_mailing_reads_the_invitations_a_batch_at_a_time(demo) -> None:  # type: ignore[no-untyped-def]
    """The job never holds every invitation id of a panel at once (a worker's memory then
    grew with the panel): it reads the next batch from where the last one ended, also when
    rows of an earlier batch changed status in between."""
    from plugins.meedenkgroepen.jobs import _batches
    from plugins.meedenkgroepen.models import PENDING, SENT

    _, qid = _big_panel(demo, 50)
    with demo.app_context(), tenant_scope(_zaanstad()):
        q = db.session.get(Questionnaire, qid)
        invited = create_invitations(_zaanstad(), q)
        db.session.commit()
        pending = select(Invitation.id).where(
            Invitation.questionnaire_id == qid, Invitation.status == PENDING
        )
        every = list(db.session.execute(pending.order_by(Invitation.id)).scalars())
        assert len(every) == invited == 30
        statements: list[str] = []

        def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            if "invitation" in statement.lower() and "limit" in statement.lower():
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            total, pages = _batches(Invitation, pending, 7)
            assert total == 30
            seen = next(pages)
            assert len(seen) == 7
            # the first batch is sent meanwhile: the next page starts after it, not over it
            for inv in db.session.execute(
                select(Invitation).where(Invitation.id.in_(seen))
            ).scalars():
                inv.status = SENT
            db.session.commit()
            batches = [seen, *pages]
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    assert [i for batch in batches for i in batch] == every
    assert max(len(b) for b in batches) == 7
    assert len(statements) == len(batches) + 1  # one query a batch, and one that finds none
