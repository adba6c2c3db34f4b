"""Control characters are refused once, for every form field and query parameter (issue 10 §3).

PostgreSQL refuses NUL in text; before this, about 55 endpoints answered 500 on a NUL byte.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intranet.extensions import db
from intranet.residents.models import Resident
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.web.input import FIELD_MESSAGE


def _residents(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Resident)).scalar_one()


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x0b"])
def test_a_control_character_in_a_form_field_is_shown_next_to_that_field(demo, char) -> None:  # type: ignore[no-untyped-def]
    before = _residents(demo)
    griffier = signed_in(demo, "zwolle", "griffier")
    response = post(
        griffier,
        "/zwolle/inwoners/nieuw",
        {"name": f"NUL{char}test", "kind": "client", "email": "", "phone": ""},
    )
    assert response.status_code in (200, 400)
    html = response.get_data(as_text=True)
    errors = form_errors(html)
    assert any("stuurteken" in e for e in errors), errors
    assert FIELD_MESSAGE.split(" (")[0] in html
    assert _residents(demo) == before


def test_tabs_and_line_breaks_stay_allowed(demo) -> None:  # type: ignore[no-untyped-def]
    from intranet.web.input import has_control_characters

    assert not has_control_characters("regel 1\r\nregel 2\tkolom")
    assert has_control_characters("a\x00b")


@pytest.mark.parametrize(
    "url",
    [
        "/zwolle/inwoners/?q=ab%00cd",
        "/zwolle/inwoners/?q%00=x",
        "/zwolle/kalender?jaar=2026%01&maand=1",
        "/zwolle/audit/?actie=%1b",
    ],
)
def test_a_control_character_in_the_query_gives_a_dutch_400(demo, url) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    response = griffier.get(url)
    assert response.status_code == 400
    assert "stuurteken" in response.get_data(as_text=True)


def test_a_control_character_in_the_path_is_refused_before_any_lookup(demo, client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/zw%00olle/", "/publiek/zaanstad/meedenkgroepen/afmelden/ab%00cd"):
        assert client.get(url).status_code in (400, 404)


def test_login_with_nul_in_the_user_name_is_a_field_error(demo, client) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/zwolle/inloggen", {"username": "grif\x00fier", "password": "x"})
    assert response.status_code in (200, 400)
    assert "stuurteken" in response.get_data(as_text=True)
