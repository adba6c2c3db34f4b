"""Participation moments: the ladder and status rules, the form, and links to activities of
other plugins when that plugin is enabled, disabled or not installed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from intranet_participatieplan.models import Moment, Workstream
from intranet_participatieplan.rules import (
    MomentFacts,
    input_errors,
    moment_errors,
    moment_is_late,
    needs_report_back,
    shown_state,
)
from participatieplan_fixtures import EDITOR, READER, enable, first, valid_moment
from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import local_today

BASE = "/zwolle/participatieplan"
TODAY = date(2026, 12, 1)


# -- the rules, as pure functions -----------------------------------------------------------
def facts(**kw) -> MomentFacts:  # type: ignore[no-untyped-def]
    values = {"status": "gepland", "planned_on": TODAY, "outcome": "", "outcome_reported_on": None}
    values.update(kw)
    return MomentFacts(**values)


def test_a_planned_or_held_moment_needs_a_date() -> None:
    assert "planned_on" in moment_errors(facts(planned_on=None), TODAY)
    assert "planned_on" in moment_errors(facts(status="gehouden", planned_on=None), TODAY)
    assert moment_errors(facts(status="concept", planned_on=None), TODAY) == {}


def test_held_only_on_or_after_its_date() -> None:
    assert "status" in moment_errors(
        facts(status="gehouden", planned_on=TODAY + timedelta(days=1)), TODAY
    )
    assert moment_errors(facts(status="gehouden", planned_on=TODAY), TODAY) == {}


def test_an_outcome_only_when_held_and_reported_only_after_it() -> None:
    for status in ("concept", "gepland", "afgelast"):
        assert "outcome" in moment_errors(facts(status=status, outcome="Iets"), TODAY)
    held = {"status": "gehouden", "planned_on": TODAY - timedelta(days=5)}
    assert moment_errors(facts(**held, outcome="Drie ideeën"), TODAY) == {}
    assert "outcome_reported_on" in moment_errors(facts(**held, outcome_reported_on=TODAY), TODAY)
    assert "outcome_reported_on" in moment_errors(
        facts(**held, outcome="x", outcome_reported_on=TODAY + timedelta(days=1)), TODAY
    )
    assert "outcome_reported_on" in moment_errors(
        facts(**held, outcome="x", outcome_reported_on=TODAY - timedelta(days=6)), TODAY
    )
    assert moment_errors(facts(**held, outcome="x", outcome_reported_on=TODAY), TODAY) == {}


def test_a_past_date_cannot_stay_planned_it_shows_as_late() -> None:
    yesterday = TODAY - timedelta(days=1)
    assert moment_is_late("gepland", yesterday, TODAY)
    assert shown_state("gepland", yesterday, TODAY) == "te_laat"
    assert not moment_is_late("gepland", TODAY, TODAY)
    assert shown_state("gehouden", yesterday, TODAY) == "gehouden"
    assert not moment_is_late("afgelast", yesterday, TODAY)
    assert needs_report_back("gehouden", None)
    assert not needs_report_back("gehouden", TODAY)
    assert not needs_report_back("gepland", None)


def test_input_not_used_needs_a_reason() -> None:
    assert "reason" in input_errors("niet_gebruikt", "  ")
    assert input_errors("niet_gebruikt", "Buiten deze werkstroom") == {}
    assert input_errors("gebruikt", "") == {}


# -- the form ---------------------------------------------------------------------------------
def _new(client, workstream_id: int, **overrides):  # type: ignore[no-untyped-def]
    return post(
        client, f"{BASE}/werkstromen/{workstream_id}/momenten/nieuw", valid_moment(**overrides)
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Vul de titel van het moment in."),
        ({"parties": []}, "Kies minstens één partij die wordt betrokken."),
        ({"parties": ["inwoners", "marsmannetjes"]}, "Kies alleen uit de getoonde mogelijkheden."),
        ({"ladder": "alles"}, "Kies een van de treden."),
        ({"form": "telepathie"}, "Kies een van de vormen."),
        ({"status": "gepland"}, "Vul de datum in: een gepland of gehouden moment heeft een datum."),
        ({"planned_on": "morgen"}, "Vul een geldige datum in"),
        ({"outcome": "Iets opgeleverd"}, "Een opbrengst leg je vast als het moment is gehouden."),
        ({"milestone_id": "abc"}, "Kies een mijlpaal van deze werkstroom."),
        ({"target": "meedenkgroepen|group:999999"}, "Kies een activiteit uit de lijst."),
    ],
)
def test_moment_form_refuses_bad_input_in_dutch(plan, overrides, message) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    workstream_id = first(plan, Workstream)
    with plan.app_context():
        before = len(db.session.execute(select(Moment)).scalars().all())
    response = _new(client, workstream_id, description="Mijn uitleg blijft staan", **overrides)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert any(message in e for e in form_errors(body)), form_errors(body)
    assert "Mijn uitleg blijft staan" in body
    with plan.app_context():
        assert len(db.session.execute(select(Moment)).scalars().all()) == before


def test_held_in_the_future_is_refused_next_to_the_status(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    response = _new(
        client,
        first(plan, Workstream),
        status="gehouden",
        planned_on=(local_today() + timedelta(days=7)).isoformat(),
    )
    assert response.status_code == 400
    assert any("nog in de toekomst" in e for e in form_errors(response.get_data(as_text=True)))


def test_a_planned_moment_whose_date_passed_shows_as_late(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", READER)
    moment_id = first(plan, Moment, title="Raadsgesprekken met cliënten")  # demo: 10 days ago
    body = client.get(f"{BASE}/momenten/{moment_id}").get_data(as_text=True)
    assert "Datum verstreken, nog niet als gehouden vastgelegd" in body
    overview = client.get(f"{BASE}/momenten").get_data(as_text=True)
    assert "Datum verstreken" in overview


def test_editor_plans_records_and_reports_back_a_moment(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    workstream_id = first(plan, Workstream)
    past = (local_today() - timedelta(days=3)).isoformat()
    response = _new(client, workstream_id, status="gepland", planned_on=past)
    assert response.status_code == 302
    moment_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    response = post(
        client,
        f"{BASE}/momenten/{moment_id}/bewerken",
        valid_moment(
            status="gehouden",
            planned_on=past,
            outcome="Vier ideeën",
            outcome_reported_on=local_today().isoformat(),
        ),
    )
    assert response.status_code == 302
    with plan.app_context():
        moment = db.session.get(Moment, moment_id)
        assert (moment.status, moment.outcome, moment.outcome_reported_on) == (
            "gehouden",
            "Vier ideeën",
            local_today(),
        )
        assert moment.parties == ["inwoners", "mantelzorgers"]


# -- links to other plugins -------------------------------------------------------------------
def _group_key(app) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A think-along group in Zwolle (meedenkgroepen switched on there for this test)."""
    from plugins.meedenkgroepen.models import Group

    enable(app, "zwolle", "meedenkgroepen")
    with app.app_context():
        zwolle = municipalities.by_slug("zwolle")
        group = Group(
            municipality_id=zwolle.id,
            theme="Mantelzorg in Zwolle",
            goal="Meedenken",
            status="actief",
        )
        db.session.add(group)
        db.session.commit()
        return f"meedenkgroepen|group:{group.id}", group.status_label


