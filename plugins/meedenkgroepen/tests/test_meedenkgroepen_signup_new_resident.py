"""Signing someone up to a group can register a new resident on the spot (issue 14, defects):
one form, the resident lands in the registry with the group's consent, audited; a refused
form saves nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from test_meedenkgroepen_support import BASE, municipality

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import GROUP_CONSENT, Group, Membership


def _group(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        group = Group(
            municipality_id=municipality("zaanstad").id,
            theme="Ter plekke",
            status="actief",
            mailbox="",
        )
        db.session.add(group)
        db.session.commit()
        return group.id


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _signup(**extra: str) -> dict[str, str]:
    return {"signed_up_on": local_today().isoformat(), "channel": "telefoon", **extra}


def test_a_new_resident_is_registered_while_signing_up(demo) -> None:  # type: ignore[no-untyped-def]
    gid = _group(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/groepen/{gid}").get_data(as_text=True)
    assert "Nieuwe inwoner: vul hieronder naam en gegevens in" in page
    assert 'name="new_name"' in page
    r = post(
        c,
        f"{BASE}/groepen/{gid}/aanmelden",
        _signup(resident_id="0", new_name="Henk ter Plekke", new_email="henk@example.org"),
    )
    assert r.status_code == 302
    with demo.app_context():
        resident = db.session.execute(
            select(Resident).where(Resident.name == "Henk ter Plekke")
        ).scalar_one()
        assert resident.email == "henk@example.org"
        assert resident.municipality_id == municipality("zaanstad").id
        membership = db.session.execute(
            select(Membership).where(Membership.resident_id == resident.id)
        ).scalar_one()
        assert membership.group_id == gid
        consent = db.session.execute(
            select(Consent).where(Consent.resident_id == resident.id)
        ).scalar_one()
        assert consent.purpose == GROUP_CONSENT
        created = db.session.execute(
            select(AuditEvent).where(
                AuditEvent.action == "resident.created", AuditEvent.object_id == str(resident.id)
            )
        ).scalar_one()
        assert created.actor == "coordinator"
    assert "Henk ter Plekke" in c.get(f"{BASE}/groepen/{gid}").get_data(as_text=True)


def test_refused_signups_save_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    gid = _group(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    residents, members = _count(demo, Resident), _count(demo, Membership)
    cases = [
        (_signup(resident_id="0"), "Vul de naam van de nieuwe inwoner in"),
        (_signup(resident_id="0", new_name="Anna", new_email="geen-adres"), "geldig e-mailadres"),
        (_signup(resident_id="0", new_name="x" * 201), "Hoogstens 200 tekens."),
    ]
    with demo.app_context():
        existing = (
            db.session.execute(
                select(Resident.id).where(Resident.municipality_id == municipality("zaanstad").id)
            )
            .scalars()
            .first()
        )
    cases.append(
        (_signup(resident_id=str(existing), new_name="Ook nieuw"), "Kies ‘Nieuwe inwoner’")
    )
    for data, message in cases:
        r = post(c, f"{BASE}/groepen/{gid}/aanmelden", data)
        assert r.status_code == 400, data
        assert any(message in e for e in form_errors(r.get_data(as_text=True))), data
    assert (_count(demo, Resident), _count(demo, Membership)) == (residents, members)


def test_without_the_registry_permission_no_new_resident(demo) -> None:  # type: ignore[no-untyped-def]
    """An employee who may manage groups but not the registry cannot register residents."""
    from intranet.access.models import RolePermission
    from intranet.tenancy import all_tenants

    gid = _group(demo)
    with demo.app_context(), all_tenants():
        for row in db.session.execute(
            select(RolePermission).where(RolePermission.code == "core.residents.edit")
        ).scalars():
            db.session.delete(row)
        db.session.commit()
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/groepen/{gid}").get_data(as_text=True)
    assert 'name="new_name"' not in page
    residents = _count(demo, Resident)
    r = post(c, f"{BASE}/groepen/{gid}/aanmelden", _signup(resident_id="0", new_name="Stiekem"))
    assert r.status_code == 400 and _count(demo, Resident) == residents
