"""Organisations from the registry at a think-along meeting: recorded with the attendance,
their contact persons get the outcomes (with the group consent), the ledger names them as
contributors of the meeting's outcomes; only the municipality's own organisations."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, municipality, resident

from intranet.extensions import db
from intranet.feedback import service as feedback
from intranet.municipalities import service
from intranet.organisations.models import Organisation, OrganisationContact
from intranet.plugin_api import local_today
from intranet.residents.models import Consent
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import (
    GROUP_CONSENT,
    Group,
    Meeting,
    MeetingOrganisation,
    Outcome,
)

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


def _setup(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        m, zwolle = municipality("zaanstad"), municipality("zwolle")
        group = Group(municipality_id=m.id, theme="Mantelzorg in de wijk", status="actief")
        db.session.add(group)
        db.session.flush()
        meeting = Meeting(
            municipality_id=m.id, group_id=group.id, starts_at=utcnow() - timedelta(days=1)
        )
        db.session.add(meeting)
        db.session.flush()
        db.session.add(
            Outcome(municipality_id=m.id, meeting_id=meeting.id, text="Een vast aanspreekpunt")
        )
        org = Organisation(municipality_id=m.id, name="Steunpunt Mantelzorg", kind="care_provider")
        theirs = Organisation(municipality_id=zwolle.id, name="Zwols Steunpunt")
        db.session.add_all([org, theirs])
        db.session.flush()
        contact = resident(m, "Dina Contact", "dina@example.org")
        db.session.add_all(
            [
                OrganisationContact(
                    municipality_id=m.id, organisation_id=org.id, resident_id=contact.id
                ),
                Consent(
                    municipality_id=m.id,
                    resident_id=contact.id,
                    purpose=GROUP_CONSENT,
                    method="form",
                    given_on=local_today() - timedelta(days=5),
                ),
            ]
        )
        db.session.commit()
        return {"meeting": meeting.id, "org": org.id, "theirs": theirs.id}


def _orgs(app, meeting_id: int) -> set[int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return set(
            db.session.execute(
                select(MeetingOrganisation.organisation_id).where(
                    MeetingOrganisation.meeting_id == meeting_id
                )
            ).scalars()
        )


def test_organisation_at_a_meeting_hears_the_outcomes_and_is_in_the_ledger(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "coordinator")
    url = f"{BASE}/bijeenkomsten/{ids['meeting']}"
    page = c.get(url).get_data(as_text=True)
    assert "Steunpunt Mantelzorg" in page and "Zwols Steunpunt" not in page
    r = post(c, f"{url}/aanwezigheid", {"organisations": [str(ids["org"])]})
    assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    assert _orgs(app, ids["meeting"]) == {ids["org"]}
    r = post(c, f"{url}/opbrengsten-mailen", {})
    assert r.status_code == 302
    assert [m["To"] for m in smtp.messages] == ["dina@example.org"]
    with app.test_request_context("/zaanstad/"):
        outcome_id = db.session.execute(
            select(Outcome.id).where(Outcome.meeting_id == ids["meeting"])
        ).scalar_one()
        item = next(
            i
            for i in feedback.contributions(service.by_slug("zaanstad"))
            if i.plugin == "meedenkgroepen" and i.key == f"outcome-{outcome_id}"
        )
        assert item.organisation == "Steunpunt Mantelzorg"
    # unticking removes it again
    assert post(c, f"{url}/aanwezigheid", {"organisations": ""}).status_code == 302
    assert _orgs(app, ids["meeting"]) == set()


def test_unknown_or_foreign_organisations_are_refused(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    c = signed_in(app, "zaanstad", "coordinator")
    url = f"{BASE}/bijeenkomsten/{ids['meeting']}/aanwezigheid"
    assert post(c, url, {"organisations": [str(ids["org"])]}).status_code == 302
    for values in ([str(ids["theirs"])], ["abc"], [str(ids["org"]), "99999999"]):
        r = post(c, url, {"organisations": values})
        assert r.status_code == 400, values
        assert "Kies alleen organisaties uit de lijst." in " ".join(
            form_errors(r.get_data(as_text=True))
        )
    assert _orgs(app, ids["meeting"]) == {ids["org"]}


def test_permissions_and_tenant_isolation(demo) -> None:  # type: ignore[no-untyped-def]
    app = demo
    ids = _setup(app)
    official = signed_in(app, "zaanstad", "ambtenaar")
    url = f"{BASE}/bijeenkomsten/{ids['meeting']}/aanwezigheid"
    assert post(official, url, {"organisations": [str(ids["org"])]}).status_code == 403
    other = signed_in(app, "zwolle", "griffier")
    r = post(
        other,
        f"/zwolle/meedenkgroepen/bijeenkomsten/{ids['meeting']}/aanwezigheid",
        {"organisations": [str(ids["org"])]},
    )
    assert r.status_code in (403, 404)
    assert _orgs(app, ids["meeting"]) == set()
