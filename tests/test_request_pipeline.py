"""The request pipeline: municipality, plugin gate, authentication, tenant, side effects, permission.

Each step is tested alone, and the order is tested where it matters: an employee of one
municipality visiting another's pages must change nothing anywhere and ask nobody's directory.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select

from intranet.auth.directory import directory_for
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.municipalities.models import Municipality
from intranet.testing.helpers import signed_in
from intranet.web import guards


def _municipality(slug: str) -> Municipality:
    return db.session.execute(select(Municipality).where(Municipality.slug == slug)).scalar_one()


def _set_nested(app, slug: str, enabled: bool) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        municipalities.set_plugin_enabled(_municipality(slug), "nested", enabled, actor="test")
        db.session.commit()


#: public, in a blueprint nested in the plugin's public blueprint
NESTED_PUBLIC = "/publiek/zwolle/nested/binnen/formulier"
#: needs a permission, in a blueprint nested in the plugin's blueprint
NESTED_CLOSED = "/zwolle/nested/binnen/dicht"


# -- step 2: the plugin gate looks at the top-level blueprint --------------------------------


def test_nested_blueprint_belongs_to_the_plugin_that_registered_the_outer_one(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        assert guards.plugin_of(["nested.inner", "nested"]) == "nested"
        assert guards.plugin_of(["nested_public.inner", "nested_public"]) == "nested"
        assert guards.plugin_of(["auth"]) is None
        assert guards.plugin_of([]) is None


def test_nested_pages_of_a_disabled_plugin_do_not_exist(demo) -> None:  # type: ignore[no-untyped-def]
    client = demo.test_client()
    assert client.get(NESTED_PUBLIC).status_code == 404
    assert client.get(NESTED_CLOSED).status_code == 404  # not even a redirect to sign in

    _set_nested(demo, "zwolle", True)
    response = client.get(NESTED_PUBLIC)
    assert response.status_code == 200
    assert "Genest publiek formulier" in response.get_data(as_text=True)
    assert client.get(NESTED_CLOSED).status_code == 302  # sign in first
    # enabled in Zwolle only: Zaanstad's nested pages stay closed
    assert client.get("/zaanstad/nested/binnen/dicht").status_code == 404
    assert client.get("/publiek/zaanstad/nested/binnen/formulier").status_code == 404

    _set_nested(demo, "zwolle", False)
    assert client.get(NESTED_PUBLIC).status_code == 404
    assert client.get(NESTED_CLOSED).status_code == 404


# -- step 4: tenant match ----------------------------------------------------------------------


def test_tenant_match_step(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle, zaanstad = _municipality("zwolle"), _municipality("zaanstad")
        employee = Employee(municipality_id=zaanstad.id, username="x", is_platform_operator=True)
        assert guards.tenant_matches(None, zwolle)  # anonymous: nothing to mismatch
        assert guards.tenant_matches(employee, None)  # platform pages check operators later
        assert guards.tenant_matches(employee, zaanstad)
        assert not guards.tenant_matches(employee, zwolle)  # operators too: not their tenant


# -- the order: side effects only after the tenant matched ---------------------------------------


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that a request changed nothing anywhere."""
    out = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        out[table.name] = sorted((tuple(map(repr, row)) for row in rows), key=repr)
    db.session.rollback()
    return out


def _directory_calls(app, slug: str) -> int:  # type: ignore[no-untyped-def]
    settings = app.extensions["intranet"].deployment.for_municipality(slug).directory
    stats = directory_for(slug, settings).stats
    return stats.searches + stats.connections + stats.service_binds + stats.user_binds


@pytest.mark.parametrize(
    "username",
    [
        "beheerder",  # also exists in Zwolle's directory (different person, other groups)
        "coordinator",  # unknown in Zwolle's directory
    ],
)
def test_visiting_another_municipality_with_a_recheck_due_changes_nothing(demo, username) -> None:  # type: ignore[no-untyped-def]
    _set_nested(demo, "zwolle", True)
    client = signed_in(demo, "zaanstad", username)
    with client.session_transaction() as sess:
        sess["directory_checked"] = time.time() - 60 * 60  # the re-check is due
    with demo.app_context():
        before = _snapshot()
        zwolle_calls = _directory_calls(demo, "zwolle")
        zaanstad_calls = _directory_calls(demo, "zaanstad")

    pages = {
        "/zwolle/inloggen": 200,  # public: served, but not for this employee's sake
        "/zwolle/": 404,  # another municipality's pages do not exist for them
        "/zwolle/inwoners/": 404,
        NESTED_CLOSED: 404,
        NESTED_PUBLIC: 200,
    }
    for url, status in pages.items():
        assert client.get(url).status_code == status, url

    with demo.app_context():
        assert _snapshot() == before  # role_assignment, audit_event, employee (groups, sessions)
        assert _directory_calls(demo, "zwolle") == zwolle_calls  # Zwolle's directory not asked
        assert _directory_calls(demo, "zaanstad") == zaanstad_calls
    # still signed in at home, where the due re-check now runs against the right directory
    assert client.get("/zaanstad/").status_code == 200
    with demo.app_context():
        assert _directory_calls(demo, "zaanstad") > zaanstad_calls
        employee = db.session.execute(
            select(Employee).where(Employee.username == username)
        ).scalar_one()
        assert all("dc=zaanstad" in group for group in employee.groups)
