"""Recommendations and responses in place (issue 14.3): an htmx post gets the changed part of
the advice's page back (focus where the secretary or official goes on, the Dutch error next to
the field when refused, the next steps in the page header kept true), a plain post still
redirects to where the user continues; the next status step sits in the page header; the
finished parts of the file are folded and the printable advice stays complete."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.helpers import csrf_token, form_errors, post, signed_in
from plugins.adviescommissie.models import AdviceFile, AdviceRecommendation

pytestmark = pytest.mark.ldap

BASE = "/zaanstad/adviescommissie"
HX = {"HX-Request": "true"}


def _new_file(client, subject: str) -> int:  # type: ignore[no-untyped-def]
    """A registered request, taken on, with its advice text saved."""
    created = post(
        client,
        f"{BASE}/aanvragen/nieuw",
        {
            "subject": subject,
            "policy_area": "wmo",
            "subject_kind": "bylaw",
            "received_on": "2026-11-02",
            "deadline": "2026-12-14",
        },
    )
    assert created.status_code == 302, form_errors(created.get_data(as_text=True))
    advice_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    moved = post(client, f"{BASE}/dossiers/{advice_id}/status", {"target": "in_progress"})
    assert moved.status_code == 302
    client.get(moved.headers["Location"])  # the confirmation is read, as a browser would
    return advice_id


def _recommendations(app, advice_id: int) -> list[AdviceRecommendation]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = (
            db.session.execute(
                select(AdviceRecommendation)
                .where(AdviceRecommendation.advice_id == advice_id)
                .order_by(AdviceRecommendation.number)
            )
            .scalars()
            .all()
        )
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def _respond(app, client, advice_id: int, rec_id: int, response: str, reasoning: str, **kw):  # type: ignore[no-untyped-def]
    return client.post(
        f"{BASE}/dossiers/{advice_id}/aanbevelingen/{rec_id}/reactie",
        data={
            f"r{rec_id}-csrf_token": csrf_token(client, app),
            f"r{rec_id}-response": response,
            f"r{rec_id}-reasoning": reasoning,
        },
        **kw,
    )


def test_an_htmx_add_answers_with_the_list_and_the_empty_box_focused(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    advice_id = _new_file(secretary, "Inline aanbevelingen")
    url = f"{BASE}/dossiers/{advice_id}/aanbevelingen"
    post(secretary, f"{BASE}/dossiers/{advice_id}/advies", {"advice_text": "Positief."})

    added = post(secretary, url, {"text": "Betrek ervaringsdeskundigen."}, headers=HX)
    assert added.status_code == 200
    fragment = added.get_data(as_text=True)
    assert "<html" not in fragment and "HX-Retarget" not in added.headers
    assert fragment.lstrip().startswith(
        '<div id="aanbevelingen-lijst" data-focus="aanbeveling-tekst"'
    )
    assert "Betrek ervaringsdeskundigen." in fragment
    # the box is empty again, the confirmation goes to the live region out of band
    assert re.search(r'<textarea[^>]*id="aanbeveling-tekst"[^>]*>\s*</textarea>', fragment)
    assert 'id="aanbeveling-melding" hx-swap-oob="innerHTML"' in fragment
    assert "Aanbeveling 1 is toegevoegd." in fragment
    # the page header's next step is sent along, without the "add one first" reason now
    assert 'id="dossier-acties" tabindex="-1" hx-swap-oob="outerHTML"' in fragment
    assert "Advies vaststellen" in fragment
    assert "Voeg eerst minstens één aanbeveling toe." not in fragment
    # and a link back up to that step, now that nothing blocks it
    assert 'href="#dossier-acties">Naar de volgende stap: Advies vaststellen</a>' in fragment

    post(secretary, url, {"text": "Schrijf in gewone taal."}, headers=HX)
    assert [r.text for r in _recommendations(demo, advice_id)] == [
        "Betrek ervaringsdeskundigen.",
        "Schrijf in gewone taal.",
    ]
    assert [r.number for r in _recommendations(demo, advice_id)] == [1, 2]


def test_a_refused_htmx_add_keeps_the_error_next_to_the_box(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    advice_id = _new_file(secretary, "Inline geweigerd")
    refused = post(
        secretary, f"{BASE}/dossiers/{advice_id}/aanbevelingen", {"text": "   "}, headers=HX
    )
    assert refused.status_code == 400
    fragment = refused.get_data(as_text=True)
    assert "<html" not in fragment
    assert form_errors(fragment) == ["Schrijf de aanbeveling."]
    box = re.search(r'<textarea[^>]*id="aanbeveling-tekst"[^>]*>', fragment)
    assert box and 'aria-invalid="true"' in box.group(0)
    assert 'aria-describedby="aanbeveling-tekst-error"' in box.group(0)
    assert 'data-focus="aanbeveling-foutmeldingen"' in fragment
    # the summary by the box lists and links the error
    assert re.search(r'id="aanbeveling-foutmeldingen".*href="#aanbeveling-tekst"', fragment, re.S)
    # the reason under the adopt button is still there: nothing was saved
    assert "Schrijf eerst de tekst van het advies." in fragment
    assert "Naar de volgende stap" not in fragment
    assert _recommendations(demo, advice_id) == []
    # without JavaScript the same refusal is the whole page with the error summary
    page = post(secretary, f"{BASE}/dossiers/{advice_id}/aanbevelingen", {"text": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and html.lstrip().lower().startswith("<!doctype html")
    assert 'href="#aanbeveling-tekst"' in html


def test_htmx_responses_move_the_focus_to_the_next_recommendation(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    official = signed_in(demo, "zaanstad", "ambtenaar")
    advice_id = _new_file(secretary, "Inline reacties")
    post(secretary, f"{BASE}/dossiers/{advice_id}/advies", {"advice_text": "Positief."})
    for text in ("Een.", "Twee.", "Drie."):
        post(secretary, f"{BASE}/dossiers/{advice_id}/aanbevelingen", {"text": text}, headers=HX)
    for target in ("adopted", "sent"):
        assert (
            post(secretary, f"{BASE}/dossiers/{advice_id}/status", {"target": target}).status_code
            == 302
        )
    recs = _recommendations(demo, advice_id)

    # refused: both errors next to their fields, the focus on the first, nothing saved
    refused = _respond(demo, official, advice_id, recs[0].id, "", "", headers=HX)
    assert refused.status_code == 400
    fragment = refused.get_data(as_text=True)
    assert "<html" not in fragment
    assert form_errors(fragment) == [
        "Kies of de aanbeveling is overgenomen.",
        "Geef de onderbouwing van de gemeente.",
    ]
    summary = f"aanbeveling-{recs[0].id}-foutmeldingen"
    assert f'id="aanbeveling-{recs[0].id}" data-focus="{summary}"' in fragment
    links = re.search(rf'id="{summary}".*?</div>', fragment, re.S).group(0)  # type: ignore[union-attr]
    assert f'href="#r{recs[0].id}-response"' in links
    assert f'href="#r{recs[0].id}-reasoning"' in links
    # only the reasoning missing: the summary links the reasoning alone, the choice kept
    half = _respond(demo, official, advice_id, recs[0].id, "partly", "", headers=HX)
    links = re.search(rf'id="{summary}".*?</div>', half.get_data(as_text=True), re.S).group(0)  # type: ignore[union-attr]
    assert f'href="#r{recs[0].id}-reasoning"' in links
    assert f'href="#r{recs[0].id}-response"' not in links
    assert re.search(
        r'<option (selected value="partly"|value="partly" selected)', half.get_data(as_text=True)
    )

    saved = _respond(demo, official, advice_id, recs[0].id, "adopted", "Doen we.", headers=HX)
    assert saved.status_code == 200
    fragment = saved.get_data(as_text=True)
    assert f'id="aanbeveling-{recs[0].id}" data-focus="r{recs[1].id}-response"' in fragment
    assert "De reactie op aanbeveling 1 is vastgelegd." in fragment
    assert "nog 2 open" in fragment  # the header's reason, out of band
    # the last one in order while the second is still open: back to the second
    skipped = _respond(demo, official, advice_id, recs[2].id, "rejected", "Nee.", headers=HX)
    fragment = skipped.get_data(as_text=True)
    assert f'data-focus="r{recs[1].id}-response"' in fragment
    assert "nog 1 open" in fragment and 'id="naar-volgende-stap" hx-swap-oob' in fragment
    assert "Naar de volgende stap" not in fragment
    last = _respond(demo, official, advice_id, recs[1].id, "partly", "Deels.", headers=HX)
    fragment = last.get_data(as_text=True)
    # all answered: the focus on the step that finishes the response, now free
    assert f'id="aanbeveling-{recs[1].id}" data-focus="stap-response_received"' in fragment
    assert 'id="stap-response_received"' in fragment and "open)" not in fragment
    assert "Naar de volgende stap: Reactie van de gemeente afronden" in fragment
    assert [(r.response, r.reasoning) for r in _recommendations(demo, advice_id)] == [
        ("adopted", "Doen we."),
        ("partly", "Deels."),
        ("rejected", "Nee."),
    ]


def _summary(html: str) -> str:
    """The recommendations part's summary line, which must be on the page exactly once."""
    assert html.count('id="aanbevelingen-samenvatting"') == 1, html[:300]
    found = re.search(r'<summary id="aanbevelingen-samenvatting"[^>]*>([^<]*)</summary>', html)
    assert found
    return found.group(1)


