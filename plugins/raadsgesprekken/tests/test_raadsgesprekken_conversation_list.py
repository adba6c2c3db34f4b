"""The conversations list (issue 14.2): upcoming by default, past or all on request; sort,
filters and paging in the URL; only what the employee may see; queries per page constant."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.tenancy import all_tenants
from intranet.testing.helpers import count_queries, signed_in
from intranet.timeutil import as_utc, utcnow
from plugins.raadsgesprekken.models import (
    AppointmentCouncilMember,
    ConversationAppointment,
    CouncilMember,
)

BASE = "/zwolle/raadsgesprekken/gesprekken"


def _appointments(app, n: int, slug: str = "zwolle", days: int = 30, form: str = "phone") -> None:  # type: ignore[no-untyped-def]
    """``n`` conversations, a day apart from ``days`` days from now, with the first member."""
    with app.app_context(), all_tenants():
        m = municipalities.by_slug(slug)
        member = (
            db.session.execute(select(CouncilMember).where(CouncilMember.municipality_id == m.id))
            .scalars()
            .first()
        )
        for i in range(n):
            start = utcnow() + timedelta(days=days + i)
            appt = ConversationAppointment(
                municipality_id=m.id,
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                form=form,
                place="Lijstkamer",
            )
            db.session.add(appt)
            db.session.flush()
            if member is not None:
                db.session.add(
                    AppointmentCouncilMember(
                        municipality_id=m.id, appointment_id=appt.id, member_id=member.id
                    )
                )
        db.session.commit()


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/zwolle/raadsgesprekken/gesprekken/(\d+)"', page)]


def test_upcoming_by_default_past_and_all_on_request(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    now = utcnow()
    with demo.app_context(), all_tenants():
        rows = db.session.execute(select(ConversationAppointment)).scalars().all()
        past = {a.id for a in rows if as_utc(a.ends_at) < now - timedelta(hours=12)}
    upcoming = _ids(clerk.get(BASE).get_data(as_text=True))
    assert upcoming and not past & set(upcoming)
    earlier = clerk.get(BASE + "?periode=geweest").get_data(as_text=True)
    assert set(_ids(earlier)) <= past and 'value="geweest" selected' in earlier
    assert '<option value="">Komend</option>' in earlier


def test_sort_filter_and_paging_stay_in_the_url(demo) -> None:  # type: ignore[no-untyped-def]
    _appointments(demo, 30, form="elsewhere")
    clerk = signed_in(demo, "zwolle", "griffier")
    page = clerk.get(BASE + "?vorm=elsewhere").get_data(as_text=True)
    assert "Pagina 1 van 2" in page
    first = _ids(page)
    following = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "vorm=elsewhere" in following and "pagina=2" in following
    assert not set(first) & set(_ids(clerk.get(following).get_data(as_text=True)))
    down = clerk.get(BASE + "?vorm=elsewhere&sorteer=wanneer&volgorde=af").get_data(as_text=True)
    assert re.search(r'aria-sort="descending"><a [^>]*>Wanneer', down)
    assert _ids(down)[0] == max(first + _ids(clerk.get(following).get_data(as_text=True)))
    assert '<input type="hidden" name="sorteer" value="wanneer">' in down
    for bad in (
        "?periode=morgen",
        "?raadslid=999999",
        "?raadslid=abc",
        "?sorteer=place",
        "?pagina=-4",
        "?status=x",
    ):
        assert clerk.get(BASE + bad).status_code == 200, bad
    cancelled = clerk.get(BASE + "?vorm=elsewhere&status=geannuleerd").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in cancelled


def test_other_municipalities_and_other_members_stay_out(demo) -> None:  # type: ignore[no-untyped-def]
    _appointments(demo, 2, slug="zaanstad", form="elsewhere")
    clerk = signed_in(demo, "zwolle", "griffier")
    assert "Niets gevonden" in clerk.get(BASE + "?vorm=elsewhere&periode=alle").get_data(
        as_text=True
    )
    # a council member sees only their own, whatever the filter asks
    member = signed_in(demo, "zwolle", "raadslid2")
    with demo.app_context(), all_tenants():
        zwolle = municipalities.by_slug("zwolle")
        others = (
            db.session.execute(
                select(CouncilMember.id).where(CouncilMember.municipality_id == zwolle.id)
            )
            .scalars()
            .all()
        )
    for other in others:
        shown = _ids(member.get(BASE + f"?periode=alle&raadslid={other}").get_data(as_text=True))
        with demo.app_context(), all_tenants():
            for appt_id in shown:
                appt = db.session.get(ConversationAppointment, appt_id)
                assert any(m.member.username == "raadslid2" for m in appt.members)


def test_queries_do_not_grow_with_rows(demo) -> None:  # type: ignore[no-untyped-def]
    clerk = signed_in(demo, "zwolle", "griffier")
    url = BASE + "?periode=alle&sorteer=vorm"
    _appointments(demo, 30)
    clerk.get(url)
    before = count_queries(demo, clerk, url)
    _appointments(demo, 60, days=2)
    assert count_queries(demo, clerk, url) == before
