"""Inputs at the edges that once slipped past validation: whitespace in an optional select,
digits that ``str.isdigit`` accepts and ``int`` refuses, a trailing line break that ``$``
lets through, and an underscore in a search. Each gets a Dutch error or simply works; none
gives a 500 or stores a near-duplicate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet.access.models import Role
from intranet.extensions import db
from intranet.municipalities import service
from intranet.reach.models import OutreachAction
from intranet.residents.models import Resident
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import local_today
from intranet.web.listing import parse_id, parse_ids
from plugins.raadsgesprekken.models import StakeholderMeeting


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("text", ["12", " 7 ", "7\n", "123456789"])
def test_parse_id_takes_plain_digits(text: str) -> None:
    assert parse_id(text) == int(text)


@pytest.mark.parametrize("text", [None, "", "²", "①", "٣", "１", "-1", "1e3", "1234567890"])
def test_parse_id_refuses_what_is_no_plain_id(text: str | None) -> None:
    assert parse_id(text) is None


@pytest.mark.parametrize("blank", ["  ", "\t", "\n"])
def test_whitespace_as_the_reach_actions_group_is_refused_in_dutch(demo, blank: str) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    before = _count(demo, OutreachAction)
    response = post(
        clerk,
        "/zwolle/bereik/acties",
        {"done_on": local_today().strftime("%d-%m-%Y"), "description": "Flyers", "group": blank},
    )
    assert response.status_code in (200, 400)
    assert "Kies een groep uit de lijst." in form_errors(response.get_data(as_text=True))
    assert _count(demo, OutreachAction) == before


def test_whitespace_as_the_workgroups_organisation_is_refused_in_dutch(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    before = _count(demo, StakeholderMeeting)
    response = post(
        clerk,
        "/zwolle/raadsgesprekken/werkgroep",
        {
            "held_on": local_today().strftime("%d-%m-%Y"),
            "with_whom": "Zorgaanbieder",
            "organisation": "  ",
        },
    )
    assert response.status_code in (200, 400)
    errors = form_errors(response.get_data(as_text=True))
    assert any("Kies een organisatie uit de lijst." in e for e in errors), errors
    assert _count(demo, StakeholderMeeting) == before


@pytest.mark.parametrize("digit", ["²", "①", "٣"])
def test_a_non_ascii_digit_as_resident_in_the_address_is_ignored(demo, digit: str) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    response = clerk.get(f"/zwolle/raadsgesprekken/aanvragen/nieuw?inwoner={digit}")
    assert response.status_code == 200
    ticked = clerk.get("/zwolle/raadsgesprekken/aanvragen/samen-inplannen?samen=1,²")
    assert ticked.status_code < 500


def test_a_role_name_with_a_trailing_line_break_is_refused(demo) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in(demo, "zwolle", "beheerder")
    before = _count(demo, Role)
    response = post(admin, "/zwolle/toegang/rollen/", {"name": "medewerker\n", "title": "Dubbel"})
    assert response.status_code == 400
    assert any("kleine letters" in e for e in form_errors(response.get_data(as_text=True)))
    assert _count(demo, Role) == before


def test_search_finds_an_address_with_an_underscore(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        db.session.add(
            Resident(
                municipality_id=zwolle.id, name="Zoë Ödegaard", email="zoe_odegaard@example.nl"
            )
        )
        db.session.commit()
    clerk = signed_in(demo, "zwolle", "griffier")
    for query in ("zoe_odegaard", "zoe_odegaard@example.nl"):
        page = clerk.get("/zwolle/inwoners/", query_string={"q": query}).get_data(as_text=True)
        assert "Zoë Ödegaard" in page, query
    assert "Zoë Ödegaard" not in clerk.get("/zwolle/inwoners/?q=zoe%25x").get_data(as_text=True)


def test_parse_ids_keeps_the_ids_in_order_and_drops_the_rest() -> None:
    assert parse_ids(["3", "²", " 1 ", "", "x", "1234567890", "2"]) == [3, 1, 2]
