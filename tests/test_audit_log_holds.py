"""The audit log holds: append-only in the database, hash-chained per municipality, verifiable.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from intranet.audit.chain import verify_chain
from intranet.audit.models import SQLITE_TRIGGERS, AuditEvent
from intranet.audit.service import record
from intranet.extensions import db
from intranet.municipalities.service import add_municipality
from intranet.privacy.service import run_retention
from intranet.timeutil import utcnow


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _verify(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["intranet", "audit", "verify", *args])


def _events(app, slug: str, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        from intranet.municipalities.service import by_slug

        m = by_slug(slug) or add_municipality(slug, f"Gemeente {slug.title()}")
        for i in range(n):
            record("test.event", object_type="thing", object_id=i, municipality=m, details={"n": i})
        db.session.commit()
        return list(
            db.session.execute(
                select(AuditEvent.id)
                .where(AuditEvent.municipality_id == m.id)
                .order_by(AuditEvent.id)
            ).scalars()
        )


@contextmanager
def _triggers_off() -> Iterator[None]:
    """Tampering as someone with the database owner's rights would: past the triggers.

    On PostgreSQL the trigger is disabled, on SQLite dropped; both are restored afterwards.
    """
    with db.engine.begin() as conn:
        if _postgres():
            conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        else:
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
    try:
        yield
    finally:
        with db.engine.begin() as conn:
            if _postgres():
                conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
            else:
                for statement in SQLITE_TRIGGERS:
                    conn.execute(text(statement))


# -- append-only in the database ------------------------------------------------------------
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'tampered'",
        "DELETE FROM audit_event",
    ],
)
def test_raw_sql_cannot_change_or_delete_events(app, statement: str) -> None:  # type: ignore[no-untyped-def]
    _events(app, "zwolle", 2)
    with app.app_context():
        before = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
        after = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert after == before
        assert "tampered" not in after


def test_orm_bulk_update_and_delete_are_refused_by_the_database(app) -> None:  # type: ignore[no-untyped-def]
    _events(app, "zwolle", 2)
    with app.app_context():
        before = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(update(AuditEvent).values(actor="someone else"))
        db.session.rollback()
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(delete(AuditEvent))
        db.session.rollback()
        assert db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all() == before
        assert "someone else" not in db.session.scalars(select(AuditEvent.actor)).all()


def test_truncate_is_refused_on_postgresql(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        if not _postgres():
            pytest.skip("SQLite has no TRUNCATE")
        _events(app, "zwolle", 1)
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_event"))


def test_the_retention_run_deletes_only_expired_events(app) -> None:  # type: ignore[no-untyped-def]
    from intranet.municipalities.models import Municipality

    with app.app_context():
        oudedorp = Municipality(slug="oudedorp", name="Gemeente Oudedorp")
        db.session.add(oudedorp)
        db.session.flush()
        now = utcnow()
        old = now - timedelta(days=app.config["AUDIT_RETENTION_DAYS"] + 10)
        for _i in range(3):
            db.session.add(AuditEvent(municipality_id=oudedorp.id, action="test.old", time=old))
        db.session.add(AuditEvent(municipality_id=oudedorp.id, action="test.recent", time=now))
        # an old-dated event after a kept one stays: deleting it would break the chain
        db.session.add(AuditEvent(municipality_id=oudedorp.id, action="test.late", time=old))
        db.session.commit()
        reports = run_retention(oudedorp, now, dry_run=True)
        assert [r.deleted for r in reports if r.plugin == "core"] == [{"auditlog": 3}]
        db.session.commit()
        reports = run_retention(oudedorp, now, dry_run=False)
        db.session.commit()
        assert [r.deleted for r in reports if r.plugin == "core"] == [{"auditlog": 3}]
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.municipality_id == oudedorp.id)
            .order_by(AuditEvent.id)
        ).all()
        assert actions == [
            "test.recent",
            "test.late",
            "privacy.retention_dry_run",
            "privacy.retention_run",
        ]
        # the window closed with the run: a plain DELETE of any event is refused again
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_event"))
    result = _verify(app, "--municipality", "oudedorp")
    assert result.exit_code == 0, result.output
    assert "oudedorp\tin orde\t4 gebeurtenissen" in result.output


# -- the hash chain and `audit verify` --------------------------------------------------------
def test_each_event_hashes_the_previous_one_of_its_municipality(app) -> None:  # type: ignore[no-untyped-def]
    zwolle = _events(app, "zwolle", 3)
    zaanstad = _events(app, "zaanstad", 2)
    with app.app_context():
        for ids in (zwolle, zaanstad):
            events = [db.session.get(AuditEvent, i) for i in ids]
            assert events[0].prev_hash is None
            for before, after in itertools.pairwise(events):
                assert after.prev_hash == before.hash
            assert len({e.hash for e in events}) == len(events)
        count = len(
            db.session.scalars(
                select(AuditEvent.id).where(
                    AuditEvent.municipality_id
                    == db.session.get(AuditEvent, zwolle[0]).municipality_id
                )
            ).all()
        )
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert f"zwolle\tin orde\t{count} gebeurtenissen" in result.output


def test_verify_finds_a_changed_event(app) -> None:  # type: ignore[no-untyped-def]
    ids = _events(app, "zwolle", 5)
    _events(app, "zaanstad", 2)
    tampered = ids[3]
    with app.app_context(), _triggers_off(), db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_event SET object_id = 'other' WHERE id = :id"), {"id": tampered}
        )
    result = _verify(app)
    assert result.exit_code == 1
    assert f"zwolle\tGEBROKEN bij gebeurtenis {tampered} " in result.output
    assert "changed" in result.output
    assert "zaanstad\tin orde" in result.output
    assert _verify(app, "--municipality", "zaanstad").exit_code == 0
    assert _verify(app, "--municipality", "zwolle").exit_code == 1


def test_verify_finds_a_removed_event(app) -> None:  # type: ignore[no-untyped-def]
    ids = _events(app, "zwolle", 5)
    with app.app_context(), _triggers_off(), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[2]})
    result = _verify(app, "--municipality", "zwolle")
    assert result.exit_code == 1
    assert f"GEBROKEN bij gebeurtenis {ids[3]} " in result.output
    assert "removed or inserted" in result.output


def test_verify_finds_a_rehashed_event(app) -> None:  # type: ignore[no-untyped-def]
    """Changing an event and recomputing its own hash still breaks the next link."""
    ids = _events(app, "zwolle", 4)
    with app.app_context():
        from intranet.audit.chain import event_hash, fields_of

        event = db.session.get(AuditEvent, ids[1])
        fields = fields_of(event) | {"actor": "iemand anders"}
        new_hash = event_hash(fields, event.prev_hash)
        db.session.rollback()
        with _triggers_off(), db.engine.begin() as conn:
            conn.execute(
                text("UPDATE audit_event SET actor = 'iemand anders', hash = :h WHERE id = :id"),
                {"h": new_hash, "id": ids[1]},
            )
    result = _verify(app, "--municipality", "zwolle")
    assert result.exit_code == 1
    assert f"GEBROKEN bij gebeurtenis {ids[2]} " in result.output


def test_concurrent_writers_do_not_fork_a_chain(app) -> None:  # type: ignore[no-untyped-def]
    before = len(_events(app, "zwolle", 1))
    writers, per_writer = 4, 10
    barrier = threading.Barrier(writers)
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            with app.app_context():
                from intranet.municipalities.service import by_slug

                zwolle = by_slug("zwolle")
                barrier.wait()
                for i in range(per_writer):
                    record("test.concurrent", municipality=zwolle, details={"w": n, "i": i})
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 -- reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with app.app_context():
        from intranet.municipalities.service import by_slug

        report = verify_chain(db.session, by_slug("zwolle").id)
        assert report.broken is None
        assert report.events == before + writers * per_writer
        prevs = db.session.scalars(
            select(AuditEvent.prev_hash).where(AuditEvent.municipality_id == by_slug("zwolle").id)
        ).all()
        assert len(prevs) == len(set(prevs))  # no two events follow the same one


def test_the_access_log_finds_events_by_object_and_by_details(app) -> None:  # type: ignore[no-untyped-def]
    from intranet.municipalities.service import by_slug
    from intranet.privacy.service import access_log

    _events(app, "zwolle", 1)
    with app.app_context():
        zwolle = by_slug("zwolle")
        record("resident.viewed", object_type="resident", object_id=7, municipality=zwolle)
        record(
            "plugin.thing",
            object_type="thing",
            object_id=1,
            municipality=zwolle,
            details={"resident": 7},
        )
        record("resident.viewed", object_type="resident", object_id=8, municipality=zwolle)
        db.session.commit()
        assert [e.action for e in access_log(zwolle, 7)] == ["resident.viewed", "plugin.thing"]
        assert [e.resident_id for e in access_log(zwolle, 8)] == [8]
