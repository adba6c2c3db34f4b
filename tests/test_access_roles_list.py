"""The roles page is a list like the others: sorted, searched, filtered on a permission and
paged in the URL, with the number of employees holding each role linked to the access
overview filtered on that role."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from sqlalchemy import select

from intranet.access.models import SOURCE_MANUAL, Role, RoleAssignment, RolePermission
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.testing.helpers import signed_in
from intranet.timeutil import utcnow

ROW = re.compile(
    r'<tr class="utrecht-table__row">\s*<td class="utrecht-table__cell"><a [^>]*>'
    r"<strong>([^<]+)</strong>"
)


@pytest.fixture
def admin(demo):  # type: ignore[no-untyped-def]
    return signed_in(demo, "zwolle", "beheerder")


def _municipality(slug: str) -> Municipality:
    return db.session.execute(select(Municipality).where(Municipality.slug == slug)).scalar_one()


def _titles(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/zwolle/toegang/rollen/{query}")
    assert response.status_code == 200
    return ROW.findall(response.get_data(as_text=True))


def _zwolle_roles(app) -> list[Role]:  # type: ignore[no-untyped-def]
    with app.app_context():
        zwolle = _municipality("zwolle")
        return list(
            db.session.execute(select(Role).where(Role.municipality_id == zwolle.id)).scalars()
        )


def test_sorted_by_title_and_reversed_through_the_url(demo, admin) -> None:  # type: ignore[no-untyped-def]
    expected = sorted(r.title for r in _zwolle_roles(demo))
    assert len(expected) >= 3
    assert _titles(admin) == expected
    assert _titles(admin, "?sorteer=rol&volgorde=af") == list(reversed(expected))


def _counts(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Per role title: the people holding it now, counted in Python from every row."""
    now = utcnow()
    with app.app_context():
        zwolle = _municipality("zwolle")
        holders: dict[str, set[int]] = {r.title: set() for r in _zwolle_roles(app)}
        for a in db.session.execute(
            select(RoleAssignment).where(RoleAssignment.municipality_id == zwolle.id)
        ).scalars():
            expires = a.expires_at
            if expires is not None and expires.tzinfo is None:
                expires = expires.replace(tzinfo=UTC)
            if expires is None or expires > now:
                holders[a.role.title].add(a.employee_id)
        return {title: len(ids) for title, ids in holders.items()}


def test_a_person_counts_once_and_an_expired_grant_not_at_all(demo, admin) -> None:  # type: ignore[no-untyped-def]
    for username in ("griffier", "raadslid"):  # employees exist from their first sign-in
        signed_in(demo, "zwolle", username)
    before = _counts(demo)
    with demo.app_context():
        zwolle = _municipality("zwolle")
        assignments = list(
            db.session.execute(
                select(RoleAssignment).where(RoleAssignment.municipality_id == zwolle.id)
            ).scalars()
        )
        employees = set(
            db.session.execute(
                select(Employee.id).where(Employee.municipality_id == zwolle.id)
            ).scalars()
        )
        # a role someone holds, and an employee who does not hold it
        held, others = next(
            (a, e)
            for a in assignments
            for e in sorted(
                employees - {b.employee_id for b in assignments if b.role_id == a.role_id}
            )
        )
        role = held.role
        assert others is not None
        # the same person a second time (a manual grant beside a group), someone else expired
        db.session.add_all(
            [
                RoleAssignment(
                    municipality_id=zwolle.id,
                    employee_id=held.employee_id,
                    role_id=role.id,
                    source=SOURCE_MANUAL,
                    reason="Tweede toekenning",
                ),
                RoleAssignment(
                    municipality_id=zwolle.id,
                    employee_id=others,
                    role_id=role.id,
                    source=SOURCE_MANUAL,
                    reason="Verlopen",
                    expires_at=utcnow() - timedelta(days=1),
                ),
            ]
        )
        db.session.commit()
        title = role.title
    assert _counts(demo) == before
    body = admin.get("/zwolle/toegang/rollen/?sorteer=houders&volgorde=af").get_data(as_text=True)
    shown = re.search(
        rf"<strong>{re.escape(title)}</strong>.*?<td[^>]*>.*?</td>\s*<td[^>]*>.*?</td>\s*"
        rf"<td[^>]*>(?:<a [^>]*>)?(\d+)",
        body,
        re.S,
    )
    assert shown and int(shown.group(1)) == before[title]


def test_sorted_on_the_number_of_holders_with_the_count_linked(demo, admin) -> None:  # type: ignore[no-untyped-def]
    counts = _counts(demo)
    titles = _titles(admin, "?sorteer=houders&volgorde=af")
    assert [counts[t] for t in titles] == sorted(counts.values(), reverse=True)
    assert max(counts.values()) > 0
    body = admin.get("/zwolle/toegang/rollen/?sorteer=houders&volgorde=af").get_data(as_text=True)
    assert 'href="/zwolle/toegang/?rol=' in body


def test_filtered_on_a_permission_and_on_text(demo, admin) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = _municipality("zwolle")
        managing = set(
            db.session.execute(
                select(Role.title)
                .join(RolePermission, RolePermission.role_id == Role.id)
                .where(
                    Role.municipality_id == zwolle.id, RolePermission.code == "core.access.manage"
                )
            ).scalars()
        )
    assert managing
    assert set(_titles(admin, "?recht=core.access.manage")) == managing
    some = _zwolle_roles(demo)[0]
    found = _titles(admin, f"?zoek={some.name}")
    assert some.title in found and len(found) < len(_zwolle_roles(demo))
    empty = admin.get("/zwolle/toegang/rollen/?zoek=bestaat-niet-xyz").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in empty


def test_other_municipalities_roles_and_nonsense_in_the_url(demo, admin) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zaanstad = _municipality("zaanstad")
        zaanstad_only = {
            r.title
            for r in db.session.execute(
                select(Role).where(Role.municipality_id == zaanstad.id)
            ).scalars()
        } - {r.title for r in _zwolle_roles(demo)}
    shown = set(_titles(admin, "?pagina=999999&sorteer=drop+table&volgorde=x&recht=bestaat.niet"))
    assert shown == {r.title for r in _zwolle_roles(demo)}
    assert not (shown & zaanstad_only)
