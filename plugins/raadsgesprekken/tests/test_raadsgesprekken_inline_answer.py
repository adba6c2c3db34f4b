"""Answering the executive idea after idea (issue 14.3): an htmx post gets the idea's section
back (focus on the next idea, the Dutch error next to the box when refused), a plain post still
reloads the summary at the idea's anchor, and both need the pass-on permission."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.raadsgesprekken.models import ConversationReport, ExecutiveSummary, ReportIdea

BASE = "/zwolle/raadsgesprekken"
HX = {"HX-Request": "true"}


def _summary_with_ideas() -> int:
    """A summary holding every demo report of Zwolle."""
    zwolle = municipalities.by_slug("zwolle")
    reports = (
        db.session.execute(
            select(ConversationReport).where(ConversationReport.municipality_id == zwolle.id)
        )
        .scalars()
        .all()
    )
    summ = ExecutiveSummary(
        municipality_id=zwolle.id,
        title="Wat we hoorden",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        created_by="griffier",
        report_ids=[r.id for r in reports],
    )
    db.session.add(summ)
    db.session.flush()
    for report in reports:
        for idea in report.ideas:
            idea.summary_id = summ.id
    db.session.commit()
    return summ.id


def _ideas_on_page(client, summary_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    page = client.get(f"{BASE}/doorgeefluik/{summary_id}").get_data(as_text=True)
    ideas = [int(i) for i in re.findall(r'id="idee-sectie-(\d+)"', page)]
    assert len(ideas) >= 2, "the demo needs two ideas in a usable report"
    return ideas


def _answer(idea_id: int) -> str | None:
    return db.session.get(ReportIdea, idea_id).answer


def test_an_htmx_answer_saves_in_place_and_points_at_the_next_idea(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summary_id = _summary_with_ideas()
    griffier = signed_in(demo, "zwolle", "griffier")
    ideas = _ideas_on_page(griffier, summary_id)
    page = griffier.get(f"{BASE}/doorgeefluik/{summary_id}").get_data(as_text=True)
    assert f'hx-post="{BASE}/doorgeefluik/ideeen/{ideas[0]}/antwoord"' in page
    assert 'id="idee-melding"' in page

    answer = post(
        griffier,
        f"{BASE}/doorgeefluik/ideeen/{ideas[0]}/antwoord",
        {"answer": "Het college neemt dit over."},
        headers=HX,
    )
    assert answer.status_code == 200
    fragment = answer.get_data(as_text=True)
    assert "<html" not in fragment and "<nav" not in fragment  # a fragment, not a page
    assert fragment.lstrip().startswith(
        f'<section class="widget idea-answer" id="idee-sectie-{ideas[0]}"'
    )
    assert f'data-focus="answer-{ideas[1]}"' in fragment
    assert "Het college neemt dit over." in fragment
    assert re.search(r'id="idee-melding" hx-swap-oob="innerHTML">.*is vastgelegd', fragment)
    assert "HX-Retarget" not in answer.headers
    with demo.app_context():
        assert _answer(ideas[0]) == "Het college neemt dit over."

    # the last idea: the focus goes to the confirmation, there is no next box
    last = post(
        griffier,
        f"{BASE}/doorgeefluik/ideeen/{ideas[-1]}/antwoord",
        {"answer": "Wordt onderzocht."},
        headers=HX,
    ).get_data(as_text=True)
    assert 'data-focus="idee-melding"' in last


def test_a_refused_htmx_answer_keeps_the_error_next_to_the_box(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summary_id = _summary_with_ideas()
    griffier = signed_in(demo, "zwolle", "griffier")
    ideas = _ideas_on_page(griffier, summary_id)
    with demo.app_context():
        before = _answer(ideas[1])
    # only spaces is no answer either: refused like an empty box, nothing saved
    spaces = post(
        griffier, f"{BASE}/doorgeefluik/ideeen/{ideas[1]}/antwoord", {"answer": "   "}, headers=HX
    )
    assert spaces.status_code == 400
    assert form_errors(spaces.get_data(as_text=True)) == ["Vul het antwoord van het college in."]
    refused = post(
        griffier, f"{BASE}/doorgeefluik/ideeen/{ideas[1]}/antwoord", {"answer": ""}, headers=HX
    )
    assert refused.status_code == 400
    fragment = refused.get_data(as_text=True)
    assert "<html" not in fragment
    assert form_errors(fragment) == ["Vul het antwoord van het college in."]
    assert f'id="answer-{ideas[1]}" name="answer" rows="3" aria-invalid="true"' in fragment
    assert f'data-focus="answer-{ideas[1]}"' in fragment
    assert "HX-Retarget" not in refused.headers
    with demo.app_context():
        assert _answer(ideas[1]) == before


def test_without_javascript_the_same_form_posts_and_returns_to_the_idea(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summary_id = _summary_with_ideas()
    griffier = signed_in(demo, "zwolle", "griffier")
    ideas = _ideas_on_page(griffier, summary_id)
    saved = post(
        griffier, f"{BASE}/doorgeefluik/ideeen/{ideas[0]}/antwoord", {"answer": "Overgenomen."}
    )
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/doorgeefluik/{summary_id}#idee-{ideas[0]}")
    refused = post(griffier, f"{BASE}/doorgeefluik/ideeen/{ideas[1]}/antwoord", {"answer": ""})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "Vul het antwoord van het college in." in form_errors(page)
    # the error summary links to this idea's own box
    assert f'href="#answer-{ideas[1]}"' in page


def test_the_fragment_needs_the_permission_and_the_municipality(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        summary_id = _summary_with_ideas()
    ideas = _ideas_on_page(signed_in(demo, "zwolle", "griffier"), summary_id)
    with demo.app_context():
        before = _answer(ideas[0])
    url = f"{BASE}/doorgeefluik/ideeen/{ideas[0]}/antwoord"
    member = signed_in(demo, "zwolle", "raadslid")  # no raadsgesprekken.pass_on
    denied = post(member, url, {"answer": "Ja."}, headers=HX)
    assert denied.status_code == 403
    # an error page reaching htmx replaces the main content, never nests a page in the idea
    assert denied.headers["HX-Retarget"] == "#inhoud"
    assert denied.headers["HX-Reselect"] == "#inhoud"
    other = signed_in(demo, "zaanstad", "secretaris")
    assert post(other, url, {"answer": "Ja."}, headers=HX).status_code == 404
    anonymous = demo.test_client()
    assert post(anonymous, url, {"answer": "Ja."}, headers=HX).status_code == 302
    with demo.app_context():
        assert _answer(ideas[0]) == before
