"""The working group's preparatory conversations can name an organisation from the core's
registry as the participant; another municipality's organisation is refused."""

from __future__ import annotations

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.organisations.models import Organisation
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.raadsgesprekken.models import StakeholderMeeting

URL = "/zwolle/raadsgesprekken/werkgroep"


def _organisation(app, slug: str, name: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        org = Organisation(
            municipality_id=municipalities.by_slug(slug).id, name=name, kind="care_provider"
        )
        db.session.add(org)
        db.session.commit()
        return org.id


def test_a_stakeholder_meeting_records_an_organisation(demo) -> None:  # type: ignore[no-untyped-def]
    ours = _organisation(demo, "zwolle", "Zorggroep IJssel")
    theirs = _organisation(demo, "zaanstad", "Zorg Zaan")
    griffier = signed_in(demo, "zwolle", "griffier")
    page = griffier.get(URL).get_data(as_text=True)
    assert "Zorggroep IJssel" in page and "Zorg Zaan" not in page
    base = {"held_on": "01-02-2025", "with_whom": "Directeur zorg", "by_whom": "Werkgroep"}
    for bad in (str(theirs), "abc"):
        response = post(griffier, URL, {**base, "organisation": bad})
        assert response.status_code == 400
        errors = form_errors(response.get_data(as_text=True))
        assert "Kies een organisatie uit de lijst." in errors
    assert post(griffier, URL, {**base, "organisation": str(ours)}).status_code == 302
    assert post(griffier, URL, {**base, "with_whom": "Zonder organisatie"}).status_code == 302
    with demo.app_context():
        rows = db.session.execute(
            select(StakeholderMeeting.with_whom, StakeholderMeeting.organisation_id).order_by(
                StakeholderMeeting.id
            )
        ).all()
        assert ("Directeur zorg", ours) in rows and ("Zonder organisatie", None) in rows
    assert "Directeur zorg (Zorggroep IJssel)" in griffier.get(URL).get_data(as_text=True)
