"""Lists that work (issue 14.2) in meedenkgroepen: groups, a group's members and a
questionnaire's invitations sort, filter and page in the URL; several invitees are reminded
at once (ticked, or all of the filter without JavaScript), within consent and the
one-reminder rule."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update
from test_meedenkgroepen_support import BASE, municipality

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import count_queries, form_errors, post, signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import (
    GROUP_CONSENT,
    PANEL_CONSENT,
    SENT,
    Group,
    Invitation,
    Membership,
    Panel,
    PanelMember,
    Question,
    Questionnaire,
)

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture


def _residents(m, n: int, prefix: str, purpose: str) -> list[Resident]:  # type: ignore[no-untyped-def]
    residents = [
        Resident(
            municipality_id=m.id,
            name=f"{prefix} {i:03d}",
            email=f"{prefix}{i}@example.org",
            kind="client",
        )
        for i in range(n)
    ]
    db.session.add_all(residents)
    db.session.flush()
    db.session.add_all(
        Consent(
            municipality_id=m.id,
            resident_id=r.id,
            purpose=purpose,
            method="form",
            given_on=local_today(),
        )
        for r in residents
    )
    return residents


def _sent_questionnaire(app, n: int, slug: str = "zaanstad", closes: int = 14) -> int:  # type: ignore[no-untyped-def]
    """A questionnaire already sent to a panel of ``n`` (invitations marked sent)."""
    with app.app_context():
        m = municipality(slug)
        panel = Panel(municipality_id=m.id, name=f"Lijstpanel {n}", themes=["Wmo"], mailbox="")
        db.session.add(panel)
        db.session.flush()
        residents = _residents(m, n, "Genodigde", PANEL_CONSENT)
        members = [
            PanelMember(
                municipality_id=m.id,
                panel_id=panel.id,
                resident_id=r.id,
                themes=["Wmo"],
                joined_on=local_today(),
            )
            for r in residents
        ]
        db.session.add_all(members)
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel.id,
            title="Lijstvragen",
            intro="",
            themes=[],
            opens_on=local_today(),
            closes_on=local_today() + timedelta(days=closes),
            status="verzonden",
        )
        db.session.add(q)
        db.session.flush()
        q.questions.append(Question(municipality_id=m.id, position=1, kind="open", text="Wat?"))
        db.session.flush()
        db.session.add_all(
            Invitation(
                municipality_id=m.id,
                questionnaire_id=q.id,
                resident_id=r.id,
                member_id=pm.id,
                status=SENT,
                sent_at=utcnow(),
            )
            for r, pm in zip(residents, members, strict=True)
        )
        db.session.commit()
        return q.id


def _invitation_ids(app, qid: int, *names: str) -> list[int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(
            db.session.execute(
                select(Invitation.id)
                .join(Resident, Resident.id == Invitation.resident_id)
                .where(Invitation.questionnaire_id == qid, Resident.name.in_(names))
                .order_by(Resident.name)
            ).scalars()
        )


def _names(page: str, prefix: str) -> list[str]:
    return re.findall(rf"<td class=\"utrecht-table__cell\">({prefix} \d+)</td>", page)


def test_invitations_sort_filter_and_page_in_the_url(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _sent_questionnaire(demo, 60)
    c = signed_in(demo, "zaanstad", "coordinator")
    url = f"{BASE}/vragenlijsten/{qid}/uitnodigingen"
    page = c.get(url).get_data(as_text=True)
    assert "60 uitnodigingen gevonden." in page and "Pagina 1 van 2" in page
    assert _names(page, "Genodigde")[:2] == ["Genodigde 000", "Genodigde 001"]
    following = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "pagina=2" in following
    assert len(_names(c.get(following).get_data(as_text=True), "Genodigde")) == 10
    down = c.get(url + "?sorteer=naam&volgorde=af&zoek=Genodigde 05").get_data(as_text=True)
    assert 'aria-sort="descending"' in down
    assert _names(down, "Genodigde") == [f"Genodigde {i:03d}" for i in range(59, 49, -1)]
    assert '<input type="hidden" name="sorteer" value="naam">' in down
    for bad in (
        "?sorteer=token",
        "?pagina=-2",
        "?stand=alles",
        "?volgorde=x",
        "?pagina=" + "1" * 30,
    ):
        assert c.get(url + bad).status_code == 200, bad
    # the reading is audited with the residents shown
    with demo.app_context():
        event = (
            db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "meedenkgroepen.invitations.viewed")
                .order_by(AuditEvent.id.desc())
            )
            .scalars()
            .first()
        )
        assert len(event.details["residents"]) == 50  # the last page asked for: page 1


def test_reminding_several_invitees_at_once(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    qid = _sent_questionnaire(demo, 12)
    c = signed_in(demo, "zaanstad", "coordinator")
    url = f"{BASE}/vragenlijsten/{qid}/uitnodigingen"
    chosen = _invitation_ids(demo, qid, "Genodigde 001", "Genodigde 002", "Genodigde 003")
    with demo.app_context():  # one has answered already, one withdrew consent
        db.session.execute(
            update(Invitation).where(Invitation.id == chosen[2]).values(answered_at=utcnow())
        )
        withdrawn = db.session.execute(
            select(Resident).where(Resident.name == "Genodigde 011")
        ).scalar_one()
        db.session.execute(
            update(Consent)
            .where(Consent.resident_id == withdrawn.id)
            .values(withdrawn_on=local_today() - timedelta(days=1))
        )
        db.session.commit()
    page = c.get(url).get_data(as_text=True)
    assert "Genodigde 011" not in page and "1 genodigde heeft de toestemming" in page
    r = post(c, url + "/herinneren", {"uitnodiging": [str(i) for i in chosen], "zoek": "Genodigde"})
    assert r.status_code == 302 and "zoek=Genodigde" in r.headers["Location"]
    assert sorted(m["To"] for m in smtp.messages) == [
        "Genodigde1@example.org",
        "Genodigde2@example.org",
    ]
    done = c.get(r.headers["Location"]).get_data(as_text=True)
    assert "2 herinneringen worden verstuurd" in done and "1 inwoner overgeslagen" in done
    # again: the one-reminder rule holds
    post(c, url + "/herinneren", {"uitnodiging": [str(chosen[0])]})
    assert len(smtp.messages) == 2
    # select-all of the filter, decided on the server: the rest, minus the withdrawn one
    r = post(c, url + "/herinneren", {"alle": "ja", "stand": "te-herinneren"})
    assert r.status_code == 302
    to = sorted(m["To"] for m in smtp.messages)
    assert len(to) == 10 and "Genodigde11@example.org" not in to
    with demo.app_context():
        events = (
            db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "meedenkgroepen.invitations.reminded")
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
        assert [len(e.details["invitations"]) for e in events] == [2, 0, 8]
        assert events[-1].details["all"] is True and events[-1].actor == "coordinator"


def test_reminding_is_refused_without_a_choice_when_closed_and_elsewhere(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    qid = _sent_questionnaire(demo, 3)
    c = signed_in(demo, "zaanstad", "coordinator")
    url = f"{BASE}/vragenlijsten/{qid}/uitnodigingen"
    r = post(c, url + "/herinneren", {})
    assert r.status_code == 400
    assert "Kies eerst een of meer inwoners" in form_errors(r.get_data(as_text=True))[0]
    # invitations of another questionnaire or municipality are never touched
    other = _sent_questionnaire(demo, 2, slug="zwolle")
    foreign = _invitation_ids(demo, other, "Genodigde 000")
    r = post(c, url + "/herinneren", {"uitnodiging": [str(i) for i in foreign]})
    assert r.status_code == 302 and smtp.messages == []
    assert c.get(f"{BASE}/vragenlijsten/{other}/uitnodigingen").status_code == 404
    with demo.app_context():
        db.session.execute(
            update(Questionnaire)
            .where(Questionnaire.id == qid)
            .values(closes_on=local_today() - timedelta(days=1))
        )
        db.session.commit()
    r = post(c, url + "/herinneren", {"alle": "ja"})
    assert r.status_code == 400 and "herinneren kan niet meer" in r.get_data(as_text=True)
    assert smtp.messages == []
    # a council clerk of Zaanstad without panel rights may not remind
    assert post(
        signed_in(demo, "zaanstad", "medewerker"), url + "/herinneren", {"alle": "ja"}
    ).status_code in (403, 404)


def test_invitations_queries_do_not_grow_with_rows(demo) -> None:  # type: ignore[no-untyped-def]
    small = _sent_questionnaire(demo, 5)
    large = _sent_questionnaire(demo, 300)
    c = signed_in(demo, "zaanstad", "coordinator")
    for qid in (small, large):
        c.get(f"{BASE}/vragenlijsten/{qid}/uitnodigingen?sorteer=geantwoord")
    assert count_queries(
        demo, c, f"{BASE}/vragenlijsten/{small}/uitnodigingen?sorteer=herinnerd"
    ) == (count_queries(demo, c, f"{BASE}/vragenlijsten/{large}/uitnodigingen?sorteer=herinnerd"))


def _group(app, members: int, theme: str = "Lijstgroep") -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = municipality("zaanstad")
        group = Group(municipality_id=m.id, theme=theme, status="actief", mailbox="")
        db.session.add(group)
        db.session.flush()
        residents = _residents(m, members, "Groepslid", GROUP_CONSENT)
        db.session.add_all(
            Membership(
                municipality_id=m.id,
                group_id=group.id,
                resident_id=r.id,
                signed_up_on=local_today() - timedelta(days=i),
                channel="email",
                left_on=local_today() if i % 5 == 0 else None,
            )
            for i, r in enumerate(residents)
        )
        db.session.commit()
        return group.id


def test_group_members_sort_filter_and_page(demo) -> None:  # type: ignore[no-untyped-def]
    gid = _group(demo, 70)
    c = signed_in(demo, "zaanstad", "coordinator")
    url = f"{BASE}/groepen/{gid}"
    page = c.get(url).get_data(as_text=True)
    assert "70 leden gevonden." in page and "Pagina 1 van 2" in page
    assert page.index("Groepslid 000") < page.index("Groepslid 001")
    second = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert f"/groepen/{gid}?pagina=2" in second
    members = c.get(url + "?status=lid").get_data(as_text=True)
    assert "56 leden gevonden." in members
    assert _names(members, "Groepslid")[:5] == [f"Groepslid {i:03d}" for i in (1, 2, 3, 4, 6)]
    recent = c.get(url + "?sorteer=aangemeld&volgorde=af").get_data(as_text=True)
    assert recent.index("Groepslid 000") < recent.index("Groepslid 001")
    for bad in ("?sorteer=motivatie", "?status=weg", "?kanaal=duif", "?pagina=0"):
        assert c.get(url + bad).status_code == 200, bad
    empty = c.get(url + "?zoek=NiemandHeetZo").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in empty


def test_group_members_queries_do_not_grow_with_rows(demo) -> None:  # type: ignore[no-untyped-def]
    small, large = _group(demo, 3, "Klein"), _group(demo, 200, "Groot")
    c = signed_in(demo, "zaanstad", "coordinator")
    c.get(f"{BASE}/groepen/{small}")
    assert count_queries(demo, c, f"{BASE}/groepen/{small}?sorteer=status") == count_queries(
        demo, c, f"{BASE}/groepen/{large}?sorteer=status"
    )


def test_groups_list_sorts_filters_and_is_one_municipalitys(demo) -> None:  # type: ignore[no-untyped-def]
    _group(demo, 4, "Sorteerproef Alfa")
    _group(demo, 9, "Sorteerproef Beta")
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/?zoek=Sorteerproef&sorteer=leden&volgorde=af").get_data(as_text=True)
    assert "2 meedenkgroepen gevonden." in page
    assert page.index("Sorteerproef Beta") < page.index("Sorteerproef Alfa")
    assert re.search(r'aria-sort="descending"><a [^>]*>Leden', page)
    assert c.get(f"{BASE}/?status=nee&sorteer=x&pagina=-1").status_code == 200
    empty = c.get(f"{BASE}/?zoek=Bestaatniet").get_data(as_text=True)
    assert "Niets gevonden met deze filters." in empty


def test_panel_members_sort_filter_page_and_constant_queries(demo) -> None:  # type: ignore[no-untyped-def]
    small, large = _sent_questionnaire(demo, 4), _sent_questionnaire(demo, 120)
    with demo.app_context():
        panels = [db.session.get(Questionnaire, q).panel_id for q in (small, large)]
    c = signed_in(demo, "zaanstad", "coordinator")
    url = f"{BASE}/panels/{panels[1]}"
    page = c.get(url).get_data(as_text=True)
    assert "120 panelleden gevonden." in page and "Pagina 1 van 3" in page
    # each row counts the questionnaires of this year (here: one invitation each)
    assert page.count('utrecht-table__cell--numeric">1</td>') == 50
    down = c.get(url + "?sorteer=naam&volgorde=af&zoek=Genodigde 11").get_data(as_text=True)
    assert _names(down, "Genodigde")[:2] == ["Genodigde 119", "Genodigde 118"]
    for bad in ("?sorteer=email", "?status=weg", "?pagina=0"):
        assert c.get(url + bad).status_code == 200, bad
    assert count_queries(demo, c, f"{BASE}/panels/{panels[0]}?sorteer=status") == count_queries(
        demo, c, url + "?sorteer=status"
    )


def test_select_all_is_done_by_the_server(demo) -> None:  # type: ignore[no-untyped-def]
    qid = _sent_questionnaire(demo, 4)
    c = signed_in(demo, "zaanstad", "coordinator")
    url = f"{BASE}/vragenlijsten/{qid}/uitnodigingen"
    page = c.get(url + "?sorteer=naam&volgorde=af").get_data(as_text=True)
    assert page.count('name="uitnodiging"') == 4 and " checked>" not in page
    link = re.search(r'href="([^"]+)">Alles op deze pagina aanvinken', page).group(1)
    ticked = c.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "sorteer=naam" in link and ticked.count(" checked>") == 4
    assert "Alle vinkjes op deze pagina weghalen" in ticked
