"""An employee of one municipality never reaches another's pages or records, not even by guessing ids."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intranet.access.models import GroupRoleMapping, Role, RoleAssignment
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.municipalities import service
from intranet.residents.models import Consent, Resident
from intranet.tenancy import get_scoped_or_404, scoped
from intranet.testing.helpers import post, signed_in


def _zwolle_ids(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Ids of real Zwolle records, for every kind of id the core's routes take."""
    signed_in(app, "zwolle", "griffier")
    with app.app_context():
        zwolle = service.by_slug("zwolle")

        def first(model):  # type: ignore[no-untyped-def]
            return db.session.execute(scoped(model, zwolle)).scalars().first().id

        return {
            "resident_id": first(Resident),
            "consent_id": first(Consent),
            "employee_id": first(Employee),
            "role_id": first(Role),
            "mapping_id": first(GroupRoleMapping),
            "assignment_id": first(RoleAssignment),
        }


def _urls(
    app, slug: str, ids: dict[str, int], only_known_ids: bool = False
) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every route with a municipality in it, filled with real ids of Zwolle's records."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "municipality" not in rule.arguments or rule.rule.startswith("/publiek/"):
            continue
        if only_known_ids and (
            len(rule.arguments) == 1 or not rule.arguments - {"municipality"} <= set(ids)
        ):
            continue
        path = rule.rule.replace("<municipality>", slug)
        path = re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids.get(m.group(1), 1)), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, path))
    return urls


def test_zaanstad_employee_gets_404_on_every_zwolle_route(demo) -> None:  # type: ignore[no-untyped-def]
    ids = _zwolle_ids(demo)
    client = signed_in(demo, "zaanstad", "beheerder")
    checked = 0
    for method, url in _urls(demo, "zwolle", ids):
        if url.endswith("/inloggen"):
            continue
        response = client.get(url) if method == "GET" else post(client, url, {})
        assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        checked += 1
    assert checked >= 15


def test_guessing_ids_of_another_municipality_in_own_urls_is_404(demo) -> None:  # type: ignore[no-untyped-def]
    ids = _zwolle_ids(demo)
    client = signed_in(demo, "zaanstad", "beheerder")
    checked = 0
    for method, url in _urls(demo, "zaanstad", ids, only_known_ids=True):
        checked += 1
        response = (
            client.get(url) if method == "GET" else post(client, url, {"name": "Overgenomen"})
        )
        assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
    assert checked >= 8
    with demo.app_context():
        resident = db.session.get(Resident, ids["resident_id"])
        assert resident.name != "Overgenomen"


def test_scoped_helpers_refuse_other_municipalities(demo) -> None:  # type: ignore[no-untyped-def]
    from werkzeug.exceptions import NotFound

    ids = _zwolle_ids(demo)
    with demo.app_context():
        zaanstad = service.by_slug("zaanstad")
        with pytest.raises(NotFound):
            get_scoped_or_404(Resident, ids["resident_id"], zaanstad)
        with pytest.raises(NotFound):
            get_scoped_or_404(Resident, "1 OR 1=1", zaanstad)
        names = {r.name for r in db.session.execute(scoped(Resident, zaanstad)).scalars()}
        assert "Anna de Jong" not in names and "Ilse Bos" in names
        assert db.session.execute(select(Resident)).scalars().all().__len__() > len(names)


def test_operator_of_zwolle_cannot_read_zaanstad_residents(demo) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in(demo, "zwolle", "itbeheer")
    assert operator.get("/zaanstad/inwoners/").status_code == 404
    assert operator.get("/zaanstad/").status_code == 404
