"""Lists that work (issue 14.2) for administrators: the audit log and the access overview sort,
filter and page with everything in the URL, through ``intranet.web.listing``."""

from __future__ import annotations

import re

import pytest

from intranet.audit.service import record
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.municipalities import service
from intranet.testing.helpers import count_queries, form_errors, signed_in

AUDIT = "/zwolle/audit/"
ACCESS = "/zwolle/toegang/"


def _events(demo, n: int, action: str = "lijsttest.gebeurd", slug: str = "zwolle") -> None:
    with demo.app_context():
        municipality = service.by_slug(slug)
        for i in range(n):
            record(
                action,
                object_type="lijst",
                object_id=i,
                municipality=municipality,
                actor=f"tester{i:03d}",
            )
        db.session.commit()


def _employees(demo, n: int, slug: str = "zwolle") -> None:
    with demo.app_context():
        municipality = service.by_slug(slug)
        db.session.add_all(
            Employee(
                municipality_id=municipality.id,
                username=f"lijst{i:03d}",
                dn=f"uid=lijst{i:03d},dc={slug}",
                display_name=f"Lijstmens {i:03d}",
                active=i % 3 != 0,
            )
            for i in range(n)
        )
        db.session.commit()


@pytest.fixture
def admin(demo):  # type: ignore[no-untyped-def]
    return signed_in(demo, "zwolle", "beheerder")


def _next(page: str) -> str:
    return re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_audit_log_sorts_filters_and_pages_in_the_url(demo, admin) -> None:  # type: ignore[no-untyped-def]
    _events(demo, 130)
    page = admin.get(AUDIT + "?handeling=lijsttest").get_data(as_text=True)
    assert "130 gebeurtenissen gevonden." in page
    assert re.search(r'<th [^>]*aria-sort="descending"><a [^>]*>Tijd', page)
    following = _next(page)
    assert "handeling=lijsttest" in following and "pagina=2" in following
    second = admin.get(following).get_data(as_text=True)
    assert "Pagina 2 van 2" in second and second.count("tester") == 30
    by_actor = admin.get(AUDIT + "?handeling=lijsttest&sorteer=medewerker&volgorde=op")
    text = by_actor.get_data(as_text=True)
    assert re.search(r'aria-sort="ascending"><a [^>]*sorteer=medewerker&amp;volgorde=af', text)
    assert text.index("tester000") < text.index("tester001") < text.index("tester099")
    assert '<input type="hidden" name="sorteer" value="medewerker">' in text
    one = admin.get(AUDIT + "?handeling=lijsttest&medewerker=tester007").get_data(as_text=True)
    assert "1 gebeurtenis gevonden." in one
    # the CSV export takes the same filters
    export = admin.get(AUDIT + "export.csv?handeling=lijsttest&medewerker=tester007")
    assert export.get_data(as_text=True).count("lijsttest.gebeurd") == 1


def test_audit_log_bad_values_never_fail(admin) -> None:  # type: ignore[no-untyped-def]
    for query in (
        "?sorteer=details",
        "?pagina=-1",
        "?pagina=" + "9" * 30,
        "?resultaat=nee",
        "?volgorde=zijwaarts&sorteer=tijd",
    ):
        assert admin.get(AUDIT + query).status_code == 200, query
    response = admin.get(AUDIT + "?van=31-02-2026")
    assert form_errors(response.get_data(as_text=True)) == [
        "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 30-11-2026."
    ]
    assert admin.get(AUDIT + "?medewerker=%00").status_code == 400


def test_audit_log_is_one_municipalitys(demo, admin) -> None:  # type: ignore[no-untyped-def]
    _events(demo, 3, action="lijsttest.elders", slug="zaanstad")
    page = admin.get(AUDIT + "?handeling=lijsttest.elders").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in page and "tester000" not in page


def test_audit_log_queries_do_not_grow_with_rows(demo, admin) -> None:  # type: ignore[no-untyped-def]
    _events(demo, 10)
    url = AUDIT + "?handeling=lijsttest&sorteer=handeling&volgorde=af"
    admin.get(url)
    small = count_queries(demo, admin, url)
    _events(demo, 150)
    assert count_queries(demo, admin, url) == small


def test_access_overview_sorts_filters_and_pages(demo, admin) -> None:  # type: ignore[no-untyped-def]
    _employees(demo, 70)
    page = admin.get(ACCESS + "?medewerker=Lijstmens").get_data(as_text=True)
    assert "70 medewerkers gevonden." in page and "Pagina 1 van 2" in page
    assert page.index("Lijstmens 000") < page.index("Lijstmens 001")
    second = admin.get(_next(page)).get_data(as_text=True)
    assert "Lijstmens 069" in second and "Lijstmens 000" not in second
    down = admin.get(ACCESS + "?medewerker=lijst&sorteer=gebruikersnaam&volgorde=af")
    text = down.get_data(as_text=True)
    assert 'aria-sort="descending"' in text and "Lijstmens 069" in text
    assert text.index("Lijstmens 069") < text.index("Lijstmens 068")


def test_access_overview_role_and_source_filters(demo, admin) -> None:  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "griffier")
    everyone = admin.get(ACCESS).get_data(as_text=True)
    assert ">griffier<" in everyone and ">beheerder<" in everyone
    assert ">griffier<" in admin.get(ACCESS + "?bron=group").get_data(as_text=True)
    assert ">griffier<" not in admin.get(ACCESS + "?bron=manual").get_data(as_text=True)
    for query in ("?rol=bestaatniet", "?bron=%C3%A9", "?sorteer=wachtwoord", "?pagina=0"):
        assert admin.get(ACCESS + query).status_code == 200, query
    nobody = admin.get(ACCESS + "?medewerker=NiemandHeetZo").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in nobody


def test_access_overview_is_one_municipalitys(demo, admin) -> None:  # type: ignore[no-untyped-def]
    _employees(demo, 2, slug="zaanstad")
    page = admin.get(ACCESS + "?medewerker=Lijstmens").get_data(as_text=True)
    assert "Lijstmens 000" not in page and "Niets gevonden met deze filters." in page


def test_access_overview_queries_do_not_grow_with_rows(demo, admin) -> None:  # type: ignore[no-untyped-def]
    url = ACCESS + "?medewerker=Lijst&sorteer=status"
    _employees(demo, 5)
    admin.get(url)
    small = count_queries(demo, admin, url)
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        db.session.add_all(
            Employee(
                municipality_id=zwolle.id,
                username=f"extra{i}",
                dn=f"uid=extra{i}",
                display_name=f"Lijst extra {i}",
            )
            for i in range(120)
        )
        db.session.commit()
    assert count_queries(demo, admin, url) == small
