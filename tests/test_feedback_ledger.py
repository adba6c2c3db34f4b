"""The contributions ledger (issue 13, items 1-3): the ``intranet_contributions`` hook, the
Terugkoppeling page with its filters, widget and monthly overview, working-day terms around
Dutch public holidays, tenant isolation, and the resident's page and access request.

The test plugin ``everything`` (tests/fake_site) reports what a test puts in its
``CONTRIBUTIONS``; the built-in plugins report from their demo data.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import intranet_test_everything as everything
import pytest
from sqlalchemy import select

from intranet import timeutil
from intranet.contract import CONTRIBUTION_STATUSES, Contribution
from intranet.extensions import db
from intranet.feedback import service as feedback
from intranet.municipalities import service
from intranet.municipalities.models import PluginState
from intranet.residents.models import Resident
from intranet.testing.helpers import count_queries, signed_in
from intranet.workdays import add_working_days, public_holidays

PAGE = "/zwolle/terugkoppeling/"


@pytest.fixture
def zwolle_on(demo):  # type: ignore[no-untyped-def]
    """The demo with ``everything`` enabled in Zwolle and Zaanstad, reporting nothing yet."""
    everything.CALLS.clear()
    everything.FAIL.clear()
    everything.CONTRIBUTIONS.clear()
    with demo.app_context():
        for slug in ("zwolle", "zaanstad"):
            service.set_plugin_enabled(service.by_slug(slug), "everything", True, actor="test")
        db.session.commit()
    everything.CALLS.clear()
    yield demo
    everything.CONTRIBUTIONS.clear()
    everything.FAIL.clear()


def _item(key: str, due: date | None, **kw) -> Contribution:  # type: ignore[no-untyped-def]
    values = {
        "plugin": "everything",
        "key": key,
        "kind": "meeting_outcome",
        "title": f"Bijdrage {key}",
        "contributed_at": date(2026, 4, 1),
        "theme": "Wonen",
        "feedback_due": due,
        "url": f"/zwolle/everything/#{key}",
    }
    values.update(kw)
    return Contribution(**values)


def _calls(hook: str, slug: str) -> int:
    return sum(1 for name, s in everything.CALLS if name == hook and s == slug)


@pytest.fixture
def fixed_today(monkeypatch):  # type: ignore[no-untyped-def]
    """The core's one "today" (intranet.timeutil.today), fixed on Thursday 30 April 2026."""
    monkeypatch.setattr(timeutil, "today", lambda: date(2026, 4, 30))
    return date(2026, 4, 30)


# -- the hook ---------------------------------------------------------------------------------
def test_hook_intranet_contributions_enabled_disabled_and_not_installed(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    everything.CONTRIBUTIONS["zwolle"] = [_item("a", date(2026, 12, 1))]
    clerk = signed_in(zwolle_on, "zwolle", "griffier")
    everything.CALLS.clear()
    page = clerk.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bijdrage a" in html and 'href="/zwolle/everything/#a"' in html
    assert _calls("intranet_contributions", "zwolle") == 1  # one call per plugin per page
    # the built-in plugins enabled in Zwolle report from their own data
    assert "/zwolle/raadsgesprekken/" in html and "/zwolle/adviescommissie/" in html

    with zwolle_on.app_context():
        zwolle = service.by_slug("zwolle")
        service.set_plugin_enabled(zwolle, "everything", False, actor="test")
        service.set_plugin_enabled(zwolle, "raadsgesprekken", False, actor="test")
        # a plugin that was enabled once and is no longer installed
        db.session.add(
            PluginState(municipality_id=zwolle.id, plugin_name="verdwenen", enabled=True)
        )
        db.session.commit()
    everything.CALLS.clear()
    page = clerk.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bijdrage a" not in html and "/zwolle/raadsgesprekken/" not in html
    assert "/zwolle/adviescommissie/" in html
    assert _calls("intranet_contributions", "zwolle") == 0


def test_a_failing_plugin_is_a_notice_not_a_500(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    everything.FAIL.add("intranet_contributions")
    page = signed_in(zwolle_on, "zwolle", "griffier").get(PAGE)
    assert page.status_code == 200
    assert "/zwolle/adviescommissie/" in page.get_data(as_text=True)


def test_the_built_in_plugins_report_from_their_data(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.test_request_context("/zaanstad/"):
        zaanstad = service.by_slug("zaanstad")
        items = feedback.contributions(zaanstad)
    kinds = {(c.plugin, c.kind) for c in items}
    assert ("meedenkgroepen", "meeting_outcome") in kinds
    assert ("adviescommissie", "advice_recommendation") in kinds
    for c in items:
        assert c.status in CONTRIBUTION_STATUSES
        assert c.url and c.url.startswith("/zaanstad/")
        assert c.feedback_due is None or c.feedback_due >= c.contributed_at


# -- working days and holidays ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 4, 24), 3, date(2026, 4, 30)),  # King's Day, Monday 27 April
        (date(2026, 4, 2), 2, date(2026, 4, 8)),  # Good Friday and Easter Monday
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Ascension Day, Thursday 14 May
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Whit Monday, 25 May
        (date(2026, 12, 24), 2, date(2026, 12, 29)),  # Christmas and Boxing Day
        (date(2025, 4, 25), 1, date(2025, 4, 28)),  # King's Day on a Sunday moves to Saturday
    ],
)
def test_terms_skip_weekends_and_dutch_public_holidays(start, days, due) -> None:  # type: ignore[no-untyped-def]
    assert add_working_days(start, days) == due


def test_kings_day_ascension_and_whit_monday_are_holidays() -> None:
    holidays = public_holidays(2026)
    assert {date(2026, 4, 27), date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25)} <= holidays
    assert date(2025, 4, 26) in public_holidays(2025)  # 27 April 2025 was a Sunday


