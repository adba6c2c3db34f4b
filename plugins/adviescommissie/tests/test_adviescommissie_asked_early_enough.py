""" "Asked early enough" is judged against the decision date the advice is meant to inform,
computed where possible, and counted in the annual report and its CSV."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.adviescommissie import deadlines
from plugins.adviescommissie.models import (
    AdviceFile,
    AdviceRecommendation,
    AdviceStatusChange,
    AdviceValueAssessment,
)

pytestmark = pytest.mark.ldap

BASE = "/zaanstad/adviescommissie"


def test_timeliness_from_the_decision_date(ctx) -> None:  # type: ignore[no-untyped-def]
    deadline = date(2027, 3, 1)
    assert deadlines.timeliness_for(deadline, None) is None
    assert deadlines.timeliness_for(None, date(2027, 5, 1)) is None
    # the default margin is 14 days between the advice deadline and the decision
    assert deadlines.timeliness_for(deadline, deadline + timedelta(days=14)) == "early"
    assert deadlines.timeliness_for(deadline, deadline + timedelta(days=13)) == "late"
    assert deadlines.timeliness_for(deadline, deadline - timedelta(days=1)) == "late"
    ctx.config["ADVIESCOMMISSIE_DECISION_MARGIN_DAYS"] = 0
    try:
        assert deadlines.timeliness_for(deadline, deadline) == "early"
    finally:
        del ctx.config["ADVIESCOMMISSIE_DECISION_MARGIN_DAYS"]


def _clear(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for model in (AdviceStatusChange, AdviceRecommendation, AdviceValueAssessment, AdviceFile):
            db.session.execute(delete(model))
        db.session.commit()


def _register(client, subject: str, decision_date: str, timeliness: str = ""):  # type: ignore[no-untyped-def]
    return post(
        client,
        f"{BASE}/aanvragen/nieuw",
        {
            "subject": subject,
            "policy_area": "wmo",
            "subject_kind": "bylaw",
            "received_on": local_today().isoformat(),
            "deadline": "",
            "decision_date": decision_date,
            "timeliness": timeliness,
        },
    )


def test_computed_from_the_decision_date_and_in_the_annual_report(demo) -> None:  # type: ignore[no-untyped-def]
    _clear(demo)
    secretary = signed_in(demo, "zaanstad", "secretaris")
    far = (local_today() + timedelta(days=120)).isoformat()
    near = (local_today() + timedelta(days=30)).isoformat()
    # a hand-picked "late" gives way to what the decision date says, and the other way round
    for subject, decision, manual in (
        ("Vroeg", far, "late"),
        ("Laat", near, "early"),
        ("Onbekend", "", ""),
    ):
        r = _register(secretary, subject, decision, manual)
        assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    with demo.app_context():
        rows = {a.subject: a for a in db.session.execute(select(AdviceFile)).scalars()}
        assert (
            rows["Vroeg"].timeliness == "early" and rows["Vroeg"].decision_date.isoformat() == far
        )
        assert rows["Laat"].timeliness == "late"
        assert rows["Onbekend"].timeliness == "" and rows["Onbekend"].decision_date is None
        for a in rows.values():  # sent this year, so they count in the annual report
            a.status, a.sent_on = "sent", local_today()
        db.session.commit()
        vroeg_id = rows["Vroeg"].id
    detail = secretary.get(f"{BASE}/dossiers/{vroeg_id}").get_data(as_text=True)
    assert "Tijdig gevraagd (berekend uit de datum van het besluit)" in detail
    report = secretary.get(f"{BASE}/jaarverslag?jaar={local_today().year}").get_data(as_text=True)
    assert (
        "werd de commissie 1 keer vroeg genoeg gevraagd en 1 keer te laat; 1 niet beoordeeld"
        in report
    )
    csv = secretary.get(f"{BASE}/jaarverslag.csv?jaar={local_today().year}").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0].endswith(";Datum besluit;Vroeg genoeg gevraagd")
    by_subject = {line.split(";")[2]: line for line in lines[1:]}
    assert by_subject["Vroeg"].endswith(f";{far};Tijdig gevraagd")
    assert by_subject["Laat"].endswith(f";{near};Te laat gevraagd")
    assert by_subject["Onbekend"].endswith(";;Nog niet beoordeeld")


def test_bad_decision_dates_are_refused_next_to_the_field(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    for value, message in (
        ("31-02-2027", "Vul een geldige datum in"),
        ("volgende week", "Vul een geldige datum in"),
        (yesterday, "De datum van het besluit ligt vóór de datum van ontvangst."),
    ):
        r = _register(secretary, "Fout", value)
        assert r.status_code == 400, value
        assert any(message in e for e in form_errors(r.get_data(as_text=True))), value
    with demo.app_context():
        assert (
            db.session.execute(select(AdviceFile).where(AdviceFile.subject == "Fout")).first()
            is None
        )
