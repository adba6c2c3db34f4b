"""Adding, moving, removing and editing a draft's questions in place (issue 14.3): an htmx
request gets the questions section back with the focus where the user continues and the
confirmation for the status line; a refused add keeps the Dutch error next to the field with
a summary by the form. The same forms still post and redirect without JavaScript, and the
primary action (sending) comes before the questions' buttons."""

from __future__ import annotations

import re

from test_meedenkgroepen_question_edit import _draft, _ids, _texts
from test_meedenkgroepen_support import BASE

from intranet.testing.helpers import post, signed_in

HTMX = {"HX-Request": "true"}


def _focus(fragment: str) -> str:
    found = re.search(r'data-focus="([^"]+)"', fragment)
    assert found, fragment[:500]
    return found.group(1)


def test_an_htmx_add_answers_with_the_questions_and_the_focus_on_the_form(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert f'hx-post="{BASE}/vragenlijsten/{qid}/vragen"' in page
    assert 'id="vragen-melding" class="idea-status" role="status"' in page
    # the send link comes before the first question's buttons
    assert page.index(f"/vragenlijsten/{qid}/verzenden") < page.index("/bewerken")

    r = post(
        c, f"{BASE}/vragenlijsten/{qid}/vragen", {"kind": "open", "text": "Vierde?"}, headers=HTMX
    )
    assert r.status_code == 200
    fragment = r.get_data(as_text=True)
    assert not fragment.lstrip().lower().startswith("<!doctype")
    # the add form is what is replaced, the list comes along out of band
    assert fragment.lstrip().startswith('<div id="vraag-toevoegen-deel" data-focus="kind"')
    assert '<div id="vragen-lijst" hx-swap-oob="outerHTML">' in fragment
    assert "Vierde?" in fragment and _focus(fragment) == "kind"
    assert re.search(
        r'id="vragen-melding" hx-swap-oob="innerHTML">.*Vraag 4 is toegevoegd', fragment, re.S
    )
    # the add form comes back empty, ready for the next question
    assert 'value="Vierde?"' not in fragment
    assert _texts(demo, qid) == ["Eerste?", "Tweede?", "Derde?", "Vierde?"]


def test_a_refused_htmx_add_keeps_the_error_next_to_the_field(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    r = post(
        c,
        f"{BASE}/vragenlijsten/{qid}/vragen",
        {"kind": "single", "text": "Ja of nee?", "options": "Alleen ja"},
        headers=HTMX,
    )
    assert r.status_code == 400
    fragment = r.get_data(as_text=True)
    assert "<html" not in fragment
    assert _focus(fragment) == "vraag-foutmeldingen"
    assert 'id="options-error"' in fragment
    assert "Geef minstens twee antwoordmogelijkheden" in fragment
    summary = fragment[fragment.index('id="vraag-foutmeldingen"') :]
    assert 'href="#options"' in summary
    # what was typed stays
    assert 'value="Ja of nee?"' in fragment and "Alleen ja</textarea>" in fragment
    assert _texts(demo, qid) == ["Eerste?", "Tweede?", "Derde?"]


def test_without_htmx_the_add_still_posts_and_redirects(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen", {"kind": "open", "text": "Vierde?"})
    assert r.status_code == 302 and r.headers["Location"].endswith("#vragen")
    refused = post(c, f"{BASE}/vragenlijsten/{qid}/vragen", {"kind": "open", "text": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "<html" in page
    assert 'id="foutmeldingen"' in page and 'id="vraag-foutmeldingen"' not in page


def test_an_htmx_move_keeps_the_focus_on_the_moved_question(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    first, second, third = _ids(demo, qid)
    r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{first}/omlaag", headers=HTMX)
    fragment = r.get_data(as_text=True)
    assert r.status_code == 200 and _focus(fragment) == f"vraag-{first}-omlaag"
    assert f'id="vraag-{first}-omlaag"' in fragment
    assert "verplaatst naar plaats 2" in fragment
    r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{first}/omlaag", headers=HTMX)
    # now last: no "Omlaag" any more, the focus on its "Omhoog"
    assert _focus(r.get_data(as_text=True)) == f"vraag-{first}-omhoog"
    assert _texts(demo, qid) == ["Tweede?", "Derde?", "Eerste?"]
    r = post(c, f"{BASE}/vragenlijsten/{qid}/vragen/{third}/verwijderen", headers=HTMX)
    assert _focus(r.get_data(as_text=True)) == "vragen-melding"
    assert _texts(demo, qid) == ["Tweede?", "Eerste?"]
    assert second


def test_an_htmx_edit_opens_in_place_and_saves_in_place(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _draft(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    first = _ids(demo, qid)[0]
    url = f"{BASE}/vragenlijsten/{qid}/vragen/{first}/bewerken"
    opened = c.get(url, headers=HTMX).get_data(as_text=True)
    assert opened.lstrip().startswith(f'<li id="vraag-{first}"')
    assert _focus(opened) == f"vraag{first}-kind"
    assert f'name="vraag{first}-text"' in opened and 'value="Eerste?"' in opened

    p = f"vraag{first}-"
    refused = _post_prefixed(c, url, p, {"kind": "open", "text": ""})
    assert refused.status_code == 400
    refused_html = refused.get_data(as_text=True)
    assert refused_html.lstrip().startswith(f'<li id="vraag-{first}"')
    assert _focus(refused_html) == f"vraag-{first}-foutmeldingen"
    assert f'id="vraag{first}-text-error"' in refused_html and "Vul de vraag in." in refused_html
    assert _texts(demo, qid)[0] == "Eerste?"

    saved = _post_prefixed(c, url, p, {"kind": "open", "text": "Eerste, anders?"})
    assert saved.status_code == 200
    assert saved.headers["HX-Retarget"] == "#vragen-lijst"
    fragment = saved.get_data(as_text=True)
    assert _focus(fragment) == f"vraag-{first}-bewerken"
    assert "Vraag 1 is opgeslagen." in fragment
    assert _texts(demo, qid)[0] == "Eerste, anders?"

    cancel = c.get(f"{BASE}/vragenlijsten/{qid}?vraag={first}", headers=HTMX)
    assert _focus(cancel.get_data(as_text=True)) == f"vraag-{first}-bewerken"


def _post_prefixed(c, url: str, prefix: str, data: dict):  # type: ignore[no-untyped-def]
    from intranet.testing.helpers import csrf_token

    values = {prefix + k: v for k, v in data.items()}
    values[prefix + "csrf_token"] = csrf_token(c, c.application)
    return c.post(url, data=values, headers=HTMX)


def test_a_questionnaires_end_date_follows_its_start_date(demo) -> None:  # type: ignore[no-untyped-def]
    """The dates follow each other, the eight theme boxes come after them (issue 14: the end
    date was 13 Tabs after the panel)."""
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/vragenlijsten/nieuw").get_data(as_text=True)
    order = [page.index(f'id="{name}"') for name in ("panel_id", "opens_on", "closes_on")]
    assert order == sorted(order)
    assert page.index('id="closes_on"') < page.index('id="themes-0"')
    between = page[page.index('id="panel_id"') : page.index('id="closes_on"')]
    assert between.count("<input") + between.count("<select") <= 2