def test_linked_to_a_think_along_group_shows_its_state_and_survives_switching_it_off(plan) -> None:  # type: ignore[no-untyped-def]
    value, status_label = _group_key(plan)
    client = signed_in(plan, "zwolle", EDITOR)
    form = client.get(f"{BASE}/werkstromen/{first(plan, Workstream)}/momenten/nieuw").get_data(
        as_text=True
    )
    assert value in form and "Meedenkgroep Mantelzorg in Zwolle" in form
    response = _new(
        client,
        first(plan, Workstream),
        form="meedenkgroep",
        target=value,
        title="Meedenken over mantelzorg",
    )
    assert response.status_code == 302
    moment_id = first(plan, Moment, title="Meedenken over mantelzorg")
    with plan.app_context():
        moment = db.session.get(Moment, moment_id)
        assert (moment.target_plugin, moment.target_title) == (
            "meedenkgroepen",
            "Meedenkgroep Mantelzorg in Zwolle",
        )
    body = client.get(f"{BASE}/momenten/{moment_id}").get_data(as_text=True)
    assert "Stand daar" in body and status_label in body
    assert "/zwolle/meedenkgroepen/groepen/" in body

    # switched off: the moment stands on its own, with the stored title, and can be saved
    enable(plan, "zwolle", "meedenkgroepen", on=False)
    response = client.get(f"{BASE}/momenten/{moment_id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Meedenkgroep Mantelzorg in Zwolle" in body
    assert "staat nu uit" in body and "Stand daar" not in body
    response = post(
        client,
        f"{BASE}/momenten/{moment_id}/bewerken",
        valid_moment(form="meedenkgroep", target=value, title="Meedenken over mantelzorg"),
    )
    assert response.status_code == 302
    with plan.app_context():
        assert db.session.get(Moment, moment_id).target_key == value.split("|")[1]  # kept


def test_linked_to_an_advice_request(plan) -> None:  # type: ignore[no-untyped-def]
    from plugins.adviescommissie.models import AdviceFile

    with plan.app_context():
        zwolle = municipalities.by_slug("zwolle")
        advice = AdviceFile(
            municipality_id=zwolle.id,
            solicited=True,
            subject="Uitgangspunten inkoop zorg",
            policy_area="wmo",
            subject_kind="beleid",
            received_on=local_today(),
        )
        db.session.add(advice)
        db.session.commit()
        value = f"adviescommissie|advice:{advice.id}"
    client = signed_in(plan, "zwolle", EDITOR)
    response = _new(
        client, first(plan, Workstream), form="adviesaanvraag", target=value, title="Advies inkoop"
    )
    assert response.status_code == 302
    body = client.get(f"{BASE}/momenten/{first(plan, Moment, title='Advies inkoop')}").get_data(
        as_text=True
    )
    assert "Adviesaanvraag Uitgangspunten inkoop zorg" in body
    assert "Stand daar" in body and "Ontvangen" in body


def test_a_link_to_a_plugin_that_is_not_installed_stands_on_its_own(plan) -> None:  # type: ignore[no-untyped-def]
    moment_id = first(plan, Moment)
    with plan.app_context():
        moment = db.session.get(Moment, moment_id)
        moment.target_plugin, moment.target_key, moment.target_title = (
            "verdwenen",
            "panel:7",
            "Panel Zorg in de wijk",
        )
        db.session.commit()
    client = signed_in(plan, "zwolle", EDITOR)
    body = client.get(f"{BASE}/momenten/{moment_id}").get_data(as_text=True)
    assert "Panel Zorg in de wijk" in body and "niet (meer) geïnstalleerd" in body
    form = client.get(f"{BASE}/momenten/{moment_id}/bewerken")
    assert form.status_code == 200
    assert "Panel Zorg in de wijk (nu niet beschikbaar)" in form.get_data(as_text=True)


def test_field_errors_and_rule_errors_show_together(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    response = _new(client, first(plan, Workstream), title="", status="gepland", outcome="Te vroeg")
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul de titel van het moment in." in errors
    assert "Vul de datum in: een gepland of gehouden moment heeft een datum." in errors
    assert any("Een opbrengst leg je vast" in e for e in errors)
    # a date that cannot be read gets its own message, not a second one from the rules
    response = _new(client, first(plan, Workstream), status="gepland", planned_on="gisteren")
    planned = [e for e in form_errors(response.get_data(as_text=True)) if "datum" in e.lower()]
    assert len(planned) == 1 and "geldige datum" in planned[0]


# -- the list of moments ----------------------------------------------------------------------
def _listed(client, query: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    import re

    response = client.get(f"{BASE}/momenten{query}")
    assert response.status_code == 200
    return re.findall(
        r'<a class="utrecht-link" href="[^"]*/momenten/\d+">([^<]+)</a>',
        response.get_data(as_text=True),
    )


def _all_moments(app) -> list[Moment]:  # type: ignore[no-untyped-def]
    with app.app_context():
        zwolle = municipalities.by_slug("zwolle")
        return list(
            db.session.execute(select(Moment).where(Moment.municipality_id == zwolle.id)).scalars()
        )


def test_the_list_sorts_on_date_with_undated_moments_last_and_on_title(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", READER)
    workstream_id = first(plan, Workstream)
    editor = signed_in(plan, "zwolle", EDITOR)
    assert _new(editor, workstream_id, title="Zonder datum").status_code == 302
    moments = _all_moments(plan)
    dated = sorted((m for m in moments if m.planned_on), key=lambda m: (m.planned_on, m.id))
    undated = sorted((m.id, m.title) for m in moments if m.planned_on is None)
    expected = [m.title for m in dated] + [title for _id, title in undated]
    assert _listed(client) == expected
    assert len({m.title for m in moments}) == len(moments), "titles tell the rows apart"
    by_title = _listed(client, "?sorteer=moment")
    assert sorted(by_title) == sorted(expected) and by_title != expected
    assert _listed(client, "?sorteer=moment&volgorde=af") == list(reversed(by_title))


def test_the_list_filters_on_status_late_form_and_workstream(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", READER)
    moments = _all_moments(plan)
    today = local_today()
    late = {
        m.title for m in moments if m.status == "gepland" and m.planned_on and m.planned_on < today
    }
    assert late, "the demo has a planned moment whose date passed"
    assert set(_listed(client, "?status=te_laat")) == late
    planned = {m.title for m in moments if m.status == "gepland"} - late
    assert set(_listed(client, "?status=gepland")) == planned  # shown as late, filtered so
    held = {m.title for m in moments if m.status == "gehouden"}
    assert set(_listed(client, "?status=gehouden")) == held
    form = moments[0].form
    assert set(_listed(client, f"?vorm={form}")) == {m.title for m in moments if m.form == form}
    workstream = moments[0].workstream_id
    assert set(_listed(client, f"?werkstroom={workstream}")) == {
        m.title for m in moments if m.workstream_id == workstream
    }
    body = client.get(f"{BASE}/momenten?zoek=bestaat-niet-xyz").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in body
    # nonsense in the URL falls back to the defaults
    assert client.get(f"{BASE}/momenten?werkstroom=abc&status=x&pagina=-1").status_code == 200
