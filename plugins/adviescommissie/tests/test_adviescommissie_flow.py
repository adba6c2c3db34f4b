"""The secretary's path end to end, permissions per step, bad input, tenant isolation."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.plugin_api import local_today
from intranet.testing.helpers import csrf_token, form_errors, post, signed_in
from plugins.adviescommissie import deadlines
from plugins.adviescommissie.models import (
    AdviceFile,
    AdviceRecommendation,
    AdviceStatusChange,
    AdviceValueAssessment,
    AgreedValue,
)

pytestmark = pytest.mark.ldap

BASE = "/zaanstad/adviescommissie"


def _clear(app) -> None:  # type: ignore[no-untyped-def]
    """Remove the demo advice files so the figures below are only this test's."""
    with app.app_context():
        for model in (AdviceStatusChange, AdviceRecommendation, AdviceValueAssessment, AdviceFile):
            db.session.execute(delete(model))
        db.session.commit()


def _advice(app, subject: str) -> AdviceFile:  # type: ignore[no-untyped-def]
    with app.app_context():
        advice = db.session.execute(
            select(AdviceFile).where(AdviceFile.subject == subject)
        ).scalar_one()
        db.session.expunge(advice)
        return advice


def _respect_id() -> int:
    zaanstad = municipalities.by_slug("zaanstad")
    return db.session.execute(
        select(AgreedValue.id).where(
            AgreedValue.municipality_id == zaanstad.id, AgreedValue.name == "Respect"
        )
    ).scalar_one()


def _register(client, subject: str = "Verordening maatschappelijke ondersteuning 2027", **extra):  # type: ignore[no-untyped-def]
    data = {
        "subject": subject,
        "policy_area": "wmo",
        "subject_kind": "bylaw",
        "department": "Sociaal Domein",
        "official": "L. Kok",
        "documents": "Concept-verordening\nhttps://www.example.org/verordening",
        "received_on": local_today().isoformat(),
        "deadline": "",
        "timeliness": "early",
        "timeliness_note": "Gevraagd vóór het collegebesluit.",
    }
    data.update(extra)
    return post(client, f"{BASE}/aanvragen/nieuw", data)


def _move(client, advice_id: int, target: str):  # type: ignore[no-untyped-def]
    return post(client, f"{BASE}/dossiers/{advice_id}/status", {"target": target})


def _respond(app, client, advice_id: int, rec_id: int, response: str, reasoning: str):  # type: ignore[no-untyped-def]
    return post(
        client,
        f"{BASE}/dossiers/{advice_id}/aanbevelingen/{rec_id}/reactie",
        {
            f"r{rec_id}-csrf_token": csrf_token(client, app),
            f"r{rec_id}-response": response,
            f"r{rec_id}-reasoning": reasoning,
        },
    )


