"""Lists that work (issue 14.2): sort, filter and paging in the URL through one helper,
``intranet.web.listing``, here through the residents list (the raadsgesprekken requests list
has its own test beside the plugin)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service
from intranet.residents.models import Resident
from intranet.testing.helpers import count_queries, signed_in
from intranet.web.listing import clean_arg, parse_page

BASE = "/zwolle/inwoners/"


@pytest.fixture
def clerk(demo):  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        db.session.execute(
            Resident.__table__.insert(),
            [
                {
                    "municipality_id": zwolle.id,
                    "name": f"Lijsttest {i:03d}",
                    "kind": "expert" if i % 2 else "carer",
                    "neighbourhood": f"Wijk {i % 7}",
                    "notes": "",
                }
                for i in range(60)
            ],
        )
        db.session.commit()
    return signed_in(demo, "zwolle", "griffier")


def _names(html: str) -> list[str]:
    return re.findall(r'<a class="utrecht-link" href="/zwolle/inwoners/\d+">([^<]+)</a>', html)


def test_sort_header_links_carry_aria_sort_and_toggle(clerk) -> None:  # type: ignore[no-untyped-def]
    page = clerk.get(BASE + "?q=Lijsttest").get_data(as_text=True)
    assert re.search(r'aria-sort="ascending"><a [^>]*href="[^"]*sorteer=naam&amp;volgorde=af', page)
    assert page.count('aria-sort="none"') == 3
    assert _names(page)[:2] == ["Lijsttest 000", "Lijsttest 001"]
    down = clerk.get(BASE + "?q=Lijsttest&sorteer=naam&volgorde=af").get_data(as_text=True)
    assert 'aria-sort="descending"' in down
    assert _names(down)[:2] == ["Lijsttest 059", "Lijsttest 058"]
    by_kind = clerk.get(BASE + "?q=Lijsttest&sorteer=soort&volgorde=op").get_data(as_text=True)
    assert re.search(r'<th [^>]*aria-sort="ascending"><a[^>]*>Soort', by_kind)


def test_filters_and_paging_stay_in_the_url(clerk) -> None:  # type: ignore[no-untyped-def]
    page = clerk.get(BASE + "?q=Lijsttest&soort=expert&sorteer=naam&volgorde=af").get_data(
        as_text=True
    )
    assert "30 inwoners gevonden" in page
    assert _names(page)[0] == "Lijsttest 059"
    assert "Lijsttest 058" not in page  # a carer
    # the next-page link keeps filter and sort; the form keeps the sort as hidden fields
    following = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert all(p in following for p in ("q=Lijsttest", "soort=expert", "sorteer=naam", "pagina=2"))
    assert '<input type="hidden" name="sorteer" value="naam">' in page
    second = clerk.get(following).get_data(as_text=True)
    assert "Pagina 2 van 2" in second and 'value="expert" selected' in second


@pytest.mark.parametrize(
    "query",
    [
        "?sorteer=password",
        "?sorteer=naam;DROP TABLE resident&volgorde=sideways",
        "?pagina=-3",
        "?pagina=0",
        "?pagina=99999999999999999999999999999",
        "?soort=nonsense",
        "?pagina=١٢",  # Arabic-Indic digits are digits to Python, not to us
    ],
)
def test_bad_parameters_fall_back_to_defaults(clerk, query: str) -> None:  # type: ignore[no-untyped-def]
    response = clerk.get(BASE + query)
    assert response.status_code == 200
    assert 'aria-sort="ascending"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["?pagina=%00", "?q=%00%00Lijst", "?sorteer=%00naam&volgorde=%00"]
)
def test_control_characters_are_refused_before_the_list(clerk, query: str) -> None:  # type: ignore[no-untyped-def]
    """The core refuses them for every page (intranet/web/input.py): a 400, never a 500."""
    assert clerk.get(BASE + query).status_code == 400


def test_empty_state_says_what_to_do(clerk) -> None:  # type: ignore[no-untyped-def]
    page = clerk.get(BASE + "?q=NiemandHeetZo").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in page
    assert 'href="/zwolle/inwoners/">Wis de filters' in page


def test_empty_registry_offers_registering(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zaanstad = service.by_slug("zaanstad")
        for resident in db.session.execute(
            select(Resident).where(Resident.municipality_id == zaanstad.id)
        ).scalars():
            db.session.delete(resident)
        db.session.commit()
    page = signed_in(demo, "zaanstad", "secretaris").get("/zaanstad/inwoners/")
    assert page.status_code in (200, 403)
    if page.status_code == 200:
        assert "Er zijn nog geen inwoners geregistreerd." in page.get_data(as_text=True)


def test_query_count_does_not_grow_with_rows_when_sorted_and_filtered(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    url = BASE + "?q=Lijsttest&sorteer=wijk&volgorde=af&pagina=2"
    clerk.get(url)
    small = count_queries(demo, clerk, url)
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        db.session.execute(
            Resident.__table__.insert(),
            [
                {"municipality_id": zwolle.id, "name": f"Lijsttest x{i}", "kind": "client"}
                for i in range(500)
            ],
        )
        db.session.commit()
    assert count_queries(demo, clerk, url) == small


def test_argument_cleaning() -> None:
    assert clean_arg("a\x00b\tc ") == "abc"
    assert clean_arg("x" * 500) == "x" * 100
    assert parse_page("7") == 7
    assert parse_page("-7") == 1
    assert parse_page("9" * 40) == 1
    assert parse_page(None) == 1
