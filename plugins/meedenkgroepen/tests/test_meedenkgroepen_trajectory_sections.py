"""A trajectory's page in sections per step (issue 14.3: at step 5 it was about 4,000 px): each
step's heading always shows, its content folds in a native <details> — finished steps closed
with a summary line, the current step open (and the contributions, decided on in step 5), a
step whose form was just refused open too."""

from __future__ import annotations

import re

from test_meedenkgroepen_support import BASE, municipality

from intranet.extensions import db
from intranet.plugin_api import local_today
from intranet.testing.helpers import post, signed_in
from plugins.meedenkgroepen.models import (
    Contribution,
    Conversation,
    ParticipantGroup,
    PolicyDocument,
    Trajectory,
)


def trajectory_at_step_5(app) -> int:  # type: ignore[no-untyped-def]
    """A trajectory at step 5 with something recorded in every earlier step."""
    with app.app_context():
        m = municipality("zaanstad")
        t = Trajectory(
            municipality_id=m.id,
            topic="Lange pagina",
            origin="gemeente",
            origin_note="Test",
            information="Cijfers over de wijk.",
            step=5,
        )
        db.session.add(t)
        db.session.flush()
        for title in ("Nota wijkaanpak", "Raadsbrief"):
            db.session.add(PolicyDocument(municipality_id=m.id, trajectory_id=t.id, title=title))
        db.session.add(
            Conversation(
                municipality_id=m.id,
                trajectory_id=t.id,
                held_on=local_today(),
                kind="georganiseerd",
                participants="Bewoners",
                summary="Veel ideeën.",
            )
        )
        db.session.add(
            ParticipantGroup(
                municipality_id=m.id, trajectory_id=t.id, name="Bewoners", rung="adviseren"
            )
        )
        for n in range(1, 4):
            db.session.add(
                Contribution(
                    municipality_id=m.id,
                    trajectory_id=t.id,
                    position=n,
                    source="gesprek",
                    text=f"Idee {n}",
                    complete=True,
                )
            )
        db.session.commit()
        return t.id


def sections(page: str) -> dict[int, bool]:
    """Step number -> whether its <details> is open."""
    found = re.findall(
        r'<section class="step-section" id="stap-(\d)".*?<details class="fold step-section__details"( open)?>',
        page,
        re.S,
    )
    return {int(n): bool(is_open) for n, is_open in found}


def test_finished_steps_are_closed_with_a_summary_line(demo) -> None:  # type: ignore[no-untyped-def]
    tid = trajectory_at_step_5(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/trajecten/{tid}").get_data(as_text=True)
    assert sections(page) == {1: False, 2: False, 3: False, 4: True, 5: True}
    assert "Informatie vastgelegd, 2 beleidsstukken." in page
    assert "1 gesprek vastgelegd." in page
    assert "1 groep deelnemers, 0 deelnemers uit het register." in page
    assert "3 bijdragen, 3 volledig, 0 met een keuze." in page
    # the current step's heading is where "#stap" leads, the finished ones say so
    assert re.search(
        r'<h2 class="utrecht-heading-2" id="stap">Stap 5: Controle kwaliteit \(nu\)', page
    )
    assert "Stap 1: Informatie verzamelen (gedaan)" in page
    # the history folds too
    assert re.search(
        r'id="geschiedenis".*?<details class="fold step-section__details">', page, re.S
    )


def test_a_refused_form_in_a_finished_step_opens_that_step(demo) -> None:  # type: ignore[no-untyped-def]
    tid = trajectory_at_step_5(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/trajecten/{tid}/stukken", {"title": "", "url": ""})
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert sections(page)[1] is True and sections(page)[2] is False
    assert 'id="title-error"' in page


def test_a_closed_trajectory_has_every_step_closed(demo) -> None:  # type: ignore[no-untyped-def]
    tid = trajectory_at_step_5(demo)
    with demo.app_context():
        t = db.session.get(Trajectory, tid)
        t.step, t.closed_at = 6, t.created_at
        t.result_kind, t.result_text = "advies", "Advies gegeven."
        db.session.commit()
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/trajecten/{tid}").get_data(as_text=True)
    assert set(sections(page).values()) == {False}
    assert '<h2 class="utrecht-heading-2" id="stap">Afgerond</h2>' in page


def group_with_a_finished_meeting(app) -> int:  # type: ignore[no-untyped-def]
    """A group with a meeting whose outcomes were mailed, and one still owing them."""
    from datetime import timedelta

    from intranet.timeutil import utcnow
    from plugins.meedenkgroepen.models import Group, Meeting

    with app.app_context():
        m = municipality("zaanstad")
        group = Group(municipality_id=m.id, theme="Vouwen", goal="Doel", status="actief")
        db.session.add(group)
        db.session.flush()
        for days, place, mailed in ((30, "Buurthuis", True), (2, "Bibliotheek", False)):
            db.session.add(
                Meeting(
                    municipality_id=m.id,
                    group_id=group.id,
                    starts_at=utcnow() - timedelta(days=days),
                    location=place,
                    outcomes_mailed_at=utcnow() if mailed else None,
                )
            )
        db.session.commit()
        return group.id


def test_a_groups_finished_meetings_fold(demo) -> None:  # type: ignore[no-untyped-def]
    """On a group's page the meetings whose outcomes went out fold under the others."""
    gid = group_with_a_finished_meeting(demo)
    c = signed_in(demo, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/groepen/{gid}").get_data(as_text=True)
    folded = page[
        page.index('<details class="fold step-section__details" id="afgeronde-bijeenkomsten">') :
    ]
    folded = folded[: folded.index("</details>")]
    assert "1 afgeronde bijeenkomst" in folded and "Buurthuis" in folded
    assert "Bibliotheek" not in folded
    open_part = page[
        page.index("Bijeenkomsten van Vouwen") : page.index('id="afgeronde-bijeenkomsten"')
    ]
    assert "Bibliotheek" in open_part and "Buurthuis" not in open_part
