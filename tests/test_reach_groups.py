"""Reach groups: the municipality manages its groups; a resident's page assigns them with
consent; a group that reveals health is shown and edited only with core.privacy.special,
and each such read is audited as privacy.special_read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.access import service as access
from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.reach.models import ReachGroup, ResidentReachGroup
from intranet.residents.models import Resident
from intranet.testing.helpers import form_errors, post, signed_in


@pytest.fixture
def clerk(demo):  # type: ignore[no-untyped-def]
    return signed_in(demo, "zwolle", "griffier")


def _ids(app) -> tuple[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        anna = db.session.execute(
            select(Resident.id).where(Resident.name == "Anna de Jong")
        ).scalar_one()
        groups = dict(db.session.execute(select(ReachGroup.name, ReachGroup.id)).all())
        return anna, groups


def _special_reads(app) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "privacy.special_read")
            ).scalars()
        )


def _without_special(app) -> None:  # type: ignore[no-untyped-def]
    """Take core.privacy.special from every role in Zwolle (as an access administrator would)."""
    with app.app_context():
        zwolle = municipalities.by_slug("zwolle")
        for role in access.roles_of(zwolle):
            if "core.privacy.special" in role.permission_codes:
                access.update_role(
                    zwolle,
                    role,
                    name=role.name,
                    title=role.title,
                    description=role.description,
                    permissions=role.permission_codes - {"core.privacy.special"},
                )
        db.session.commit()


def _make_groups(clerk) -> None:  # type: ignore[no-untyped-def]
    assert post(clerk, "/zwolle/bereik/groepen", {"name": "Jonge mantelzorgers"}).status_code == 302
    assert (
        post(
            clerk,
            "/zwolle/bereik/groepen",
            {"name": "Licht verstandelijke beperking", "special": "y"},
        ).status_code
        == 302
    )


def test_group_admin_refuses_bad_input(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    _make_groups(clerk)
    for data, message in [
        ({"name": ""}, "Vul de naam van de groep in."),
        ({"name": "x" * 121}, "hoogstens 120 tekens"),
        ({"name": "Jonge mantelzorgers"}, "Er is al een groep met deze naam."),
        ({"name": "Nieuw", "description": "x" * 2001}, "hoogstens 2000 tekens"),
    ]:
        response = post(clerk, "/zwolle/bereik/groepen", data)
        assert response.status_code == 400, data
        assert any(message in e for e in form_errors(response.get_data(as_text=True))), data
    _anna, groups = _ids(demo)
    gid = groups["Jonge mantelzorgers"]
    bad = post(
        clerk, f"/zwolle/bereik/groepen/{gid}/bewerken", {"name": "Licht verstandelijke beperking"}
    )
    assert bad.status_code == 400
    ok = post(
        clerk, f"/zwolle/bereik/groepen/{gid}/bewerken", {"name": "Jonge mantelzorgers (tot 25)"}
    )
    assert ok.status_code == 302
    assert "Jonge mantelzorgers (tot 25)" in clerk.get("/zwolle/bereik/groepen").get_data(
        as_text=True
    )
    member = signed_in(demo, "zwolle", "raadslid")
    assert member.get("/zwolle/bereik/groepen").status_code == 403
    assert post(member, "/zwolle/bereik/groepen", {"name": "Stiekem"}).status_code == 403


def test_assigning_groups_with_consent_and_bad_input(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    _make_groups(clerk)
    anna, groups = _ids(demo)
    url = f"/zwolle/bereik/inwoners/{anna}"
    page = clerk.get(url)
    assert page.status_code == 200
    for data, message in [
        (
            {"group": "", "consent_method": "verbal", "consent_given_on": "01-02-2025"},
            "Kies een groep.",
        ),
        (
            {"group": "999999", "consent_method": "verbal", "consent_given_on": "01-02-2025"},
            "Kies een groep uit de lijst.",
        ),
        (
            {
                "group": str(groups["Jonge mantelzorgers"]),
                "consent_method": "telepathie",
                "consent_given_on": "01-02-2025",
            },
            "Kies hoe de inwoner toestemming heeft gegeven.",
        ),
        (
            {
                "group": str(groups["Jonge mantelzorgers"]),
                "consent_method": "verbal",
                "consent_given_on": "30-02-2025",
            },
            "Vul een geldige datum in",
        ),
        (
            {
                "group": str(groups["Jonge mantelzorgers"]),
                "consent_method": "verbal",
                "consent_given_on": "01-01-2999",
            },
            "De datum kan niet in de toekomst liggen.",
        ),
    ]:
        response = post(clerk, url, data)
        assert response.status_code == 400, data
        assert any(message in e for e in form_errors(response.get_data(as_text=True))), data
    good = {
        "group": str(groups["Jonge mantelzorgers"]),
        "consent_method": "verbal",
        "consent_given_on": "01-02-2025",
    }
    assert post(clerk, url, good).status_code == 302
    assert post(clerk, url, good).status_code == 400  # already in the group
    detail = clerk.get(f"/zwolle/inwoners/{anna}").get_data(as_text=True)
    assert "Jonge mantelzorgers" in detail
    with demo.app_context():
        row = db.session.execute(
            select(ResidentReachGroup).where(
                ResidentReachGroup.resident_id == anna, ResidentReachGroup.recorded_by == "griffier"
            )
        ).scalar_one()
        assert row.consent_method == "verbal" and row.recorded_by == "griffier"
    # another municipality's resident or group: 404, nothing stored
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    assert coordinator.get(f"/zaanstad/bereik/inwoners/{anna}").status_code == 404


def test_special_groups_need_the_special_permission_and_reads_are_audited(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    _make_groups(clerk)
    anna, groups = _ids(demo)
    special = str(groups["Licht verstandelijke beperking"])
    url = f"/zwolle/bereik/inwoners/{anna}"
    data = {"group": special, "consent_method": "written", "consent_given_on": "01-02-2025"}
    assert post(clerk, url, data).status_code == 302
    before = len(_special_reads(demo))
    detail = clerk.get(f"/zwolle/inwoners/{anna}").get_data(as_text=True)
    assert "Licht verstandelijke beperking" in detail
    reads = _special_reads(demo)
    assert len(reads) == before + 1 and reads[-1].actor == "griffier"
    assert reads[-1].object_id == str(anna)

    _without_special(demo)
    clerk = signed_in(demo, "zwolle", "griffier")
    detail = clerk.get(f"/zwolle/inwoners/{anna}").get_data(as_text=True)
    assert "Licht verstandelijke beperking" not in detail
    form = clerk.get(url).get_data(as_text=True)
    assert "Licht verstandelijke beperking" not in form  # neither assigned nor offered
    assert len(_special_reads(demo)) == before + 1  # nothing shown, nothing logged
    refused = post(clerk, url, {**data, "consent_given_on": "02-02-2025"})
    assert refused.status_code == 400  # not among the choices
    with demo.app_context():
        assignment = db.session.execute(
            select(ResidentReachGroup).where(
                ResidentReachGroup.resident_id == anna, ResidentReachGroup.recorded_by == "griffier"
            )
        ).scalar_one()
    removal = post(clerk, f"{url}/{assignment.id}/verwijderen")
    assert removal.status_code == 403
    # the access request withholds it from whoever lacks the permission
    from intranet.privacy import service as privacy

    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        resident = db.session.get(Resident, anna)
        data = privacy.personal_data(zwolle, resident, include_special=False)
        rows = [row for section in data["sections"] for row in section.records]
        assert not any(
            r.get("bijzondere bereikgroep") == "Licht verstandelijke beperking" for r in rows
        )
        assert data["special_withheld"]


def test_access_request_names_how_consent_for_a_reach_group_was_given(demo) -> None:  # type: ignore[no-untyped-def]
    """The reach group's consent reads as the consents above it ("Mondeling …"), not as the
    stored code ``verbal``."""
    from intranet.residents.models import CONSENT_METHODS
    from intranet.tenancy import all_tenants

    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        with all_tenants():
            resident_id = (
                db.session.execute(
                    select(ResidentReachGroup.resident_id).where(
                        ResidentReachGroup.municipality_id == zwolle.id,
                        ResidentReachGroup.consent_method == "verbal",
                    )
                )
                .scalars()
                .first()
            )
        label = str(CONSENT_METHODS["verbal"])
    assert resident_id is not None
    officer = signed_in(demo, "zwolle", "beheerder")
    page = officer.get(f"/zwolle/inwoners/{resident_id}/inzage").get_data(as_text=True)
    # the reach group's record, after the consents (which always named their method)
    section = page.split(">bereikgroep<", 1)[1].split("hoe gegeven", 1)[1][:400]
    assert label in section and ">verbal<" not in section