def test_the_summary_counts_are_sent_again_after_an_add_or_a_response(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    official = signed_in(demo, "zaanstad", "ambtenaar")
    advice_id = _new_file(secretary, "Inline tellingen")
    page = secretary.get(f"{BASE}/dossiers/{advice_id}").get_data(as_text=True)
    assert _summary(page) == "Aanbevelingen: 0; met een reactie van de gemeente: 0"
    post(secretary, f"{BASE}/dossiers/{advice_id}/advies", {"advice_text": "Positief."})
    url = f"{BASE}/dossiers/{advice_id}/aanbevelingen"
    post(secretary, url, {"text": "Een."}, headers=HX)
    added = post(secretary, url, {"text": "Twee."}, headers=HX).get_data(as_text=True)
    assert "hx-swap-oob" in added[added.index('id="aanbevelingen-samenvatting"') - 30 :][:200]
    assert _summary(added) == "Aanbevelingen: 2; met een reactie van de gemeente: 0"
    for target in ("adopted", "sent"):
        post(secretary, f"{BASE}/dossiers/{advice_id}/status", {"target": target})
    first = _recommendations(demo, advice_id)[0]
    saved = _respond(demo, official, advice_id, first.id, "adopted", "Doen we.", headers=HX)
    fragment = saved.get_data(as_text=True)
    assert _summary(fragment) == "Aanbevelingen: 2; met een reactie van de gemeente: 1"
    # the swapped part itself holds no second summary: after the swap the id stays unique
    swapped = fragment[: fragment.index('id="aanbeveling-melding"')]
    assert 'id="aanbevelingen-samenvatting"' not in swapped
    page = official.get(f"{BASE}/dossiers/{advice_id}").get_data(as_text=True)
    assert _summary(page) == "Aanbevelingen: 2; met een reactie van de gemeente: 1"


def test_without_javascript_each_save_returns_to_where_the_user_goes_on(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    official = signed_in(demo, "zaanstad", "ambtenaar")
    advice_id = _new_file(secretary, "Zonder JavaScript")
    saved = post(secretary, f"{BASE}/dossiers/{advice_id}/advies", {"advice_text": "Positief."})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(
        f"/dossiers/{advice_id}?opgeslagen=advies#advies-opgeslagen"
    )
    page = secretary.get(saved.headers["Location"]).get_data(as_text=True)
    # the confirmation stands just before the recommendation box: the next Tab is the box
    start = page.index('id="advies-opgeslagen"')
    box = page.index("<textarea", start)
    assert 'id="aanbeveling-tekst"' in page[box : page.index(">", box)]
    between = page[start:box]
    assert "De tekst van het advies is opgeslagen." in between
    assert not re.search(r'<(a|button|select)\b|<input(?![^>]*type="hidden")', between)
    assert "data-flash" in between and page.count("data-flash") == 1

    added = post(secretary, f"{BASE}/dossiers/{advice_id}/aanbevelingen", {"text": "Een."})
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/dossiers/{advice_id}#aanbeveling-toevoegen")
    post(secretary, f"{BASE}/dossiers/{advice_id}/aanbevelingen", {"text": "Twee."})
    for target in ("adopted", "sent"):
        post(secretary, f"{BASE}/dossiers/{advice_id}/status", {"target": target})
    recs = _recommendations(demo, advice_id)
    first = _respond(demo, official, advice_id, recs[0].id, "adopted", "Ja.")
    assert first.status_code == 302
    assert first.headers["Location"].endswith(f"#aanbeveling-{recs[1].id}")
    refused = _respond(demo, official, advice_id, recs[1].id, "", "Omdat.")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "<!doctype html" in html.lower()
    assert f'href="#r{recs[1].id}-response"' in html and "Omdat." in html
    # the last response: back to the page header, where the next Tab finishes the response
    last = _respond(demo, official, advice_id, recs[1].id, "rejected", "Nee.")
    assert last.headers["Location"].endswith(f"/dossiers/{advice_id}#dossier-acties")


def test_the_next_step_is_in_the_page_header_and_finished_parts_are_folded(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    created = post(
        secretary,
        f"{BASE}/aanvragen/nieuw",
        {
            "subject": "Kop en secties",
            "policy_area": "wmo",
            "subject_kind": "bylaw",
            "received_on": "2026-11-02",
            "deadline": "2026-12-14",
        },
    )
    advice_id = int(created.headers["Location"].rsplit("/", 1)[1])
    url = f"{BASE}/dossiers/{advice_id}"
    page = secretary.get(url).get_data(as_text=True)
    header = page[
        page.index('<div class="page-header">') : page.index('aria-label="Adviescommissie"')
    ]
    assert "In behandeling nemen" in header
    # no link or button between the heading and the step button
    before = header[: header.index("In behandeling nemen")]
    assert not re.search(r"<a\b", before) and before.count("<button") == 1
    # just received: the request's details are open, the history folded
    assert '<details class="fold dossier-section" id="gegevens-sectie" open>' in page
    assert '<details class="fold dossier-section" id="verloop-sectie">' in page

    post(secretary, f"{url}/status", {"target": "in_progress"})
    post(
        secretary,
        f"{url}/advies",
        {"advice_text": "De commissie adviseert positief.\nTweede alinea."},
    )
    for text in ("Een.", "Twee.", "Drie."):
        post(secretary, f"{url}/aanbevelingen", {"text": text})
    page = secretary.get(url).get_data(as_text=True)
    assert '<details class="fold dossier-section" id="gegevens-sectie">' in page
    assert '<details class="fold dossier-section" id="advies-sectie" open>' in page
    for target in ("adopted", "sent"):
        post(secretary, f"{url}/status", {"target": target})
    page = secretary.get(url).get_data(as_text=True)
    # a sent advice: its text folded with the date and its start, the responses open
    assert '<details class="fold dossier-section" id="advies-sectie">' in page
    summary = re.search(r'id="advies-sectie">\s*<summary>(.*?)</summary>', page, re.S)
    assert summary and "Verzonden op" in summary.group(1)
    assert "De commissie adviseert positief." in summary.group(1)
    assert '<details class="fold dossier-section" id="aanbevelingen-sectie" open>' in page
    assert '<details class="fold dossier-section" id="vervolg-sectie" open>' in page
    # a refused form opens its part even when that part is folded at this status
    with demo.app_context():
        db.session.get(AdviceFile, advice_id).status = "response_received"
        db.session.commit()
    refused = post(secretary, f"{url}/vervolg", {"followup_note": ""})
    assert refused.status_code == 400
    assert '<details class="fold dossier-section" id="vervolg-sectie" open>' in refused.get_data(
        as_text=True
    )
    # the printable advice shows everything, folded or not
    printed = secretary.get(f"{url}/afdrukken").get_data(as_text=True)
    assert "<details" not in printed
    for text in ("De commissie adviseert positief.", "Tweede alinea.", "Een.", "Twee.", "Drie."):
        assert text in printed


def test_the_fragments_need_the_permission_and_the_municipality(demo) -> None:  # type: ignore[no-untyped-def]
    secretary = signed_in(demo, "zaanstad", "secretaris")
    advice_id = _new_file(secretary, "Rechten inline")
    url = f"{BASE}/dossiers/{advice_id}/aanbevelingen"
    official = signed_in(demo, "zaanstad", "ambtenaar")  # no adviescommissie.member
    denied = post(official, url, {"text": "Mag niet."}, headers=HX)
    assert denied.status_code == 403
    # an error page reaching htmx replaces the main content, never a page inside the list
    assert denied.headers["HX-Retarget"] == "#inhoud"
    other = signed_in(demo, "zwolle", "griffier")
    assert post(other, url, {"text": "Mag niet."}, headers=HX).status_code in (403, 404)
    anonymous = demo.test_client()
    assert post(anonymous, url, {"text": "Mag niet."}, headers=HX).status_code == 302
    assert _recommendations(demo, advice_id) == []


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
def test_timeliness_stores_only_its_choices(demo, blank: str) -> None:  # type: ignore[no-untyped-def]
    """The empty choice means "not yet judged"; whitespace is read as that, never stored."""
    from plugins.adviescommissie.models import AdviceFile

    secretary = signed_in(demo, "zaanstad", "secretaris")
    response = post(
        secretary,
        f"{BASE}/aanvragen/nieuw",
        {
            "subject": "Tijdigheid",
            "policy_area": "wmo",
            "subject_kind": "bylaw",
            "received_on": "2026-11-02",
            "deadline": "2026-12-14",
            "timeliness": blank,
        },
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    advice_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with demo.app_context():
        assert db.session.get(AdviceFile, advice_id).timeliness in ("", None)
