"""The residents registry: search, paging, create, edit, consents, audit of every read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service
from intranet.residents.models import Consent, Resident
from intranet.tenancy import scoped
from intranet.testing.helpers import count_queries, form_errors, post, signed_in


@pytest.fixture
def clerk(demo):  # type: ignore[no-untyped-def]
    return signed_in(demo, "zwolle", "griffier")


def _resident(app, name: str) -> Resident:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(Resident).where(Resident.name == name)).scalar_one()


def test_list_and_search(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    page = clerk.get("/zwolle/inwoners/").get_data(as_text=True)
    assert "Anna de Jong" in page and "Ilse Bos" not in page
    found = clerk.get("/zwolle/inwoners/?q=kramer").get_data(as_text=True)
    assert "Els Kramer" in found and "Anna de Jong" not in found
    assert "1 inwoner gevonden" in found
    assert "Anna de Jong" in clerk.get("/zwolle/inwoners/?q=anna.dejong@example").get_data(
        as_text=True
    )
    assert clerk.get("/zwolle/inwoners/?q=%25%5C_&pagina=abc").status_code == 200


def test_create_edit_and_every_read_is_audited(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    response = post(
        clerk,
        "/zwolle/inwoners/nieuw",
        {
            "name": "Piet Prins",
            "kind": "expert",
            "email": "piet@example.org",
            "phone": "06 11112222",
            "neighbourhood": "Assendorp",
        },
    )
    assert response.status_code == 302
    resident = _resident(demo, "Piet Prins")
    assert response.headers["Location"] == f"/zwolle/inwoners/{resident.id}"
    detail = clerk.get(f"/zwolle/inwoners/{resident.id}").get_data(as_text=True)
    assert "Ervaringsdeskundige" in detail and "piet@example.org" in detail
    assert (
        post(
            clerk,
            f"/zwolle/inwoners/{resident.id}/bewerken",
            {"name": "Piet Prins", "kind": "expert", "email": "p.prins@example.org"},
        ).status_code
        == 302
    )
    assert _resident(demo, "Piet Prins").email == "p.prins@example.org"
    with demo.app_context():
        events = (
            db.session.execute(
                select(AuditEvent)
                .where(
                    AuditEvent.object_type == "resident", AuditEvent.object_id == str(resident.id)
                )
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        actions = [e.action for e in events]
        assert actions[:3] == ["resident.created", "resident.viewed", "resident.changed"]
        assert all(e.actor == "griffier" for e in events)
        assert events[2].details == {"fields": ["email"]}
        assert "Piet" not in str([e.details for e in events])


def test_bad_input_gives_dutch_errors_next_to_fields_and_keeps_input(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    response = post(
        clerk,
        "/zwolle/inwoners/nieuw",
        {
            "name": "",
            "kind": "robot",
            "email": "geen-mail",
            "phone": "bel me",
            "notes": "Bewaar dit",
        },
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    errors = form_errors(body)
    assert "Vul de naam van de inwoner in." in errors
    assert any("geen geldig e-mailadres" in e for e in errors)
    assert any("alleen cijfers" in e for e in errors)
    assert any(
        "Not a valid choice" in e or "geldige keuze" in e.lower() or "Ongeldige" in e
        for e in errors
    )
    assert "Bewaar dit" in body and 'value="geen-mail"' in body
    assert 'aria-invalid="true"' in body


def test_edit_with_bad_input_loses_nothing_saved(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    anna = _resident(demo, "Anna de Jong")
    response = post(
        clerk, f"/zwolle/inwoners/{anna.id}/bewerken", {"name": "", "kind": "client", "email": "x"}
    )
    assert response.status_code == 400
    assert _resident(demo, "Anna de Jong").email == "anna.dejong@example.org"


def test_consent_given_and_withdrawn(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    anna = _resident(demo, "Anna de Jong")
    response = post(
        clerk,
        f"/zwolle/inwoners/{anna.id}/toestemmingen",
        {"purpose": "everything.mail", "method": "email", "given_on": "2026-11-01"},
    )
    assert response.status_code == 302
    with demo.app_context():
        consent = db.session.execute(
            select(Consent).where(Consent.purpose == "everything.mail")
        ).scalar_one()
        assert consent.recorded_by == "griffier"
        assert db.session.get(Resident, anna.id).has_consent("everything.mail")
    assert (
        post(clerk, f"/zwolle/inwoners/{anna.id}/toestemmingen/{consent.id}/intrekken").status_code
        == 302
    )
    with demo.app_context():
        assert not db.session.get(Resident, anna.id).has_consent("everything.mail")
        assert db.session.get(Consent, consent.id).withdrawn_on is not None


def test_consent_in_the_future_or_without_purpose_is_refused(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    anna = _resident(demo, "Anna de Jong")
    response = post(
        clerk,
        f"/zwolle/inwoners/{anna.id}/toestemmingen",
        {"purpose": "", "method": "email", "given_on": "2999-01-01"},
    )
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Kies waarvoor de inwoner toestemming geeft." in errors
    assert "De datum kan niet in de toekomst liggen." in errors
    bad_date = post(
        clerk,
        f"/zwolle/inwoners/{anna.id}/toestemmingen",
        {"purpose": "core.contact", "method": "email", "given_on": "31-02-2026"},
    )
    assert bad_date.status_code == 400


def test_without_permission_no_residents(demo) -> None:  # type: ignore[no-untyped-def]
    employee = signed_in(demo, "zwolle", "beleid")
    assert employee.get("/zwolle/inwoners/").status_code == 403
    assert 'href="/zwolle/inwoners/"' not in employee.get("/zwolle/").get_data(as_text=True)
    with demo.app_context():
        denial = (
            db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "permission.denied")
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()[-1]
        )
        assert denial.actor == "beleid" and denial.details == {"permission": "core.residents.view"}


def _bulk_residents(app, n: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        zwolle = service.by_slug("zwolle")
        db.session.execute(
            Resident.__table__.insert(),
            [
                {
                    "municipality_id": zwolle.id,
                    "name": f"Inwoner {i:05d}",
                    "kind": "client",
                    "notes": "",
                }
                for i in range(n)
            ],
        )
        db.session.commit()


def test_list_query_count_does_not_grow_with_residents(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    _bulk_residents(demo, 100)
    clerk.get("/zwolle/inwoners/")  # the process caches the municipality and permissions
    small = count_queries(demo, clerk, "/zwolle/inwoners/?pagina=2")
    _bulk_residents(demo, 9_900)
    large = count_queries(demo, clerk, "/zwolle/inwoners/?pagina=2")
    assert small == large
    page = clerk.get("/zwolle/inwoners/?pagina=400").get_data(as_text=True)
    assert "Pagina 400 van 401" in page


def test_resident_detail_of_unknown_id_is_404(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    assert clerk.get("/zwolle/inwoners/999999").status_code == 404
    assert clerk.get("/zwolle/inwoners/abc").status_code == 404
    with demo.app_context():
        assert (
            db.session.execute(scoped(Resident, service.by_slug("zwolle"))).scalars().first()
            is not None
        )


def test_holds_consent_is_looked_up_per_resident_also_under_the_tenant_criteria(demo) -> None:  # type: ignore[no-untyped-def]
    """Inside a request or job the ORM adds ``municipality_id = …`` to every tenant entity of a
    statement. The consent check must stay a look-up on the resident alone: with the
    municipality condition PostgreSQL, before it gathered statistics, read the municipality's
    consents for every member of a panel (100,000 members ran past the statement timeout)."""
    from datetime import date

    from sqlalchemy import event

    from intranet.residents.service import holds_consent
    from intranet.tenancy import tenant_scope

    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        anna = Resident(municipality_id=zwolle.id, name="Anna Toestemming")
        bert = Resident(municipality_id=zwolle.id, name="Bert Ingetrokken")
        db.session.add_all([anna, bert])
        db.session.flush()
        db.session.add_all(
            [
                Consent(
                    municipality_id=zwolle.id,
                    resident_id=anna.id,
                    purpose="test.holds",
                    method="form",
                    given_on=date(2026, 1, 1),
                ),
                Consent(
                    municipality_id=zwolle.id,
                    resident_id=bert.id,
                    purpose="test.holds",
                    method="form",
                    given_on=date(2026, 1, 1),
                    withdrawn_on=date(2026, 2, 1),
                ),
            ]
        )
        db.session.commit()
        seen: list[str] = []

        def on_statement(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            seen.append(" ".join(statement.split()))

        event.listen(db.engine, "before_cursor_execute", on_statement)
        try:
            with tenant_scope(zwolle.id):
                held = set(
                    db.session.execute(
                        select(Resident.id).where(
                            Resident.id.in_([anna.id, bert.id]),
                            holds_consent(Resident.id, "test.holds", date(2026, 3, 1)),
                        )
                    ).scalars()
                )
        finally:
            event.remove(db.engine, "before_cursor_execute", on_statement)
        assert held == {anna.id}
        (sql,) = [s for s in seen if "FROM consent" in s]
        # the outer resident query is limited to the municipality, the consent look-up is not
        assert "resident.municipality_id" in sql, sql
        assert "consent.municipality_id" not in sql, sql
