"""The one date field, the one form-page helper and the one consent-validity rule that the
core and every plugin share (exported through ``intranet.plugin_api``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from jinja2 import DictLoader
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.validators import InputRequired, Optional

from intranet.extensions import db
from intranet.municipalities import service
from intranet.plugin_api import (
    DATE_MESSAGE,
    DATETIME_MESSAGE,
    Consent,
    DutchDateField,
    DutchDateTimeField,
    Resident,
    form_page,
    residents_with_consent,
)
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import local_today


class DateForm(Form):
    day = DutchDateField("Datum", validators=[InputRequired(message=DATE_MESSAGE)])
    maybe = DutchDateField("Misschien", validators=[Optional()])


def _form(**data: str) -> DateForm:
    return DateForm(MultiDict(data))


@pytest.mark.parametrize("typed", ["2026-07-01", "01-07-2026"])
def test_date_field_accepts_the_browser_and_the_typed_form(typed: str) -> None:
    form = _form(day=typed)
    assert form.validate(), form.errors
    assert form.day.data == date(2026, 7, 1)
    assert form.maybe.data is None


@pytest.mark.parametrize("typed", ["morgen", "31-02-2026", "2026/07/01", "1 juli"])
def test_date_field_refuses_with_one_dutch_sentence(typed: str) -> None:
    form = _form(day=typed)
    assert not form.validate()
    assert form.day.errors == ["Vul een geldige datum in, bijvoorbeeld 21-11-2026."]


def test_date_field_renders_what_the_browser_date_input_reads() -> None:
    form = DateForm(data={"day": date(2026, 11, 21)})
    assert 'value="2026-11-21"' in form.day()
    assert 'type="date"' in form.day()


def test_empty_required_date_gets_the_same_message() -> None:
    form = _form(day="")
    assert not form.validate()
    assert form.day.errors == [DATE_MESSAGE]


def test_empty_required_date_gets_its_own_required_message() -> None:
    class Required(Form):
        day = DutchDateField("Datum", validators=[InputRequired(message="Vul de datum in.")])

    form = Required(MultiDict({"day": "  "}))
    assert not form.validate()
    assert form.day.errors == ["Vul de datum in."]


def test_a_typed_date_comes_back_as_the_date_input_reads_it() -> None:
    """A form refused for another field renders the date again; a date input drops
    21-11-2026, so the field sends back 2026-11-21 (surrounding spaces are forgiven)."""
    form = _form(day=" 21-11-2026 ", maybe="morgen")
    assert not form.validate()
    assert form.day.data == date(2026, 11, 21)
    assert 'value="2026-11-21"' in form.day()
    assert 'value="morgen"' in form.maybe()


class MomentForm(Form):
    at = DutchDateTimeField("Datum en tijd", validators=[InputRequired(message="Vul in.")])


@pytest.mark.parametrize("typed", ["2027-01-20T19:30", "2027-01-20 19:30", "20-01-2027 19:30"])
def test_a_moment_as_the_browser_sends_it_or_as_people_type_it(typed: str) -> None:
    form = MomentForm(MultiDict({"at": typed}))
    assert form.validate(), form.errors
    assert form.at.data == datetime(2027, 1, 20, 19, 30)
    assert 'value="2027-01-20T19:30"' in form.at()


def test_a_moment_it_cannot_read_gets_one_dutch_sentence() -> None:
    form = MomentForm(MultiDict({"at": "20-01-2027 om half acht"}))
    assert not form.validate()
    assert form.at.errors == [DATETIME_MESSAGE]
    assert not MomentForm(MultiDict({"at": " "})).validate()


class NameForm(Form):
    name = StringField("Naam", validators=[InputRequired(message="Vul een naam in.")])


@pytest.fixture
def page_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"page.html": "{{ form.name.errors|join }}|{{ extra }}"})
    return app


def test_form_page_is_400_only_for_a_refused_post(page_app: Flask) -> None:
    with page_app.test_request_context("/", method="POST", data={"name": ""}):
        form = NameForm(MultiDict({"name": ""}))
        form.validate()
        body, status = form_page("page.html", form=form, extra="x")
        assert (status, body) == (400, "Vul een naam in.|x")
    with page_app.test_request_context("/", method="POST"):
        form = NameForm(MultiDict({"name": "Anna"}))
        assert form.validate()
        assert form_page("page.html", form=form)[1] == 200
    with page_app.test_request_context("/"):
        assert form_page("page.html", form=NameForm())[1] == 200  # a GET is never refused


def test_form_page_checks_forms_given_apart_and_other_refusals(page_app: Flask) -> None:
    with page_app.test_request_context("/", method="POST"):
        hidden = NameForm(MultiDict({}))
        hidden.validate()
        shown = NameForm(MultiDict({"name": "Anna"}))
        assert form_page("page.html", hidden, form=shown)[1] == 400
        assert form_page("page.html", form=shown, invalid=True)[1] == 400
        assert form_page("page.html", form=shown)[1] == 200


def test_a_refused_core_form_keeps_its_input_and_answers_400(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    refused = post(clerk, "/zwolle/inwoners/nieuw", {"name": "", "email": "anna@example.org"})
    assert refused.status_code == 400
    assert "anna@example.org" in refused.get_data(as_text=True)
    assert clerk.get("/zwolle/inwoners/nieuw").status_code == 200


# -- the consent-validity rule --------------------------------------------------------------


def test_consent_validity_is_one_rule_in_python_and_sql(demo) -> None:  # type: ignore[no-untyped-def]
    today = local_today()
    cases = {
        "given today": (today, None, True),
        "given tomorrow": (today + timedelta(days=1), None, False),
        "withdrawn today": (today - timedelta(days=9), today, False),
        "withdrawn tomorrow": (today - timedelta(days=9), today + timedelta(days=1), True),
        "withdrawn yesterday": (today - timedelta(days=9), today - timedelta(days=1), False),
    }
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        residents = {}
        for label, (given, withdrawn, _valid) in cases.items():
            resident = Resident(municipality_id=zwolle.id, name=f"Proef {label}")
            db.session.add(resident)
            db.session.flush()
            db.session.add(
                Consent(
                    municipality_id=zwolle.id,
                    resident_id=resident.id,
                    purpose="proef.doel",
                    method="verbal",
                    given_on=given,
                    withdrawn_on=withdrawn,
                )
            )
            residents[label] = resident
        db.session.flush()
        ids = [r.id for r in residents.values()]
        in_sql = residents_with_consent(zwolle.id, "proef.doel", ids)
        queried = set(
            db.session.execute(
                select(Consent.resident_id).where(
                    Consent.resident_id.in_(ids), Consent.valid_on(today)
                )
            ).scalars()
        )
        for label, (_given, _withdrawn, valid) in cases.items():
            resident = residents[label]
            db.session.refresh(resident)
            consent = resident.consents[0]
            assert consent.valid_on(today) is valid, label
            assert consent.is_active is valid, label
            assert resident.has_consent("proef.doel") is valid, label
            assert (resident.id in in_sql) is valid, label
            assert (resident.id in queried) is valid, label
        db.session.rollback()


def test_a_typed_dutch_date_is_accepted_by_a_plugin_form(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    refused = post(clerk, "/zwolle/raadsgesprekken/gespreksdagen/nieuw", {"day": "morgen"})
    assert refused.status_code == 400
    assert "Vul een geldige datum in, bijvoorbeeld 21-11-2026." in form_errors(
        refused.get_data(as_text=True)
    )
