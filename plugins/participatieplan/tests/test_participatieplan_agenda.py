"""The reform agenda, workstreams and milestones: forms with Dutch errors next to the fields
(400, nothing typed lost), permissions (plan editor, reader, neither), tenant isolation, the
year view and what is late."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from intranet_participatieplan.models import Agenda, Milestone, Workstream
from participatieplan_fixtures import EDITOR, OUTSIDER, READER, first, load_plan
from sqlalchemy import func, select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import local_today

BASE = "/zwolle/participatieplan"


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_editor_puts_in_an_agenda_with_two_workstreams(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    response = post(
        client,
        f"{BASE}/agenda/nieuw",
        {
            "title": "Hervormingsagenda 2027",
            "summary": "Samen met inwoners en zorgpartijen.",
            "adopted_by": "College van B&W",
            "adopted_on": "2026-11-03",
            "budget_context": "11 miljoen euro terugbrengen.",
        },
    )
    assert response.status_code == 302
    agenda_id = first(plan, Agenda, title="Hervormingsagenda 2027")
    for title in ("Sociale basis 2027", "Inkoop en organisatie van zorg 2027"):
        response = post(
            client,
            f"{BASE}/agenda/{agenda_id}/werkstromen/nieuw",
            {
                "title": title,
                "description": "",
                "status": "lopend",
                "owner_id": "",
                "internal_notes": "",
            },
        )
        assert response.status_code == 400  # no owner chosen
        assert "Kies een eigenaar." in form_errors(response.get_data(as_text=True))
        page = client.get(f"{BASE}/agenda/{agenda_id}/werkstromen/nieuw").get_data(as_text=True)
        owner = re.search(r'<option selected value="(\d+)"', page) or re.search(
            r'<option value="(\d+)" selected', page
        )
        assert owner, "the signed-in editor is preselected as owner"
        response = post(
            client,
            f"{BASE}/agenda/{agenda_id}/werkstromen/nieuw",
            {"title": title, "status": "lopend", "owner_id": owner.group(1)},
        )
        assert response.status_code == 302
    body = client.get(f"{BASE}/agenda/{agenda_id}").get_data(as_text=True)
    assert "Sociale basis 2027" in body and "Inkoop en organisatie van zorg 2027" in body
    assert "College van B&amp;W" in body
    with plan.app_context():
        actions = set(db.session.execute(select(AuditEvent.action)).scalars())
    assert {"participatieplan.agenda.created", "participatieplan.workstream.created"} <= actions


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"title": ""}, "Vul de titel van de agenda in."),
        ({"title": "x" * 201}, "Hoogstens 200 tekens."),
        ({"title": "Agenda", "adopted_on": "31-31-2026"}, "Vul een geldige datum in"),
    ],
)
def test_agenda_form_refuses_bad_input_in_dutch(plan, data, field_error) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    before = _count(plan, Agenda)
    data = {"summary": "Wat ik al typte", **data}
    response = post(client, f"{BASE}/agenda/nieuw", data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert any(field_error in e for e in form_errors(body)), form_errors(body)
    assert "Wat ik al typte" in body  # nothing typed is lost
    assert _count(plan, Agenda) == before


def test_workstream_and_milestone_forms_refuse_bad_input(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    agenda_id = first(plan, Agenda)
    workstream_id = first(plan, Workstream)
    response = post(
        client,
        f"{BASE}/agenda/{agenda_id}/werkstromen/nieuw",
        {"title": "", "status": "bestaat-niet", "owner_id": "abc", "internal_notes": "notitie"},
    )
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul de naam van de werkstroom in." in errors
    assert "Kies een van de statussen." in errors
    assert "notitie" in response.get_data(as_text=True)

    before = _count(plan, Milestone)
    response = post(
        client,
        f"{BASE}/werkstromen/{workstream_id}/mijlpalen/nieuw",
        {
            "title": "Plan klaar",
            "due_on": "",
            "done_on": (local_today() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul de datum van de mijlpaal in." in errors
    assert "Een mijlpaal kan niet in de toekomst bereikt zijn." in errors
    assert _count(plan, Milestone) == before
    response = post(
        client,
        f"{BASE}/werkstromen/{workstream_id}/mijlpalen/nieuw",
        {"title": "Plan klaar", "due_on": "2026-02-30"},
    )
    assert response.status_code == 400
    assert any("geldige datum" in e for e in form_errors(response.get_data(as_text=True)))


def test_reader_reads_but_does_not_edit_and_an_outsider_gets_403(plan) -> None:  # type: ignore[no-untyped-def]
    agenda_id = first(plan, Agenda)
    workstream_id = first(plan, Workstream)
    milestone_id = first(plan, Milestone)
    reader = signed_in(plan, "zwolle", READER)
    for path in (
        "/",
        f"/agenda/{agenda_id}",
        f"/werkstromen/{workstream_id}",
        "/jaar",
        "/momenten",
    ):
        assert reader.get(BASE + path).status_code == 200, path
    edits = [
        "/agenda/nieuw",
        f"/agenda/{agenda_id}/bewerken",
        f"/agenda/{agenda_id}/werkstromen/nieuw",
        f"/werkstromen/{workstream_id}/bewerken",
        f"/werkstromen/{workstream_id}/mijlpalen/nieuw",
        f"/mijlpalen/{milestone_id}/bewerken",
        f"/werkstromen/{workstream_id}/momenten/nieuw",
    ]
    for path in edits:
        assert reader.get(BASE + path).status_code == 403, path
        assert post(reader, BASE + path, {"title": "poging"}).status_code == 403, path
    body = reader.get(f"{BASE}/werkstromen/{workstream_id}").get_data(as_text=True)
    assert "Werkstroom wijzigen" not in body
    outsider = signed_in(plan, "zwolle", OUTSIDER)
    for path in ("/", f"/agenda/{agenda_id}", "/jaar", "/werkateliers", "/personas"):
        assert outsider.get(BASE + path).status_code == 403, path


def test_another_municipality_cannot_reach_zwolles_plan(plan) -> None:  # type: ignore[no-untyped-def]
    load_plan(plan, "zaanstad")  # switched on there too, with its roles, but no data
    agenda_id = first(plan, Agenda)
    workstream_id = first(plan, Workstream)
    milestone_id = first(plan, Milestone)
    client = signed_in(plan, "zaanstad", "ambtenaar")  # plan editor in Zaanstad
    base = "/zaanstad/participatieplan"
    assert client.get(f"{base}/").status_code == 200
    assert "Sociale basis" not in client.get(f"{base}/").get_data(as_text=True)
    for path in (
        f"/agenda/{agenda_id}",
        f"/werkstromen/{workstream_id}",
        f"/mijlpalen/{milestone_id}/bewerken",
    ):
        assert client.get(base + path).status_code == 404, path
    response = post(
        client, f"{base}/werkstromen/{workstream_id}/bewerken", {"title": "overgenomen"}
    )
    assert response.status_code == 404
    with plan.app_context():
        assert db.session.get(Workstream, workstream_id).title != "overgenomen"
    # and the Zwolle editor cannot use a Zaanstad URL either
    assert signed_in(plan, "zwolle", EDITOR).get(f"{base}/").status_code in (302, 403, 404)


def test_year_view_and_late_milestones(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    body = client.get(f"{BASE}/").get_data(as_text=True)
    # the demo has one milestone 20 days past its date and not done
    assert (
        "Uitgangspunten inkoop besproken met zorgaanbieders" in body.split("Mijlpalen te laat")[1]
    )
    year = local_today().year
    page = client.get(f"{BASE}/jaar?jaar={year}").get_data(as_text=True)
    assert f"Jaaroverzicht {year}" in page
    assert "Plan van aanpak met planning vastgesteld" in page  # due 15 December this year
    # the late milestone sits in the year of its date: last year in early January
    late_year = (local_today() - timedelta(days=20)).year
    late = client.get(f"{BASE}/jaar?jaar={late_year}").get_data(as_text=True)
    assert "te laat" in late
    assert client.get(f"{BASE}/jaar?jaar=rommel").status_code == 200
    assert client.get(f"{BASE}/jaar?jaar=99999").status_code == 200
    empty = client.get(f"{BASE}/jaar?jaar=2001").get_data(as_text=True)
    assert empty.count("Niets gepland.") == 12
    assert ">Januari</h2>" in empty and ">December</h2>" in empty
    post(client, "/taal/en", {"next": f"{BASE}/jaar"})
    english = client.get(f"{BASE}/jaar?jaar=2001").get_data(as_text=True)
    assert ">January</h2>" in english and "Januari" not in english  # the reader's months
