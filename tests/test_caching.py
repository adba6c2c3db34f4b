"""Per-process caches (municipality, enabled plugins, permissions): a change made anywhere
is seen on the next request, and a warm page runs fewer queries.

A second app on the same database plays the part of another gunicorn worker or machine.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from intranet import create_app
from intranet.access.models import Role, RolePermission
from intranet.access.service import grant_manual, role_by_name
from intranet.auth.models import Employee
from intranet.caching import ConfigVersion
from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.municipalities.service import set_plugin_enabled
from intranet.testing.helpers import count_queries, signed_in
from intranet.timeutil import utcnow


@pytest.fixture
def other_worker(demo):  # type: ignore[no-untyped-def]
    """Another process's app on the same database."""
    keys = ("SQLALCHEMY_DATABASE_URI", "DEPLOYMENT_CONFIG", "SECRET_KEY", "ENV_NAME")
    other = create_app({**{k: demo.config[k] for k in keys}, "TESTING": True})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _version(app) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(ConfigVersion.token)).scalar_one()


def test_a_warm_page_skips_the_municipality_plugins_and_permissions_queries(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    cold = count_queries(demo, clerk, "/zwolle/inwoners/")
    warm = count_queries(demo, clerk, "/zwolle/inwoners/")
    # the municipality, its enabled plugins and the employee's permissions come from the cache
    assert cold - warm >= 3, (cold, warm)


def test_switching_a_plugin_off_elsewhere_is_seen_on_the_next_request(demo, other_worker) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    assert clerk.get("/zwolle/raadsgesprekken/").status_code == 200
    before = _version(demo)
    with other_worker.app_context():
        zwolle = db.session.execute(select(Municipality).filter_by(slug="zwolle")).scalar_one()
        set_plugin_enabled(zwolle, "raadsgesprekken", False, actor="test")
        db.session.commit()
    assert _version(demo) != before
    assert clerk.get("/zwolle/raadsgesprekken/").status_code == 404


def test_a_revoked_permission_elsewhere_is_seen_on_the_next_request(demo, other_worker) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    assert clerk.get("/zwolle/inwoners/").status_code == 200
    with other_worker.app_context():
        # a bulk statement through the session is watched as well as an ORM flush
        db.session.execute(
            RolePermission.__table__.delete().where(RolePermission.code == "core.residents.view")
        )
        db.session.commit()
    assert clerk.get("/zwolle/inwoners/").status_code == 403


def test_a_renamed_or_deactivated_municipality_is_seen_at_once(demo, other_worker) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    assert clerk.get("/zwolle/").status_code == 200
    with other_worker.app_context():
        zwolle = db.session.execute(select(Municipality).filter_by(slug="zwolle")).scalar_one()
        zwolle.name = "Gemeente Zwolle (nieuw)"
        db.session.commit()
    assert "Gemeente Zwolle (nieuw)" in clerk.get("/zwolle/").get_data(as_text=True)
    with other_worker.app_context():
        zwolle = db.session.execute(select(Municipality).filter_by(slug="zwolle")).scalar_one()
        zwolle.active = False
        db.session.commit()
    assert clerk.get("/zwolle/").status_code == 404


def test_a_grant_that_runs_out_stops_counting_without_any_change(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    council_member = signed_in(demo, "zwolle", "raadslid")
    assert council_member.get("/zwolle/audit/").status_code == 403
    with demo.app_context():
        zwolle = db.session.execute(select(Municipality).filter_by(slug="zwolle")).scalar_one()
        member = db.session.execute(select(Employee).filter_by(username="raadslid")).scalar_one()
        admin_role = role_by_name(zwolle, "functioneel-beheerder")
        grant_manual(
            zwolle,
            member,
            admin_role,
            "vervanging",
            "test",
            expires_at=utcnow() + timedelta(hours=1),
        )
        db.session.commit()
    council_member = signed_in(demo, "zwolle", "raadslid")  # a grant ends the old sessions
    assert council_member.get("/zwolle/audit/").status_code == 200
    # Two hours later nothing in the database changed, but the grant has ended.
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr("intranet.access.permissions.utcnow", lambda: later)
    assert council_member.get("/zwolle/audit/").status_code == 403


def test_only_hand_written_sql_escapes_the_watch_so_the_product_never_writes_it(demo) -> None:  # type: ignore[no-untyped-def]
    """The limit of the mechanism: ORM flushes and statements through the session bump the
    version; text SQL does not (the product has none that touches the watched tables)."""
    before = _version(demo)
    with demo.app_context():
        db.session.execute(text("UPDATE role SET title = title"))
        db.session.commit()
    assert _version(demo) == before
    with demo.app_context():
        db.session.execute(update(Role).where(Role.name == "nobody").values(title="x"))
        db.session.commit()
    assert _version(demo) != before
