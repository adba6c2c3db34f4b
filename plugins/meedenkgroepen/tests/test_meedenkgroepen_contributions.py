"""Meeting outcomes, trajectory contributions and questionnaire answers in the core's
contributions ledger. An outcome is fed back when a follow-up meeting decided on it and its
feedback mail went out; a trajectory's contributions when the trajectory's feedback mail went
out. The mail jobs themselves are covered by the plugin's own tests; here the recorded
timestamps are set the way those views set them."""

from __future__ import annotations

from sqlalchemy import select

from intranet.extensions import db
from intranet.feedback import service as feedback
from intranet.municipalities import service
from intranet.timeutil import today, utcnow
from plugins.meedenkgroepen.models import Contribution as TrajectoryContribution
from plugins.meedenkgroepen.models import Meeting, Outcome, Trajectory


def _ours(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    with app.test_request_context("/zaanstad/"):
        return {
            c.key: c
            for c in feedback.contributions(service.by_slug("zaanstad"))
            if c.plugin == "meedenkgroepen"
        }


def test_hook_intranet_contributions_meedenkgroepen(demo) -> None:  # type: ignore[no-untyped-def]
    items = _ours(demo)
    outcomes = {k: c for k, c in items.items() if c.kind == "meeting_outcome"}
    assert outcomes and all(c.resident_ids for c in outcomes.values())
    key, item = next((k, c) for k, c in outcomes.items() if c.owed)
    outcome_id = int(key.removeprefix("outcome-"))
    with demo.app_context():
        outcome = db.session.get(Outcome, outcome_id)
        meeting = db.session.get(Meeting, outcome.meeting_id)
        follow_up = Meeting(
            municipality_id=meeting.municipality_id,
            group_id=meeting.group_id,
            starts_at=utcnow(),
            follow_up_of_id=meeting.id,
        )
        db.session.add(follow_up)
        db.session.flush()
        outcome.decision, outcome.explanation = "deels", "Alleen in Zaandam"
        outcome.decided_in_id, outcome.decided_at = follow_up.id, utcnow()
        db.session.commit()
        follow_up_id = follow_up.id
    item = _ours(demo)[key]
    assert item.status == "partly_used" and item.status_reason == "Alleen in Zaandam"
    assert (
        item.owed
        and item.url == f"/zaanstad/meedenkgroepen/bijeenkomsten/{follow_up_id}#terugkoppeling"
    )
    with demo.app_context():
        db.session.get(Meeting, follow_up_id).feedback_mailed_at = utcnow()
        db.session.commit()
    item = _ours(demo)[key]
    assert not item.owed and item.feedback_how == "mail"

    # a trajectory contribution: used or not, fed back with the trajectory's mail
    with demo.app_context():
        t = (  # one whose feedback mail has not gone out yet, so its contribution is owed
            db.session.execute(
                select(Trajectory)
                .where(Trajectory.feedback_mailed_at.is_(None))
                .order_by(Trajectory.id)
            )
            .scalars()
            .first()
        )
        c = TrajectoryContribution(
            municipality_id=t.municipality_id,
            trajectory_id=t.id,
            source="overig",
            text="Meer avondspreekuren",
            complete=True,
            decision="niet_gebruikt",
            explanation="Geen budget",
        )
        db.session.add(c)
        db.session.commit()
        cid, tid = c.id, t.id
    item = _ours(demo)[f"contribution-{cid}"]
    assert item.status == "not_used" and item.owed
    assert item.url == f"/zaanstad/meedenkgroepen/trajecten/{tid}"
    assert item.feedback_due is not None and item.feedback_due > item.contributed_at
    with demo.app_context():
        db.session.get(Trajectory, tid).feedback_mailed_at = utcnow()
        db.session.commit()
    assert not _ours(demo)[f"contribution-{cid}"].owed
    assert _ours(demo)[f"contribution-{cid}"].feedback_sent_at <= today()