def test_secretary_path_request_advice_response_values_report(demo):  # type: ignore[no-untyped-def]
    _clear(demo)
    secretary = signed_in(demo, "zaanstad", "secretaris")
    official = signed_in(demo, "zaanstad", "ambtenaar")

    # 1. register a request; the deadline is the default term, moved to a working day
    response = _register(secretary)
    assert response.status_code == 302
    advice = _advice(demo, "Verordening maatschappelijke ondersteuning 2027")
    with demo.app_context():
        assert advice.deadline == deadlines.advice_deadline(local_today())
    assert advice.status == "received" and advice.solicited
    page = secretary.get(f"{BASE}/dossiers/{advice.id}").get_data(as_text=True)
    assert "Ontvangen" in page and "https://www.example.org/verordening" in page

    # 2. take it on, write the advice and three recommendations, adopt it
    assert _move(secretary, advice.id, "in_progress").status_code == 302
    # adopting without text is refused with the reason
    refused = _move(secretary, advice.id, "adopted")
    assert refused.status_code == 400
    assert "Schrijf eerst de tekst van het advies." in refused.get_data(as_text=True)
    assert (
        post(
            secretary,
            f"{BASE}/dossiers/{advice.id}/advies",
            {"advice_text": "De commissie adviseert positief, met drie aanbevelingen."},
        ).status_code
        == 302
    )
    for text in (
        "Betrek ervaringsdeskundigen.",
        "Schrijf in begrijpelijke taal.",
        "Evalueer na een jaar.",
    ):
        assert (
            post(
                secretary, f"{BASE}/dossiers/{advice.id}/aanbevelingen", {"text": text}
            ).status_code
            == 302
        )
    assert _move(secretary, advice.id, "adopted").status_code == 302
    # the committee can no longer change the text once adopted
    locked = post(secretary, f"{BASE}/dossiers/{advice.id}/aanbevelingen", {"text": "Nog één"})
    assert locked.status_code == 409

    # 3. send it: the response due date is set
    assert _move(secretary, advice.id, "sent").status_code == 302
    advice = _advice(demo, advice.subject)
    assert advice.sent_on == local_today()
    with demo.app_context():
        assert advice.response_due == deadlines.response_due(local_today())
    printable = secretary.get(f"{BASE}/dossiers/{advice.id}/afdrukken").get_data(as_text=True)
    assert "Evalueer na een jaar." in printable and "<nav" not in printable

    # 4. the official records the response per recommendation; the secretary may not
    with demo.app_context():
        recs = list(
            db.session.execute(
                select(AdviceRecommendation)
                .where(AdviceRecommendation.advice_id == advice.id)
                .order_by(AdviceRecommendation.number)
            ).scalars()
        )
        rec_ids = [r.id for r in recs]
        assert [r.number for r in recs] == [1, 2, 3]
    assert _respond(demo, secretary, advice.id, rec_ids[0], "adopted", "Ja").status_code == 403
    # finishing before every recommendation is answered is refused
    early = _move(official, advice.id, "response_received")
    assert early.status_code == 400 and "nog 3 open" in early.get_data(as_text=True)
    for rec_id, verdict in zip(rec_ids, ("adopted", "partly", "rejected"), strict=True):
        r = _respond(demo, official, advice.id, rec_id, verdict, f"Onderbouwing {verdict}.")
        assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    assert _move(secretary, advice.id, "response_received").status_code == 403
    assert _move(official, advice.id, "response_received").status_code == 302
    page = secretary.get(f"{BASE}/dossiers/{advice.id}").get_data(as_text=True)
    assert "Deels overgenomen" in page and "Onderbouwing rejected." in page

    # 5. follow-up note and closing
    assert (
        post(
            secretary,
            f"{BASE}/dossiers/{advice.id}/vervolg",
            {"followup_note": "Over een jaar vragen we naar de evaluatie."},
        ).status_code
        == 302
    )
    assert _move(secretary, advice.id, "closed").status_code == 302
    with demo.app_context():
        history = db.session.execute(
            select(AdviceStatusChange.to_status, AdviceStatusChange.by)
            .where(AdviceStatusChange.advice_id == advice.id)
            .order_by(AdviceStatusChange.id)
        ).all()
    assert history == [
        ("received", "secretaris"),
        ("in_progress", "secretaris"),
        ("adopted", "secretaris"),
        ("sent", "secretaris"),
        ("response_received", "ambtenaar"),
        ("closed", "secretaris"),
    ]

    # 6. values: the official explains, the committee assesses
    with demo.app_context():
        value_id = _respect_id()
    r = post(
        official,
        f"{BASE}/dossiers/{advice.id}/waarden/{value_id}/toelichting",
        {
            f"e{value_id}-csrf_token": csrf_token(official, demo),
            f"e{value_id}-explanation": "Brieven spreken cliënten met u aan.",
        },
    )
    assert r.status_code == 302
    assert (
        post(
            official,
            f"{BASE}/dossiers/{advice.id}/waarden/{value_id}/oordeel",
            {f"a{value_id}-assessment": "serves"},
        ).status_code
        == 403
    )
    r = post(
        secretary,
        f"{BASE}/dossiers/{advice.id}/waarden/{value_id}/oordeel",
        {
            f"a{value_id}-csrf_token": csrf_token(secretary, demo),
            f"a{value_id}-assessment": "partly",
            f"a{value_id}-assessment_note": "Ook de telefoon moet u zeggen.",
        },
    )
    assert r.status_code == 302
    test_page = secretary.get(f"{BASE}/dossiers/{advice.id}/waarden").get_data(as_text=True)
    assert "Brieven spreken cliënten met u aan." in test_page
    assert "Draagt deels bij" in test_page

    # 7. the annual report: one solicited advice, on time, 1/1/1 recommendations
    report = secretary.get(f"{BASE}/jaarverslag?jaar={local_today().year}").get_data(as_text=True)
    assert "1 gevraagd en 0 ongevraagd" in report
    assert "overgenomen 1 (33%), deels overgenomen 1 (33%), niet overgenomen 1 (33%)" in report
    assert "<svg" in report and "<table" in report
    csv = secretary.get(f"{BASE}/jaarverslag.csv?jaar={local_today().year}")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Dossier;Soort;Onderwerp")
    assert ";ja;3;1;1;1;" in lines[1]
    assert secretary.get(f"{BASE}/jaarverslag/afdrukken").status_code == 200


