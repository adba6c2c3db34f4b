"""Meedenkgroepen pages through the core's one form-page helper and one date field."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service
from intranet.plugin_api import local_today
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import Panel, Questionnaire

BASE = "/zaanstad/meedenkgroepen"


def _panel_id(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        zaanstad = service.by_slug("zaanstad")
        return (
            db.session.execute(
                select(Panel.id).where(Panel.municipality_id == zaanstad.id).order_by(Panel.id)
            )
            .scalars()
            .first()
        )


def test_meedenkgroepen_typed_dutch_dates_and_a_refused_send_is_400(demo) -> None:  # type: ignore[no-untyped-def]
    c = signed_in(demo, "zaanstad", "coordinator")
    opens = local_today()
    closes = opens + timedelta(days=14)
    created = post(
        c,
        f"{BASE}/vragenlijsten/nieuw",
        {
            "title": "Zonder vragen",
            "intro": "",
            "panel_id": str(_panel_id(demo)),
            "opens_on": opens.strftime("%d-%m-%Y"),  # as people type it
            "closes_on": closes.isoformat(),  # as the browser sends it
        },
    )
    assert created.status_code == 302, form_errors(created.get_data(as_text=True))
    qid = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with demo.app_context():
        q = db.session.get(Questionnaire, qid)
        assert (q.opens_on, q.closes_on) == (opens, closes)

    # sending a questionnaire without questions is refused: the page, with status 400
    refused = post(c, f"{BASE}/vragenlijsten/{qid}/verzenden")
    assert refused.status_code == 400
    assert "De vragenlijst heeft nog geen vragen." in refused.get_data(as_text=True)
    with demo.app_context():
        assert db.session.get(Questionnaire, qid).status == "concept"

    bad = post(
        c,
        f"{BASE}/vragenlijsten/nieuw",
        {"title": "Fout", "panel_id": str(_panel_id(demo)), "opens_on": "morgen", "closes_on": ""},
    )
    assert bad.status_code == 400
    assert "Vul een geldige datum in, bijvoorbeeld 21-11-2026." in form_errors(
        bad.get_data(as_text=True)
    )
