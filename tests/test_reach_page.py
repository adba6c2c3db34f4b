"""The reach page: distinct participants per reach group, per plugin and overall, with every
figure under 5 hidden (page and CSV), the period in the URL, outreach actions, permissions,
tenant isolation and the ``intranet_participants`` hook with plugins enabled and disabled."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.reach import service as reach
from intranet.reach.models import OutreachAction, ReachGroup, ResidentReachGroup
from intranet.residents.models import Resident
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.adviescommissie.models import CommitteeAttendance, CommitteeMeeting, CommitteeMember

PERIOD = "?van=01-01-2021&tot=31-12-2021"


def _people(zwolle, prefix: str, n: int) -> list[Resident]:  # type: ignore[no-untyped-def]
    people = [Resident(municipality_id=zwolle.id, name=f"{prefix} {i}") for i in range(n)]
    db.session.add_all(people)
    db.session.flush()
    return people


def _meeting(zwolle, when: datetime, people: list[Resident]) -> None:  # type: ignore[no-untyped-def]
    meeting = CommitteeMeeting(municipality_id=zwolle.id, starts_at=when)
    db.session.add(meeting)
    db.session.flush()
    for person in people:
        member = CommitteeMember(
            municipality_id=zwolle.id, resident_id=person.id, term_start=date(2020, 1, 1)
        )
        db.session.add(member)
        db.session.flush()
        db.session.add(
            CommitteeAttendance(
                municipality_id=zwolle.id, meeting_id=meeting.id, member_id=member.id
            )
        )


def _group(zwolle, name: str, people: list[Resident], special: bool = False) -> ReachGroup:  # type: ignore[no-untyped-def]
    group = ReachGroup(municipality_id=zwolle.id, name=name, special=special)
    db.session.add(group)
    db.session.flush()
    for person in people:
        db.session.add(
            ResidentReachGroup(
                municipality_id=zwolle.id,
                resident_id=person.id,
                group_id=group.id,
                consent_method="verbal",
                consent_given_on=date(2021, 1, 1),
            )
        )
    return group


@pytest.fixture
def reached(demo):  # type: ignore[no-untyped-def]
    """In 2021 seven residents sat in an advisory committee meeting in Zwolle: three young
    carers, six people in debt; nobody in Zwolle belongs to 'Eerste keer'."""
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        people = _people(zwolle, "Deelnemer", 8)
        _meeting(zwolle, datetime(2021, 3, 10, 18, 0, tzinfo=UTC), people[:7])
        _group(zwolle, "Jonge mantelzorgers", people[:3])
        _group(zwolle, "Mensen met schulden", people[1:7])
        _group(zwolle, "Eerste keer", [])
        db.session.commit()
    return demo


def _cells(html: str, row: str) -> list[str]:
    match = re.search(rf'scope="row">{re.escape(row)}</th>(.*?)</tr>', html, re.S)
    assert match, row
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def test_small_cells_are_suppressed_on_the_page(reached) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(reached, "zwolle", "griffier")
    response = clerk.get("/zwolle/bereik/" + PERIOD)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Adviescommissie" in html
    # one column per enabled plugin (raadsgesprekken, adviescommissie) and the total
    # columns: adviescommissie, raadsgesprekken (nobody in 2021), total
    assert _cells(html, "Jonge mantelzorgers") == ["&lt; 5", "0", "&lt; 5"]
    assert _cells(html, "Mensen met schulden") == ["6", "0", "6"]
    assert _cells(html, "Eerste keer") == ["0", "0", "0"]
    assert _cells(html, "Alle deelnemers") == ["7", "0", "7"]
    assert ">3<" not in html


def test_a_total_does_not_give_away_a_hidden_cell(demo) -> None:  # type: ignore[no-untyped-def]
    """A row with one hidden plugin cell hides a second one, else total minus the shown
    cells would tell the hidden figure."""
    cells = {("g", "a"): 3, ("g", "b"): 9, ("g", reach.TOTAL): 12}
    hidden = reach.suppress(cells, ["g"], ["a", "b"])
    assert hidden == {("g", "a"), ("g", "b")}
    # two hidden cells already: the total stays
    cells = {("g", "a"): 3, ("g", "b"): 2, ("g", "c"): 8, ("g", reach.TOTAL): 13}
    assert reach.suppress(cells, ["g"], ["a", "b", "c"]) == {("g", "a"), ("g", "b")}
    # nothing small: nothing hidden; a zero points at nobody
    cells = {("g", "a"): 5, ("g", "b"): 0, ("g", reach.TOTAL): 5}
    assert reach.suppress(cells, ["g"], ["a", "b"]) == set()
    # the everyone row follows the same rule
    cells = {(reach.ALL, "a"): 4, (reach.ALL, "b"): 20, (reach.ALL, reach.TOTAL): 22}
    assert reach.suppress(cells, [], ["a", "b"]) == {(reach.ALL, "a"), (reach.ALL, "b")}


def test_small_cells_are_suppressed_in_the_csv(reached) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(reached, "zwolle", "griffier")
    response = clerk.get("/zwolle/bereik/export.csv" + PERIOD)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    rows = {line.split(";")[0]: line.split(";")[1:] for line in lines[1:]}
    assert rows["Jonge mantelzorgers"] == ["< 5", "0", "< 5"]
    assert rows["Mensen met schulden"] == ["6", "0", "6"]
    assert "3" not in rows["Jonge mantelzorgers"]
    exported = db_events(reached, "reach.exported")
    assert exported and exported[-1].details["start"] == "2021-01-01"


def db_events(app, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def test_the_period_filters_and_stays_in_the_url(reached) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(reached, "zwolle", "griffier")
    html = clerk.get("/zwolle/bereik/?van=01-01-2022&tot=31-12-2022").get_data(as_text=True)
    assert _cells(html, "Mensen met schulden")[-1] == "0"  # nobody in 2022
    # the date input reads 2022-01-01 (it would drop 01-01-2022 and show an empty box)
    assert 'type="date"' in html and 'value="2022-01-01"' in html
    assert "export.csv?van=01-01-2022&amp;tot=31-12-2022" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("?van=31-02-2021", "Vul een geldige datum in"),
        ("?van=morgen", "Vul een geldige datum in"),
        ("?van=01-06-2021&tot=01-01-2021", "De einddatum ligt vóór de begindatum."),
    ],
)
def test_bad_period_is_a_dutch_error_not_a_500(reached, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(reached, "zwolle", "griffier")
    response = clerk.get("/zwolle/bereik/" + query)
    assert response.status_code == 400
    assert any(message in e for e in form_errors(response.get_data(as_text=True)))
    # the CSV never answers with unreadable dates: back to the page
    assert clerk.get("/zwolle/bereik/export.csv" + query).status_code == 302


def test_outreach_actions_are_recorded_and_bad_input_refused(reached) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(reached, "zwolle", "griffier")
    with reached.app_context():
        group = db.session.execute(
            select(ReachGroup).where(ReachGroup.name == "Jonge mantelzorgers")
        ).scalar_one()
        group_id = group.id
    for data, message in [
        ({"done_on": "32-01-2021", "description": "Flyers"}, "Vul een geldige datum in"),
        ({"done_on": "01-03-2021", "description": ""}, "Beschrijf wat er is gedaan"),
        ({"done_on": "01-03-2099", "description": "Later"}, "de datum ligt in de toekomst"),
        (
            {"done_on": "01-03-2021", "description": "x", "group": "999999"},
            "Kies een groep uit de lijst.",
        ),
        (
            {"done_on": "01-03-2021", "description": "x", "group": "abc"},
            "Kies een groep uit de lijst.",
        ),
    ]:
        response = post(clerk, "/zwolle/bereik/acties", data)
        assert response.status_code == 400, data
        assert any(message in e for e in form_errors(response.get_data(as_text=True))), data
    response = post(
        clerk,
        "/zwolle/bereik/acties",
        {"done_on": "15-03-2021", "group": str(group_id), "description": "Bezoek mantelzorgcafé"},
    )
    assert response.status_code == 302
    html = clerk.get("/zwolle/bereik/" + PERIOD).get_data(as_text=True)
    assert "Bezoek mantelzorgcafé" in html
    with reached.app_context():
        action = db.session.execute(
            select(OutreachAction).where(OutreachAction.description == "Bezoek mantelzorgcafé")
        ).scalar_one()
        assert action.recorded_by == "griffier" and action.done_on == date(2021, 3, 15)
    assert db_events(reached, "reach.action_recorded")


def test_permissions(reached) -> None:  # type: ignore[no-untyped-def]
    member = signed_in(reached, "zwolle", "raadslid")
    for url in ("/zwolle/bereik/", "/zwolle/bereik/export.csv", "/zwolle/bereik/groepen"):
        assert member.get(url).status_code == 403
    assert post(member, "/zwolle/bereik/acties", {"description": "x"}).status_code == 403


def test_tenant_isolation(reached) -> None:  # type: ignore[no-untyped-def]
    """Zaanstad's coordinator sees Zaanstad's groups only, and none of Zwolle's participants."""
    coordinator = signed_in(reached, "zaanstad", "coordinator")
    html = coordinator.get("/zaanstad/bereik/" + PERIOD).get_data(as_text=True)
    assert "Jonge mantelzorgers" not in html and "Mensen met schulden" not in html
    assert _cells(html, "Alle deelnemers")[0] == "0"  # adviescommissie: nobody in Zaanstad
    with reached.app_context():
        group = db.session.execute(
            select(ReachGroup).where(ReachGroup.name == "Jonge mantelzorgers")
        ).scalar_one()
        group_id = group.id
    assert coordinator.get(f"/zaanstad/bereik/groepen/{group_id}/bewerken").status_code == 404
    # and a Zwolle employee cannot use Zaanstad's page
    assert signed_in(reached, "zwolle", "griffier").get("/zaanstad/bereik/").status_code in (
        403,
        404,
    )


def test_hook_intranet_participants_with_plugins_enabled_and_disabled(reached) -> None:  # type: ignore[no-untyped-def]
    with reached.app_context():
        zwolle = municipalities.by_slug("zwolle")
        found = reach.participants_per_plugin(zwolle, date(2021, 1, 1), date(2022, 1, 1))
        assert len(found["adviescommissie"]) == 7
        assert found["raadsgesprekken"] == set()
        # the day boundary is Amsterdam's: a meeting on 10 March counts from that day on
        assert (
            len(
                reach.participants_per_plugin(zwolle, date(2021, 3, 11), date(2022, 1, 1))[
                    "adviescommissie"
                ]
            )
            == 0
        )
        municipalities.set_plugin_enabled(zwolle, "adviescommissie", False, actor="test")
        db.session.commit()
    with reached.app_context():
        zwolle = municipalities.by_slug("zwolle")
        found = reach.participants_per_plugin(zwolle, date(2021, 1, 1), date(2022, 1, 1))
        assert "adviescommissie" not in found and "raadsgesprekken" in found
    html = signed_in(reached, "zwolle", "griffier").get("/zwolle/bereik/" + PERIOD)
    assert "Adviescommissie" not in html.get_data(as_text=True)
