"""Access administration: roles, group mappings, manual grants, the yearly review, audit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from intranet.access.models import GroupRoleMapping, Role, RoleAssignment
from intranet.audit.models import AuditEvent
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import local_today


@pytest.fixture
def admin(demo):  # type: ignore[no-untyped-def]
    return signed_in(demo, "zwolle", "beheerder")


def _one(app, stmt):  # type: ignore[no-untyped-def]
    """The row in Zwolle, where every test here works: the demo has roles and employees of
    the same names in Zaanstad, and without an order PostgreSQL may return either."""
    with app.app_context():
        zwolle = db.session.execute(
            select(Municipality.id).where(Municipality.slug == "zwolle")
        ).scalar_one()
        entity = stmt.column_descriptions[0]["entity"]
        return db.session.execute(stmt.where(entity.municipality_id == zwolle)).scalars().first()


def _employee(app, username: str) -> Employee:  # type: ignore[no-untyped-def]
    return _one(app, select(Employee).where(Employee.username == username))


def _events(app, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


def test_create_role_with_permissions_grouped_by_plugin(demo, admin) -> None:  # type: ignore[no-untyped-def]
    page = admin.get("/zwolle/toegang/rollen/").get_data(as_text=True)
    assert "<legend" in page and "Kern" in page and "Raadsgesprekken" in page
    assert "Meedenkgroepen" not in page  # not enabled in Zwolle
    assert "Inwoners bekijken" in page
    response = post(
        admin,
        "/zwolle/toegang/rollen/",
        {
            "name": "lezer",
            "title": "Lezer",
            "permissions": ["core.dashboard", "core.residents.view"],
        },
    )
    assert response.status_code == 302
    role = _one(demo, select(Role).where(Role.name == "lezer"))
    assert role.permission_codes == {"core.dashboard", "core.residents.view"}
    event = _events(demo, "access.role_created")[-1]
    assert event.actor == "beheerder" and event.details["permissions"] == [
        "core.dashboard",
        "core.residents.view",
    ]


def test_role_form_refuses_bad_input(demo, admin) -> None:  # type: ignore[no-untyped-def]
    response = post(
        admin,
        "/zwolle/toegang/rollen/",
        {"name": "Niet Goed!", "title": "", "permissions": ["meedenkgroepen.view"]},
    )
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Gebruik kleine letters, cijfers en streepjes (2 tot 80 tekens)." in errors
    assert "Vul de naam van de rol in." in errors
    assert "Kies alleen uit de getoonde mogelijkheden." in errors
    duplicate = post(admin, "/zwolle/toegang/rollen/", {"name": "medewerker", "title": "Dubbel"})
    assert duplicate.status_code == 400 and "bestaat al" in duplicate.get_data(as_text=True)


def test_edit_role_records_before_and_after_and_takes_effect_next_request(demo, admin) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "beleid")
    assert clerk.get("/zwolle/inwoners/").status_code == 403
    role = _one(demo, select(Role).where(Role.name == "medewerker"))
    response = post(
        admin,
        f"/zwolle/toegang/rollen/{role.id}",
        {
            "name": "medewerker",
            "title": "Medewerker",
            "permissions": ["core.dashboard", "core.residents.view"],
        },
    )
    assert response.status_code == 302
    assert clerk.get("/zwolle/inwoners/").status_code == 200  # the very next request
    event = _events(demo, "access.role_changed")[-1]
    assert event.details["before"]["permissions"] == ["core.dashboard"]
    assert event.details["after"]["permissions"] == ["core.dashboard", "core.residents.view"]


def test_removing_a_permission_ends_the_holders_sessions(demo, admin) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    role = _one(demo, select(Role).where(Role.name == "inwonerregistratie"))
    post(
        admin,
        f"/zwolle/toegang/rollen/{role.id}",
        {
            "name": "inwonerregistratie",
            "title": "Inwonerregistratie",
            "permissions": ["core.dashboard"],
        },
    )
    assert clerk.get("/zwolle/").status_code == 302  # signed out


def test_group_mapping_add_and_remove(demo, admin) -> None:  # type: ignore[no-untyped-def]
    role = _one(demo, select(Role).where(Role.name == "functioneel-beheerder"))
    bad = post(admin, "/zwolle/toegang/groepen", {"group_dn": "geen dn", "role_id": role.id})
    assert bad.status_code == 400 and "Dit is geen DN" in bad.get_data(as_text=True)
    ok = post(
        admin,
        "/zwolle/toegang/groepen",
        # typed with spaces and capitals: still the group slapd names as cn=raadsleden,ou=groups,...
        {"group_dn": "CN=Raadsleden, OU=groups, DC=zwolle, DC=demo", "role_id": role.id},
    )
    assert ok.status_code == 302
    mapping = _one(
        demo,
        select(GroupRoleMapping).where(
            GroupRoleMapping.group_dn == "cn=raadsleden,ou=groups,dc=zwolle,dc=demo",
            GroupRoleMapping.role_id == role.id,
        ),
    )
    assert mapping is not None
    assert signed_in(demo, "zwolle", "raadslid").get("/zwolle/toegang/").status_code == 200
    assert post(admin, f"/zwolle/toegang/groepen/{mapping.id}/verwijderen").status_code == 302
    assert (
        signed_in(demo, "zwolle", "raadslid").get("/zwolle/toegang/").status_code == 403
    )  # sync removed it
    assert [e.action for e in _events(demo, "access.group_unmapped")] == ["access.group_unmapped"]


def test_manual_grant_survives_group_sync_and_expires(demo, admin) -> None:  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "beleid")
    person = _employee(demo, "beleid")
    role = _one(demo, select(Role).where(Role.name == "functioneel-beheerder"))
    missing_reason = post(
        admin, f"/zwolle/toegang/medewerkers/{person.id}", {"role_id": role.id, "reason": ""}
    )
    assert missing_reason.status_code == 400
    assert "Leg uit waarom deze medewerker de rol krijgt" in missing_reason.get_data(as_text=True)
    past = post(
        admin,
        f"/zwolle/toegang/medewerkers/{person.id}",
        {"role_id": role.id, "reason": "x", "expires_on": "2020-01-01"},
    )
    assert "De einddatum ligt in het verleden." in form_errors(past.get_data(as_text=True))
    until = (local_today() + timedelta(days=30)).isoformat()
    assert (
        post(
            admin,
            f"/zwolle/toegang/medewerkers/{person.id}",
            {"role_id": role.id, "reason": "Vervanging tijdens verlof", "expires_on": until},
        ).status_code
        == 302
    )
    client = signed_in(demo, "zwolle", "beleid")  # the sync at sign-in keeps the manual grant
    assert client.get("/zwolle/audit/").status_code == 200
    with demo.app_context():
        assignment = db.session.execute(
            select(RoleAssignment).where(
                RoleAssignment.employee_id == person.id, RoleAssignment.source == "manual"
            )
        ).scalar_one()
        assignment.expires_at = assignment.expires_at.replace(year=2020)
        db.session.commit()
    assert client.get("/zwolle/audit/").status_code == 403  # expired grants do not count


def test_who_has_what_and_csv_export(demo, admin) -> None:  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "griffier")
    signed_in(demo, "zwolle", "raadslid")
    page = admin.get("/zwolle/toegang/?rol=inwonerregistratie").get_data(as_text=True)
    assert "Jan de Vries" in page and "cn=griffie,ou=groups,dc=zwolle,dc=demo" in page
    assert "Mirjam Bakker" not in page
    assert "Mirjam Bakker" in admin.get("/zwolle/toegang/").get_data(as_text=True)
    csv = admin.get("/zwolle/toegang/export.csv").get_data(as_text=True)
    assert csv.startswith("\ufeffgebruikersnaam;naam;status;rol;bron")
    assert re.search(
        r"griffier;Jan de Vries;actief;inwonerregistratie;Directorygroep;cn=griffie", csv
    )
    assert _events(demo, "access.exported")


def test_disabling_an_employee_ends_their_sessions(demo, admin) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    person = _employee(demo, "griffier")
    assert (
        post(
            admin, f"/zwolle/toegang/medewerkers/{person.id}/status", {"actief": "nee"}
        ).status_code
        == 302
    )
    assert clerk.get("/zwolle/").status_code == 302
    from intranet.testing.helpers import login

    assert login(demo.test_client(), "zwolle", "griffier").status_code == 401
    assert (
        post(admin, f"/zwolle/toegang/medewerkers/{person.id}/status", {"actief": "ja"}).status_code
        == 302
    )
    assert login(demo.test_client(), "zwolle", "griffier").status_code == 302


def test_revoking_a_manual_grant_ends_the_session(demo, admin) -> None:  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "beleid")
    person = _employee(demo, "beleid")
    role = _one(demo, select(Role).where(Role.name == "functioneel-beheerder"))
    post(
        admin, f"/zwolle/toegang/medewerkers/{person.id}", {"role_id": role.id, "reason": "Project"}
    )
    client = signed_in(demo, "zwolle", "beleid")
    assignment = _one(
        demo,
        select(RoleAssignment).where(
            RoleAssignment.employee_id == person.id, RoleAssignment.source == "manual"
        ),
    )
    assert (
        post(
            admin, f"/zwolle/toegang/medewerkers/{person.id}/toekenningen/{assignment.id}/intrekken"
        ).status_code
        == 302
    )
    assert client.get("/zwolle/").status_code == 302
    assert _events(demo, "access.revoked")[-1].details["role"] == "functioneel-beheerder"


def test_access_pages_need_the_permission_and_stay_in_the_municipality(demo) -> None:  # type: ignore[no-untyped-def]
    assert signed_in(demo, "zwolle", "griffier").get("/zwolle/toegang/").status_code == 403
    signed_in(demo, "zwolle", "griffier")
    person = _employee(demo, "griffier")
    other_admin = signed_in(demo, "zaanstad", "beheerder")
    assert other_admin.get(f"/zaanstad/toegang/medewerkers/{person.id}").status_code == 404
    role = _one(demo, select(Role).where(Role.name == "medewerker"))
    assert other_admin.get(f"/zaanstad/toegang/rollen/{role.id}").status_code in (200, 404)
    zwolle_role_id = _one(
        demo,
        select(Role)
        .join(Role.permissions)
        .where(Role.name == "inwonerregistratie", Role.municipality_id == person.municipality_id),
    ).id
    assert other_admin.get(f"/zaanstad/toegang/rollen/{zwolle_role_id}").status_code == 404
