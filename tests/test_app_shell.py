"""The app shell: the menu grouped per area under headings in <details> (folds without
JavaScript) with only what the employee may use, breadcrumbs, and a start page per role
with what is on today."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.helpers import signed_in
from intranet.timeutil import utcnow


def _groups(body: str) -> dict[str, list[str]]:
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', body, re.S)
    assert nav, "no main menu"
    out: dict[str, list[str]] = {}
    for heading, items in re.findall(
        r'<details class="nav-group"[^>]*>\s*<summary[^>]*><h2[^>]*>([^<]+)</h2></summary>(.*?)</details>',
        nav.group(1),
        re.S,
    ):
        out[heading] = re.findall(r"<a [^>]*>([^<]+)</a>", items)
    return out


def test_menu_is_grouped_per_area_with_only_what_the_clerk_may_use(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    body = clerk.get("/zwolle/").get_data(as_text=True)
    groups = _groups(body)
    assert "Algemeen" in groups and "Start" in groups["Algemeen"]
    assert "Raadsgesprekken" in groups
    assert len(groups) > 2, "the demo clerk works in more than one plugin"
    # on a first visit the start page opens the first plugin's group only, so the clerk does
    # not Tab past every other area to reach their work
    assert _opened(body) == [next(g for g in groups if g not in ("Algemeen", "Beheer"))]
    # elsewhere only the area of the page is open
    body = clerk.get("/zwolle/raadsgesprekken/aanvragen").get_data(as_text=True)
    assert _opened(body) == ["Raadsgesprekken"]


def test_the_start_page_opens_the_area_last_worked_in(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    assert clerk.get("/zwolle/adviescommissie/").status_code == 200
    assert _opened(clerk.get("/zwolle/").get_data(as_text=True)) == ["Adviescommissie"]
    clerk.get("/zwolle/raadsgesprekken/aanvragen")
    assert _opened(clerk.get("/zwolle/").get_data(as_text=True)) == ["Raadsgesprekken"]
    # the start page itself does not change what is remembered
    clerk.get("/zwolle/")
    assert _opened(clerk.get("/zwolle/").get_data(as_text=True)) == ["Raadsgesprekken"]


def _opened(body: str) -> list[str]:
    return re.findall(r'<details class="nav-group" open>\s*<summary[^>]*><h2[^>]*>([^<]+)<', body)


def test_a_council_member_sees_no_administration(demo) -> None:  # type: ignore[no-untyped-def]
    member = signed_in(demo, "zwolle", "raadslid2")
    groups = _groups(member.get("/zwolle/").get_data(as_text=True))
    assert "Beheer" not in groups
    assert not any("Auditlog" in items or "Toegang" in items for items in groups.values())
    admin = signed_in(demo, "zwolle", "beheerder")
    groups = _groups(admin.get("/zwolle/").get_data(as_text=True))
    assert "Toegang" in groups.get("Beheer", [])


def test_breadcrumbs_lead_back_to_the_start_and_the_area(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    body = clerk.get("/zwolle/raadsgesprekken/aanvragen/nieuw").get_data(as_text=True)
    crumbs = re.search(
        r'<nav class="utrecht-breadcrumb-nav[^"]*" aria-label="Kruimelpad">(.*?)</nav>', body, re.S
    )
    assert crumbs
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', crumbs.group(1))
    assert links[0] == ("/zwolle/", "Start")
    assert ("/zwolle/raadsgesprekken/aanvragen", "Aanvragen") in links or any(
        href == "/zwolle/raadsgesprekken/" for href, _ in links
    )
    assert 'aria-current="page"' in crumbs.group(1)
    # the start page has none
    assert "Kruimelpad" not in clerk.get("/zwolle/").get_data(as_text=True)


def test_a_conversation_held_earlier_today_is_on_the_council_members_start_page(demo) -> None:  # type: ignore[no-untyped-def]
    from intranet.timeutil import today
    from plugins.raadsgesprekken.models import (
        AppointmentCouncilMember,
        ConversationAppointment,
        CouncilMember,
    )
    from plugins.raadsgesprekken.service import local_to_utc

    with demo.app_context():
        member = db.session.execute(
            select(CouncilMember).where(CouncilMember.username == "raadslid2")
        ).scalar_one()
        appt = (
            db.session.execute(
                select(ConversationAppointment)
                .join(AppointmentCouncilMember)
                .where(
                    AppointmentCouncilMember.member_id == member.id,
                    ConversationAppointment.cancelled.is_(False),
                )
            )
            .scalars()
            .first()
        )
        assert appt is not None
        now = utcnow()
        midnight = local_to_utc(today(), datetime.min.time())
        appt.starts_at = midnight + (now - midnight) / 2  # earlier today, whenever this runs
        appt.ends_at = appt.starts_at + timedelta(minutes=1)
        appt_id = appt.id
        db.session.commit()
    body = signed_in(demo, "zwolle", "raadslid2").get("/zwolle/").get_data(as_text=True)
    assert f"/zwolle/raadsgesprekken/gesprekken/{appt_id}" in body or re.search(
        rf'href="[^"]*/{appt_id}"[^>]*>[^<]*Raadsgesprek', body
    )
    today_section = re.search(r'<section aria-labelledby="vandaag">(.*?)</section>', body, re.S)
    assert today_section and "Raadsgesprek" in today_section.group(1)


def test_a_later_page_of_a_list_says_so_in_its_title(demo) -> None:  # type: ignore[no-untyped-def]
    """Page 2 of the audit log is not titled like page 1: a browser tab, the history and a
    screen reader's page announcement tell them apart."""
    import re

    from intranet.testing.helpers import signed_in

    admin = signed_in(demo, "zwolle", "beheerder")
    from intranet.audit.views import PAGE_SIZE

    for _ in range(PAGE_SIZE + 1):
        admin.get("/zwolle/inwoners/")  # each read is audited: enough for a second page
    first = admin.get("/zwolle/audit/").get_data(as_text=True)
    second = admin.get("/zwolle/audit/?pagina=2").get_data(as_text=True)
    title = re.compile(r"<title>(.*?)</title>", re.S)
    assert "pagina" not in title.search(first).group(1)
    assert "pagina 2 van" in title.search(second).group(1)
