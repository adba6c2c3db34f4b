"""Organisations from the registry the committee consulted while preparing an advice: recorded
on the advice's page by the secretariat, only the municipality's own organisations, bad input
refused next to the field, and nothing for those without the permission or from elsewhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.organisations.models import Organisation
from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.adviescommissie.models import AdviceConsultation, AdviceFile

pytestmark = pytest.mark.ldap

BASE = "/zaanstad/adviescommissie"


def _municipality(slug: str) -> Municipality:
    return db.session.execute(select(Municipality).where(Municipality.slug == slug)).scalar_one()


def _setup(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        m, zwolle = _municipality("zaanstad"), _municipality("zwolle")
        advice = AdviceFile(
            municipality_id=m.id,
            subject="Verordening hulpmiddelen",
            policy_area="wmo",
            subject_kind="bylaw",
            received_on=local_today() - timedelta(days=10),
            status="in_progress",
        )
        ours = Organisation(municipality_id=m.id, name="Cliëntenraad Hulpmiddelen")
        theirs = Organisation(municipality_id=zwolle.id, name="Zwolse Zorgaanbieder")
        db.session.add_all([advice, ours, theirs])
        db.session.commit()
        return {"advice": advice.id, "ours": ours.id, "theirs": theirs.id}


def _add(client, ids: dict[str, int], **data):  # type: ignore[no-untyped-def]
    form = {f"raadpleging-{k}": v for k, v in data.items()}
    return post(client, f"{BASE}/dossiers/{ids['advice']}/geraadpleegd", form)


def _count() -> int:
    return db.session.execute(select(func.count(AdviceConsultation.id))).scalar_one()


def test_secretary_records_consulted_organisations(demo) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(demo)
    secretary = signed_in(demo, "zaanstad", "secretaris")
    page = secretary.get(f"{BASE}/dossiers/{ids['advice']}").get_data(as_text=True)
    assert "Cliëntenraad Hulpmiddelen" in page and "Zwolse Zorgaanbieder" not in page
    r = _add(
        secretary,
        ids,
        organisation_id=str(ids["ours"]),
        consulted_on=(local_today() - timedelta(days=2)).isoformat(),
        how="Achterbanbijeenkomst",
    )
    assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    page = secretary.get(f"{BASE}/dossiers/{ids['advice']}").get_data(as_text=True)
    assert "Achterbanbijeenkomst" in page
    printed = secretary.get(f"{BASE}/dossiers/{ids['advice']}/afdrukken").get_data(as_text=True)
    assert "Geraadpleegd voor dit advies" in printed and "Cliëntenraad Hulpmiddelen" in printed
    with demo.app_context():
        (c,) = db.session.execute(select(AdviceConsultation)).scalars()
        assert (c.organisation_id, c.how) == (ids["ours"], "Achterbanbijeenkomst")
        assert db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "adviescommissie.consultation_added")
        ).scalar_one()
        cid = c.id
    r = post(secretary, f"{BASE}/dossiers/{ids['advice']}/geraadpleegd/{cid}/verwijderen", {})
    assert r.status_code == 302
    with demo.app_context():
        assert _count() == 0


def test_bad_input_is_refused_next_to_the_field(demo) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(demo)
    secretary = signed_in(demo, "zaanstad", "secretaris")
    today = local_today().isoformat()
    assert (
        _add(secretary, ids, organisation_id=str(ids["ours"]), consulted_on=today).status_code
        == 302
    )
    for data, message in (
        ({"consulted_on": today}, "Kies de organisatie die is geraadpleegd."),
        ({"organisation_id": "abc", "consulted_on": today}, "Kies een organisatie uit de lijst."),
        (
            {"organisation_id": str(ids["theirs"]), "consulted_on": today},
            "Kies een organisatie uit de lijst.",
        ),
        ({"organisation_id": str(ids["ours"]), "consulted_on": today}, "staat al bij dit advies"),
        ({"organisation_id": str(ids["ours"]), "consulted_on": "gisteren"}, "geldige datum"),
        (
            {
                "organisation_id": str(ids["ours"]),
                "consulted_on": (local_today() + timedelta(days=1)).isoformat(),
            },
            "niet in de toekomst",
        ),
        (
            {"organisation_id": str(ids["ours"]), "consulted_on": today, "how": "x" * 301},
            "hoogstens 300 tekens",
        ),
    ):
        r = _add(secretary, ids, **data)
        assert r.status_code == 400, data
        errors = " ".join(form_errors(r.get_data(as_text=True)))
        assert message in errors, (data, errors)
    with demo.app_context():
        assert _count() == 1


def test_permissions_and_tenant_isolation(demo) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(demo)
    today = local_today().isoformat()
    official = signed_in(demo, "zaanstad", "ambtenaar")
    assert (
        _add(official, ids, organisation_id=str(ids["ours"]), consulted_on=today).status_code == 403
    )
    other = signed_in(demo, "zwolle", "griffier")
    r = post(
        other,
        f"/zwolle/adviescommissie/dossiers/{ids['advice']}/geraadpleegd",
        {"raadpleging-organisation_id": str(ids["ours"]), "raadpleging-consulted_on": today},
    )
    assert r.status_code in (403, 404)
    with demo.app_context():
        assert _count() == 0
