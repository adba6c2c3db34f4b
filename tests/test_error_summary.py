"""Every refused form gets one error summary at the top of the page that links to each
field (NL Design System / GOV.UK pattern), the errors stay next to their fields, the
summary (or, after a save, the confirmation) gets the focus, required fields are marked."""

from __future__ import annotations

import re

from intranet.testing.helpers import form_errors, post, signed_in


def _summary(body: str) -> str:
    match = re.search(r"<div[^>]*data-error-summary[^>]*>(.*?)</div>", body, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_refused_form_has_a_linked_summary_and_errors_by_the_fields(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    response = post(clerk, "/zwolle/inwoners/nieuw", {"name": "", "email": "geen-mail"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    summary = _summary(body)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "<h2" in summary
    # each error in the summary links to its field, which exists on the page
    links = re.findall(r'href="#([^"]+)"[^>]*>([^<]+)</a>', summary)
    targets = {t for t, _ in links}
    assert {"name", "email"} <= targets
    for target in targets:
        assert f'id="{target}"' in body
    assert any("Vul de naam van de inwoner in." in text for _, text in links)
    # and the errors are still next to the fields
    assert "Vul de naam van de inwoner in." in form_errors(body)
    # the summary comes before the form
    assert body.index("data-error-summary") < body.index('<form method="post"', body.index("<main"))


def test_summary_for_a_plugin_form_links_checkboxes_to_their_first_option(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    response = post(clerk, "/zwolle/raadsgesprekken/aanvragen/nieuw", {})
    assert response.status_code in (200, 400)
    body = response.get_data(as_text=True)
    summary = _summary(body)
    assert 'href="#care_kinds-0"' in summary
    assert 'id="care_kinds-0"' in body
    assert "Kies minstens één soort zorg of ondersteuning." in summary


def test_care_kind_is_marked_required_like_the_other_required_fields(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    body = clerk.get("/zwolle/raadsgesprekken/aanvragen/nieuw").get_data(as_text=True)
    legend = re.search(r"<legend[^>]*>Soort zorg of ondersteuning(.*?)</legend>", body, re.S)
    assert legend and "(verplicht)" in legend.group(1)
    label = re.search(r'<label[^>]*for="received_via"[^>]*>(.*?)</label>', body, re.S)
    assert label and "(verplicht)" in label.group(1)


def test_a_page_without_errors_has_no_summary_and_a_confirmation_is_focusable(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    body = clerk.get("/zwolle/inwoners/nieuw").get_data(as_text=True)
    assert "data-error-summary" not in body
    response = post(
        clerk,
        "/zwolle/inwoners/nieuw",
        {"name": "Fenna Focus", "kind": "client"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    flash = re.search(r"<div[^>]*data-flash[^>]*>", body)
    assert flash and 'tabindex="-1"' in flash.group(0) and 'role="status"' in flash.group(0)
    assert "js/focus.js" in body


def test_focus_script_is_served_from_the_app(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/static/js/focus.js")
    assert response.status_code == 200
    assert "data-error-summary" in response.get_data(as_text=True)
