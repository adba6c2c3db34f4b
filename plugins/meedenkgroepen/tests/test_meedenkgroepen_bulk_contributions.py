"""Step 5 of a trajectory (issue 14.2): one choice and one reason for several contributions at
once, each change audited, contributions of another trajectory skipped and named."""

from __future__ import annotations

from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.tenancy import all_tenants
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import Contribution, Trajectory


def _setup(app) -> tuple[int, list[int], int]:  # type: ignore[no-untyped-def]
    """A Zaanstad trajectory at step 5 with three contributions, and one elsewhere."""
    with app.app_context(), all_tenants():
        zaanstad = municipalities.by_slug("zaanstad")
        mid = zaanstad.id
        t = Trajectory(municipality_id=mid, topic="Samen beslissen", origin="gemeente", step=5)
        other = Trajectory(municipality_id=mid, topic="Ander traject", origin="gemeente", step=5)
        db.session.add_all([t, other])
        db.session.flush()
        ours = [
            Contribution(
                municipality_id=mid,
                trajectory_id=t.id,
                position=n,
                source="anders",
                text=f"Idee {n}",
            )
            for n in (1, 2, 3)
        ]
        foreign = Contribution(
            municipality_id=mid, trajectory_id=other.id, position=1, source="anders", text="Elders"
        )
        db.session.add_all([*ours, foreign])
        db.session.commit()
        return t.id, [c.id for c in ours], foreign.id


def test_decide_several_contributions_at_once(demo) -> None:  # type: ignore[no-untyped-def]
    trajectory_id, ours, foreign = _setup(demo)
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    url = f"/zaanstad/meedenkgroepen/trajecten/{trajectory_id}"
    page = coordinator.get(url).get_data(as_text=True)
    assert "Meerdere bijdragen tegelijk" in page and 'name="bijdrage"' in page
    done = post(
        coordinator,
        f"{url}/bijdragen/besluit",
        {
            "bijdrage": [str(ours[0]), str(ours[2]), str(foreign)],
            "samen-decision": "niet_gebruikt",
            "samen-explanation": "Valt buiten de reikwijdte van dit beleid.",
        },
        follow_redirects=True,
    )
    text = done.get_data(as_text=True)
    assert "2 bijdrage(n) vastgelegd als niet meegenomen: bijdrage 1, bijdrage 3." in text
    assert "1 bijdrage(n) overgeslagen" in text and str(foreign) in text
    with demo.app_context(), all_tenants():
        decisions = {
            c.id: (c.decision, c.explanation)
            for c in db.session.execute(select(Contribution)).scalars()
            if c.id in (*ours, foreign)
        }
        audited = (
            db.session.execute(
                select(AuditEvent.object_id).where(
                    AuditEvent.action == "meedenkgroepen.contribution.decided"
                )
            )
            .scalars()
            .all()
        )
    reason = "Valt buiten de reikwijdte van dit beleid."
    assert decisions[ours[0]] == ("niet_gebruikt", reason)
    assert decisions[ours[2]] == ("niet_gebruikt", reason)
    assert decisions[ours[1]][0] is None and decisions[foreign][0] is None
    assert sorted(audited) == sorted([str(ours[0]), str(ours[2])])


def test_not_used_needs_a_reason_and_a_choice(demo) -> None:  # type: ignore[no-untyped-def]
    trajectory_id, ours, _foreign = _setup(demo)
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    url = f"/zaanstad/meedenkgroepen/trajecten/{trajectory_id}/bijdragen/besluit"
    refused = post(
        coordinator, url, {"bijdrage": [str(ours[0])], "samen-decision": "niet_gebruikt"}
    )
    assert refused.status_code in (200, 400, 422)
    assert "Leg uit waarom deze bijdrage niet wordt meegenomen." in form_errors(
        refused.get_data(as_text=True)
    )
    nothing = post(coordinator, url, {"samen-decision": "gebruikt"})
    assert "Kies een of meer bijdragen." in form_errors(nothing.get_data(as_text=True))
    assert coordinator.post(url, data={"bijdrage": str(ours[0])}).status_code == 400  # no CSRF
    with demo.app_context(), all_tenants():
        assert db.session.get(Contribution, ours[0]).decision is None