def test_the_municipality_sets_its_own_term(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    with zwolle_on.app_context():
        zwolle, zaanstad = service.by_slug("zwolle"), service.by_slug("zaanstad")
        assert feedback.feedback_due(zwolle, "council_idea", date(2026, 4, 24)) == add_working_days(
            date(2026, 4, 24), feedback.DEFAULT_TERM
        )
        feedback.set_feedback_term(zwolle, "council_idea", 3)
        db.session.commit()
        assert feedback.feedback_due(zwolle, "council_idea", date(2026, 4, 24)) == date(2026, 4, 30)
        # Zaanstad keeps the default
        assert feedback.feedback_due(zaanstad, "council_idea", date(2026, 4, 24)) != date(
            2026, 4, 30
        )


def test_overdue_in_working_days_around_kings_day(zwolle_on, fixed_today) -> None:  # type: ignore[no-untyped-def]
    everything.CONTRIBUTIONS["zwolle"] = [
        _item("later", date(2026, 5, 4)),
        _item("week", date(2026, 5, 1)),
        _item("late", date(2026, 4, 24)),  # Friday; Monday 27 April is King's Day
        _item("done", date(2026, 4, 1), feedback_sent_at=date(2026, 4, 2)),
        _item("none", None),
    ]
    clerk = signed_in(zwolle_on, "zwolle", "griffier")
    html = clerk.get(PAGE + "?plugin=everything").get_data(as_text=True)
    assert "Bijdrage done" not in html and "Bijdrage none" not in html
    assert html.index("Bijdrage late") < html.index("Bijdrage week") < html.index("Bijdrage later")
    assert "3 werkdagen te laat" in html  # 28, 29, 30 April; not the holiday
    late_only = clerk.get(PAGE + "?plugin=everything&termijn=te-laat").get_data(as_text=True)
    assert "Bijdrage late" in late_only and "Bijdrage week" not in late_only
    week = clerk.get(PAGE + "?plugin=everything&termijn=deze-week").get_data(as_text=True)
    assert "Bijdrage week" in week and "Bijdrage later" not in week
    assert 'value="deze-week" selected' in week  # the filter is kept in the URL and the form
    dashboard = clerk.get("/zwolle/").get_data(as_text=True)
    assert "Terugkoppeling" in dashboard and "termijn=te-laat" in dashboard


def test_filter_by_theme(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    everything.CONTRIBUTIONS["zwolle"] = [
        _item("w", date(2026, 12, 1), theme="Wonen"),
        _item("z", date(2026, 12, 1), theme="Zorg"),
    ]
    html = (
        signed_in(zwolle_on, "zwolle", "griffier").get(PAGE + "?thema=Zorg").get_data(as_text=True)
    )
    assert "Bijdrage z" in html and "Bijdrage w" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?plugin=bestaat-niet", "Kies een plugin uit de lijst."),
        ("?termijn=gisteren", "Kies te laat, deze week of later."),
        ("?thema=" + "x" * 300, "Kies een thema uit de lijst."),
    ],
)
def test_bad_filters_get_a_dutch_message_not_a_500(zwolle_on, query, message) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(zwolle_on, "zwolle", "griffier").get(PAGE + query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("month", ["2026-13", "nov", "2026-1", "99999-01"])
def test_bad_month_gets_a_dutch_message(zwolle_on, month) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(zwolle_on, "zwolle", "griffier")
    for fmt in ("", "&formaat=csv"):
        response = clerk.get(f"{PAGE}overzicht?maand={month}{fmt}")
        assert response.status_code == 400
        assert "Vul een maand in als jjjj-mm" in response.get_data(as_text=True)


def test_control_characters_in_a_filter_are_refused_before_the_page(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    """The core refuses them for every page (intranet/web/input.py): a 400, never a 500."""
    clerk = signed_in(zwolle_on, "zwolle", "griffier")
    for url in (PAGE + "?plugin=%00%ff&termijn=%0a", PAGE + "overzicht?maand=2026-11%00"):
        assert clerk.get(url).status_code == 400


def test_monthly_overview_and_csv_cells_are_safe(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    everything.CONTRIBUTIONS["zwolle"] = [
        _item(
            "formule",
            date(2026, 11, 20),
            title='=HYPERLINK("http://kwaad.example","klik")',
            contributed_at=date(2026, 11, 2),
            feedback_sent_at=date(2026, 11, 18),
            feedback_how="mail",
        ),
        _item("oud", date(2026, 10, 1), title="@SUM(A1)", contributed_at=date(2026, 9, 1)),
    ]
    clerk = signed_in(zwolle_on, "zwolle", "griffier")
    page = clerk.get(PAGE + "overzicht?maand=2026-11")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "november 2026" in html and "HYPERLINK" in html
    response = clerk.get(PAGE + "overzicht?maand=2026-11&formaat=csv")
    assert response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert any(cell.startswith("'@SUM") for cell in cells)  # still overdue at the month's end
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


# -- access and tenancy -----------------------------------------------------------------------
def test_without_the_permission_403(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    member = signed_in(zwolle_on, "zwolle", "raadslid")
    assert member.get(PAGE).status_code == 403
    assert member.get(PAGE + "overzicht?maand=2026-11&formaat=csv").status_code == 403
    assert "termijn=te-laat" not in member.get("/zwolle/").get_data(as_text=True)


def test_zaanstad_never_sees_zwolles_contributions(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    everything.CONTRIBUTIONS["zwolle"] = [_item("geheim", date(2026, 12, 1))]
    html = (
        signed_in(zwolle_on, "zaanstad", "coordinator")
        .get("/zaanstad/terugkoppeling/")
        .get_data(as_text=True)
    )
    assert "Bijdrage geheim" not in html and "/zwolle/" not in html
    # a Zwolle employee cannot open Zaanstad's page
    assert signed_in(zwolle_on, "zwolle", "griffier").get(
        "/zaanstad/terugkoppeling/"
    ).status_code in (
        302,
        403,
        404,
    )
    with zwolle_on.test_request_context("/zaanstad/"):
        zwolle, zaanstad = service.by_slug("zwolle"), service.by_slug("zaanstad")
        ours = {(c.plugin, c.key) for c in feedback.contributions(zaanstad)}
        theirs = {(c.plugin, c.key) for c in feedback.contributions(zwolle)}
    assert ("everything", "geheim") in theirs and ("everything", "geheim") not in ours
    # adviescommissie runs in both: its recommendations never cross over
    assert not {k for k in ours if k[0] == "adviescommissie"} & theirs


def test_queries_stay_bounded_as_plugins_hold_more(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken.models import ConversationReport, ReportIdea

    clerk = signed_in(demo, "zwolle", "griffier")
    count_queries(demo, clerk, PAGE)  # fills the per-process caches
    before = count_queries(demo, clerk, PAGE)
    with demo.app_context():
        report = (
            db.session.execute(
                select(ConversationReport).where(
                    ConversationReport.municipality_id == service.by_slug("zwolle").id
                )
            )
            .scalars()
            .first()
        )
        for n in range(10):
            db.session.add(
                ReportIdea(
                    municipality_id=report.municipality_id, report_id=report.id, text=f"Idee {n}"
                )
            )
        db.session.commit()
    assert count_queries(demo, clerk, PAGE) == before


# -- per resident -----------------------------------------------------------------------------
def _resident(app, name: str) -> Resident:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(Resident).where(Resident.name == name)).scalar_one()


def test_residents_page_and_access_request_show_their_contributions(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    anna = _resident(zwolle_on, "Anna de Jong")
    bram = _resident(zwolle_on, "Bram Hendriks")
    everything.CONTRIBUTIONS["zwolle"] = [
        _item(
            "anna",
            date(2026, 5, 1),
            title="Anna's idee over de wijkbus",
            resident_ids=(anna.id,),
            status="not_used",
            status_reason="Past niet in de begroting",
            feedback_sent_at=date(2026, 4, 20),
            feedback_how="letter",
        )
    ]
    clerk = signed_in(zwolle_on, "zwolle", "griffier")
    html = clerk.get(f"/zwolle/inwoners/{anna.id}").get_data(as_text=True)
    assert "Bijdragen en wat ermee is gedaan" in html
    assert "Anna&#39;s idee over de wijkbus" in html and "Past niet in de begroting" in html
    assert "Niet gebruikt" in html and "Brief" in html
    assert "wijkbus" not in clerk.get(f"/zwolle/inwoners/{bram.id}").get_data(as_text=True)

    officer = signed_in(zwolle_on, "zwolle", "beheerder")
    data = json.loads(officer.get(f"/zwolle/inwoners/{anna.id}/inzage?formaat=json").data)
    records = [
        r
        for s in data["sections"]
        if s["title"] == "Bijdragen en wat ermee is gedaan"
        for r in s["records"]
    ]
    assert any(r["bijdrage"] == "Anna's idee over de wijkbus" for r in records)
    assert any(r["hoe teruggekoppeld"] == "Brief" for r in records)

    # a disabled plugin leaves the resident's page but still answers the access request
    with zwolle_on.app_context():
        service.set_plugin_enabled(service.by_slug("zwolle"), "everything", False, actor="test")
        db.session.commit()
    assert "wijkbus" not in clerk.get(f"/zwolle/inwoners/{anna.id}").get_data(as_text=True)
    assert "wijkbus" in officer.get(f"/zwolle/inwoners/{anna.id}/inzage").get_data(as_text=True)


# -- the municipality's terms -----------------------------------------------------------------
def test_terms_page_saves_and_refuses_bad_input(zwolle_on) -> None:  # type: ignore[no-untyped-def]
    from intranet.testing.helpers import form_errors, post

    clerk = signed_in(zwolle_on, "zwolle", "griffier")
    page = clerk.get(PAGE + "termijnen")
    assert page.status_code == 200 and 'value="20"' in page.get_data(as_text=True)
    data = {kind: "20" for kind in feedback.CONTRIBUTION_KINDS}
    refused = post(
        clerk, PAGE + "termijnen", {**data, "council_idea": "veel", "workshop_input": "0"}
    )
    assert refused.status_code == 400
    errors = form_errors(refused.get_data(as_text=True))
    assert "Vul een aantal werkdagen in van 1 tot en met 250." in errors
    assert any("werkdagen" in e for e in errors) and len(errors) == 2
    with zwolle_on.app_context():
        assert feedback.feedback_terms(service.by_slug("zwolle"))["council_idea"] == 20
    saved = post(clerk, PAGE + "termijnen", {**data, "council_idea": "3"})
    assert saved.status_code == 302
    with zwolle_on.app_context():
        assert feedback.feedback_terms(service.by_slug("zwolle"))["council_idea"] == 3
        assert feedback.feedback_terms(service.by_slug("zaanstad"))["council_idea"] == 20
    # without the token the form is refused; without the permission it is forbidden
    assert clerk.post(PAGE + "termijnen", data={**data, "council_idea": "9"}).status_code == 400
    member = signed_in(zwolle_on, "zwolle", "raadslid")
    assert post(member, PAGE + "termijnen", data).status_code == 403