def test_unsolicited_advice_starts_in_progress_without_deadline(demo):  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    r = post(
        secretary,
        f"{BASE}/ongevraagd/nieuw",
        {
            "subject": "Wachttijden GGZ",
            "policy_area": "other",
            "subject_kind": "implementation",
            "received_on": local_today().isoformat(),
        },
    )
    assert r.status_code == 302
    advice = _advice(demo, "Wachttijden GGZ")
    assert (advice.solicited, advice.status, advice.deadline) == (False, "in_progress", None)


def test_deadline_given_on_a_holiday_is_kept_as_entered_and_default_is_moved(demo):  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    _register(secretary, subject="Met datum", received_on="2025-11-14")
    assert _advice(demo, "Met datum").deadline == date(2025, 12, 29)
    _register(secretary, subject="Eigen datum", received_on="2026-11-14", deadline="03-01-2027")
    assert _advice(demo, "Eigen datum").deadline == date(2027, 1, 3)


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"subject": ""}, "Vul het onderwerp in."),
        ({"subject": "x" * 201}, "Het onderwerp mag hoogstens 200 tekens lang zijn."),
        ({"policy_area": "sport"}, "Ongeldige keuze"),
        ({"received_on": "gisteren"}, "Vul een geldige datum in"),
        ({"received_on": (local_today() + timedelta(days=3)).isoformat()}, "niet in de toekomst"),
        ({"deadline": "31-02-2026"}, "Vul een geldige datum in"),
        ({"received_on": "2026-01-10", "deadline": "2026-01-01"}, "vóór de datum van ontvangst"),
        ({"documents": "https://exa mple.org/x"}, "geen geldige link"),
        ({"documents": "javascript:alert(1)\nhttps://"}, "geen geldige link"),
    ],
)
def test_request_form_bad_input(demo, data, field_message):  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    with demo.app_context():
        before = len(db.session.execute(select(AdviceFile.id)).all())
    response = _register(secretary, subject=data.pop("subject", "Ingevuld onderwerp"), **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert any(field_message in e for e in form_errors(html)), form_errors(html)
    assert "Het formulier is nog niet goed ingevuld" in html
    assert "Sociaal Domein" in html  # what was entered is kept
    with demo.app_context():
        assert len(db.session.execute(select(AdviceFile.id)).all()) == before


def test_bad_input_on_the_advice_forms(demo):  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    official = signed_in(demo, "zaanstad", "ambtenaar")
    _register(secretary, subject="Foute invoer")
    advice = _advice(demo, "Foute invoer")
    url = f"{BASE}/dossiers/{advice.id}"
    r = post(secretary, f"{url}/advies", {"advice_text": ""})
    assert r.status_code == 400 and "Schrijf de tekst van het advies." in form_errors(
        r.get_data(as_text=True)
    )
    r = post(secretary, f"{url}/aanbevelingen", {"text": "  "})
    assert r.status_code == 400 and "Schrijf de aanbeveling." in form_errors(
        r.get_data(as_text=True)
    )
    r = _move(secretary, advice.id, "closed")
    assert r.status_code == 400 and "kan het dossier niet naar" in r.get_data(as_text=True)
    r = _move(secretary, advice.id, "nonsense")
    assert r.status_code == 400
    # a response before the advice is sent is refused
    post(secretary, f"{url}/advies", {"advice_text": "Tekst"})
    post(secretary, f"{url}/aanbevelingen", {"text": "Eén"})
    with demo.app_context():
        rec_id = db.session.execute(
            select(AdviceRecommendation.id).where(AdviceRecommendation.advice_id == advice.id)
        ).scalar_one()
    assert _respond(demo, official, advice.id, rec_id, "adopted", "x").status_code == 409
    for target in ("in_progress", "adopted", "sent"):
        assert _move(secretary, advice.id, target).status_code == 302
    r = _respond(demo, official, advice.id, rec_id, "", "")
    errors = form_errors(r.get_data(as_text=True))
    assert r.status_code == 400
    assert "Kies of de aanbeveling is overgenomen." in errors
    assert "Geef de onderbouwing van de gemeente." in errors
    r = _respond(demo, official, advice.id, rec_id, "maybe", "Omdat.")
    assert r.status_code == 400
    assert "Omdat." in r.get_data(as_text=True)
    r = post(secretary, f"{url}/vervolg", {"followup_note": ""})
    assert r.status_code == 400 and "Schrijf de vervolgnotitie." in form_errors(
        r.get_data(as_text=True)
    )
    # explanation and assessment
    with demo.app_context():
        value_id = _respect_id()
    r = post(
        official,
        f"{url}/waarden/{value_id}/toelichting",
        {f"e{value_id}-csrf_token": csrf_token(official, demo), f"e{value_id}-explanation": ""},
    )
    assert r.status_code == 400
    assert "Leg uit hoe het voorstel bijdraagt aan deze waarde." in form_errors(
        r.get_data(as_text=True)
    )
    r = post(
        secretary,
        f"{url}/waarden/{value_id}/oordeel",
        {
            f"a{value_id}-csrf_token": csrf_token(secretary, demo),
            f"a{value_id}-assessment": "great",
        },
    )
    assert r.status_code == 400 and form_errors(r.get_data(as_text=True))
    # a recommendation of another file is a 404
    assert _respond(demo, official, advice.id + 999, rec_id, "adopted", "x").status_code == 404


def test_values_default_to_seed_top_five_and_bad_input(demo):  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    page = secretary.get(f"{BASE}/waarden").get_data(as_text=True)
    names = re.findall(r'<h2 class="utrecht-heading-2" id="waarde-\d+">\d\. ([^<]+)</h2>', page)
    assert names == [
        "Professionaliteit / deskundigheid",
        "Respect",
        "Vertrouwen",
        "Gelijkwaardigheid",
        "Klantgerichtheid",
    ]
    assert "voornaam" in page
    r = post(secretary, f"{BASE}/waarden/nieuw", {"name": "", "agreements": "Afspraak X"})
    assert r.status_code == 400 and "Vul de naam van de waarde in." in form_errors(
        r.get_data(as_text=True)
    )
    assert "Afspraak X" in r.get_data(as_text=True)
    assert post(secretary, f"{BASE}/waarden/nieuw", {"name": "Transparantie"}).status_code == 302
    with demo.app_context():
        value = db.session.execute(
            select(AgreedValue).where(AgreedValue.name == "Transparantie")
        ).scalar_one()
    r = post(secretary, f"{BASE}/waarden/{value.id}/bewerken", {"name": "x" * 121})
    assert (
        r.status_code == 400 and "hoogstens 120 tekens" in form_errors(r.get_data(as_text=True))[0]
    )


def test_member_and_meeting_forms(demo):  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    from intranet.residents.models import Resident

    with demo.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        zwolle = municipalities.by_slug("zwolle")
        resident = db.session.execute(
            select(Resident).where(
                Resident.municipality_id == zaanstad.id, Resident.name == "Otto Smeets"
            )
        ).scalar_one()
        foreign = (
            db.session.execute(select(Resident).where(Resident.municipality_id == zwolle.id))
            .scalars()
            .first()
        )
    r = post(
        secretary,
        f"{BASE}/commissie/leden/nieuw",
        {"resident_id": "", "role": "member", "term_start": "2026-01-01"},
    )
    assert r.status_code == 400 and "Kies de inwoner die lid is." in form_errors(
        r.get_data(as_text=True)
    )
    r = post(
        secretary,
        f"{BASE}/commissie/leden/nieuw",
        {
            "resident_id": resident.id,
            "role": "member",
            "term_start": "2026-01-01",
            "term_end": "2025-01-01",
            "expertise": "Jeugd",
        },
    )
    assert r.status_code == 400 and "vóór het begin" in form_errors(r.get_data(as_text=True))[0]
    assert "Jeugd" in r.get_data(as_text=True)
    # a resident of another municipality is not a choice
    r = post(
        secretary,
        f"{BASE}/commissie/leden/nieuw",
        {"resident_id": foreign.id, "role": "member", "term_start": "2026-01-01"},
    )
    assert r.status_code == 400
    r = post(
        secretary,
        f"{BASE}/commissie/leden/nieuw",
        {
            "resident_id": resident.id,
            "role": "chair",
            "term_start": "2026-01-01",
            "term_end": "2029-12-31",
            "expertise": "Jeugd",
        },
    )
    assert r.status_code == 302
    assert "Otto Smeets" in secretary.get(f"{BASE}/commissie").get_data(as_text=True)

    r = post(
        secretary, f"{BASE}/vergaderingen/nieuw", {"starts_at": "morgen", "agenda": "1. Opening"}
    )
    assert (
        r.status_code == 400
        and "Vul een geldige datum en tijd in" in form_errors(r.get_data(as_text=True))[0]
    )
    assert "1. Opening" in r.get_data(as_text=True)
    r = post(
        secretary,
        f"{BASE}/vergaderingen/nieuw",
        {"starts_at": "2026-06-10T19:30", "location": "Stadhuis", "agenda": "1. Opening"},
    )
    assert r.status_code == 302
    meeting_url = r.headers["Location"]
    page = secretary.get(meeting_url).get_data(as_text=True)
    assert "10 juni 2026 19:30" in page
    # the title names the meeting, so two meetings' tabs and history entries differ
    assert "<title>Vergadering van 10 juni 2026 19:30 ·" in page
    from plugins.adviescommissie.models import CommitteeMember

    with demo.app_context():
        member_id = db.session.execute(
            select(CommitteeMember.id).where(CommitteeMember.resident_id == resident.id)
        ).scalar_one()
    r = post(secretary, f"{meeting_url}/aanwezigheid", {f"lid-{member_id}": "sleeping"})
    assert r.status_code == 400
    r = post(secretary, f"{meeting_url}/aanwezigheid", {f"lid-{member_id}": "present"})
    assert r.status_code == 302
    assert '<option value="present" selected>' in secretary.get(meeting_url).get_data(as_text=True)


def test_permissions_and_navigation(demo):  # type: ignore[no-untyped-def]
    plain = signed_in(demo, "zaanstad", "medewerker")
    assert plain.get(f"{BASE}/").status_code == 403
    assert "Adviezen" not in plain.get("/zaanstad/").get_data(as_text=True)
    secretary = signed_in(demo, "zaanstad", "secretaris")
    assert 'href="/zaanstad/adviescommissie/"' in secretary.get("/zaanstad/").get_data(as_text=True)
    official = signed_in(demo, "zaanstad", "ambtenaar")
    assert official.get(f"{BASE}/").status_code == 200
    assert official.get(f"{BASE}/aanvragen/nieuw").status_code == 403
    assert official.get(f"{BASE}/commissie/leden/nieuw").status_code == 403
    assert post(official, f"{BASE}/waarden/nieuw", {"name": "X"}).status_code == 403
    # Zwolle: the griffie reads, the policy officer records responses
    reader = signed_in(demo, "zwolle", "griffier")
    assert reader.get("/zwolle/adviescommissie/").status_code == 200
    assert reader.get("/zwolle/adviescommissie/jaarverslag").status_code == 200
    assert reader.get("/zwolle/adviescommissie/aanvragen/nieuw").status_code == 403
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        advice_id = db.session.execute(
            select(AdviceFile.id).where(
                AdviceFile.municipality_id == zwolle.id, AdviceFile.status == "sent"
            )
        ).scalar_one()
    assert _move(reader, advice_id, "response_received").status_code == 404  # zaanstad URL
    r = post(
        reader,
        f"/zwolle/adviescommissie/dossiers/{advice_id}/status",
        {"target": "response_received"},
    )
    assert r.status_code == 403


def test_tenant_isolation_by_guessing_ids(demo):  # type: ignore[no-untyped-def]
    with demo.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        ids = (
            db.session.execute(
                select(AdviceFile.id).where(AdviceFile.municipality_id == zaanstad.id)
            )
            .scalars()
            .all()
        )
        value_id = (
            db.session.execute(
                select(AgreedValue.id).where(AgreedValue.municipality_id == zaanstad.id)
            )
            .scalars()
            .first()
        )
    assert ids
    zwolle_official = signed_in(demo, "zwolle", "beleid")
    for advice_id in ids:
        for suffix in ("", "/waarden", "/afdrukken"):
            assert (
                zwolle_official.get(
                    f"/zwolle/adviescommissie/dossiers/{advice_id}{suffix}"
                ).status_code
                == 404
            )
        r = post(
            zwolle_official,
            f"/zwolle/adviescommissie/dossiers/{advice_id}/status",
            {"target": "response_received"},
        )
        assert r.status_code == 404
    assert (
        zwolle_official.get(f"/zwolle/adviescommissie/dossiers/{ids[0]}/waarden").status_code == 404
    )
    r = post(
        zwolle_official,
        f"/zwolle/adviescommissie/dossiers/{ids[0]}/waarden/{value_id}/toelichting",
        {},
    )
    assert r.status_code == 404
    # and the other municipality's URL itself is not reachable for a Zwolle employee
    assert zwolle_official.get(f"{BASE}/dossiers/{ids[0]}").status_code in (302, 403, 404)
    page = zwolle_official.get("/zwolle/adviescommissie/").get_data(as_text=True)
    assert "Verordening jeugdhulp" in page  # Zwolle's own demo file
    with demo.app_context():
        subjects_zaanstad = {
            a.subject
            for a in db.session.execute(
                select(AdviceFile).where(AdviceFile.municipality_id == zaanstad.id)
            ).scalars()
        }
    secretary = signed_in(demo, "zaanstad", "secretaris")
    _register(secretary, subject="Alleen in Zaanstad")
    assert "Alleen in Zaanstad" not in zwolle_official.get("/zwolle/adviescommissie/").get_data(
        as_text=True
    )
    assert subjects_zaanstad


def test_plugin_disabled_gives_404_and_keeps_data(demo):  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    with demo.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        municipalities.set_plugin_enabled(zaanstad, "adviescommissie", False, actor="test")
        db.session.commit()
    assert secretary.get(f"{BASE}/").status_code == 404
    assert secretary.get(f"{BASE}/jaarverslag").status_code == 404
    assert "Adviescommissie" not in secretary.get("/zaanstad/").get_data(as_text=True)
    with demo.app_context():
        zaanstad = municipalities.by_slug("zaanstad")
        assert db.session.execute(
            select(AdviceFile.id).where(AdviceFile.municipality_id == zaanstad.id)
        ).first()
        municipalities.set_plugin_enabled(zaanstad, "adviescommissie", True, actor="test")
        db.session.commit()
    assert secretary.get(f"{BASE}/").status_code == 200


def test_report_with_a_bad_year_falls_back(demo):  # type: ignore[no-untyped-def]
    reader = signed_in(demo, "zaanstad", "secretaris")
    r = reader.get(f"{BASE}/jaarverslag?jaar=abc")
    assert r.status_code == 400 and "Dat jaar bestaat niet" in r.get_data(as_text=True)
    assert reader.get(f"{BASE}/jaarverslag.csv?jaar=99999").status_code == 200
