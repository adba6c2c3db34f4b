"""What think-along groups, panels and trajectories collected, for the core's contributions
ledger: meeting outcomes (fed back after a follow-up meeting), trajectory contributions (used
or not, fed back per trajectory) and questionnaire answers.

Each kind's feedback term (in working days) runs from the day of the contribution: the
meeting, the meeting a trajectory contribution came from (or the trajectory's start), or the
questionnaire's closing date. Feedback counts as given on the day its first mail actually
went out (``_sent_on``), not when the mailing was queued.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from intranet.plugin_api import (
    Contribution,
    db,
    feedback_due,
    local_date,
    ngettext,
    page_url,
    scoped,
    short_text,
)

from .models import (
    SENT,
    SKIPPED,
    FeedbackMail,
    Invitation,
    Meeting,
    MeetingOrganisation,
    Outcome,
    Questionnaire,
    Response,
    Trajectory,
)
from .models import Contribution as TrajectoryContribution

NAME = "meedenkgroepen"

OUTCOME_STATUS = {"overgenomen": "used", "deels": "partly_used", "niet": "not_used"}
CONTRIBUTION_STATUS = {"gebruikt": "used", "niet_gebruikt": "not_used"}


def _mail_state(municipality: Any, prefix: str) -> dict[str, tuple[Any, int]]:
    """Per feedback mailing (``ref`` starting with ``prefix``): when its first mail actually
    went out, and how many mails were meant to go (skipped ones, for lack of consent or
    because the member left, do not count). One query."""
    return {
        ref: (first_sent, mailable)
        for ref, first_sent, mailable in db.session.execute(
            scoped(FeedbackMail, municipality)
            .with_only_columns(
                FeedbackMail.ref,
                func.min(FeedbackMail.sent_at).filter(FeedbackMail.status == SENT),
                func.count().filter(FeedbackMail.status != SKIPPED),
            )
            .where(FeedbackMail.ref.like(f"{prefix}:%"), FeedbackMail.kind == "terugkoppeling")
            .group_by(FeedbackMail.ref)
        )
    }


def _sent_on(state: tuple[Any, int] | None, recorded: Any) -> date | None:
    """Fed back on the day the first mail went out; while all wait or failed, not yet. When
    nobody could be mailed, the day the feedback was given counts, so it is not owed forever."""
    first_sent, mailable = state or (None, 0)
    if first_sent is not None:
        return local_date(first_sent)
    if recorded is not None and mailable == 0:
        return local_date(recorded)
    return None


def _meeting_outcomes(municipality) -> list[Contribution]:  # type: ignore[no-untyped-def]
    outcomes = (
        db.session.execute(
            scoped(Outcome, municipality).options(
                selectinload(Outcome.meeting).selectinload(Meeting.attendances),
                selectinload(Outcome.meeting).selectinload(Meeting.group),
                selectinload(Outcome.meeting)
                .selectinload(Meeting.organisations)
                .selectinload(MeetingOrganisation.organisation),
            )
        )
        .scalars()
        .all()
    )
    follow_ups = {
        m.id: m
        for m in db.session.execute(
            scoped(Meeting, municipality).where(Meeting.follow_up_of_id.is_not(None))
        ).scalars()
    }
    mails = _mail_state(municipality, "meeting")
    out = []
    for o in outcomes:
        meeting = o.meeting
        held = local_date(meeting.starts_at)
        decided_in = follow_ups.get(o.decided_in_id) if o.decided_in_id else None
        if decided_in is None:
            decided_in = next(
                (m for m in follow_ups.values() if m.follow_up_of_id == meeting.id), None
            )
        sent = (
            _sent_on(mails.get(f"meeting:{decided_in.id}"), decided_in.feedback_mailed_at)
            if decided_in is not None and o.decision
            else None
        )
        target = decided_in or meeting
        out.append(
            Contribution(
                plugin=NAME,
                key=f"outcome-{o.id}",
                kind="meeting_outcome",
                title=short_text(o.text),
                summary=o.text,
                theme=meeting.group.theme,
                contributed_at=held,
                resident_ids=tuple(sorted({a.resident_id for a in meeting.attendances})),
                organisation=", ".join(mo.organisation.name for mo in meeting.organisations),
                status=OUTCOME_STATUS.get(o.decision or "", "received"),
                status_reason=o.explanation,
                feedback_due=feedback_due(municipality, "meeting_outcome", held),
                feedback_sent_at=sent,
                feedback_how="mail" if sent else "",
                url=page_url(
                    municipality,
                    f"{NAME}.meeting_detail",
                    meeting_id=target.id,
                    _anchor="terugkoppeling" if decided_in else None,
                ),
            )
        )
    return out


def _trajectory_contributions(municipality) -> list[Contribution]:  # type: ignore[no-untyped-def]
    items = db.session.execute(scoped(TrajectoryContribution, municipality)).scalars().all()
    trajectories = {t.id: t for t in db.session.execute(scoped(Trajectory, municipality)).scalars()}
    meeting_ids = {c.meeting_id for c in items if c.meeting_id}
    meetings = {
        m.id: m
        for m in db.session.execute(
            scoped(Meeting, municipality)
            .where(Meeting.id.in_(meeting_ids or {-1}))
            .options(selectinload(Meeting.attendances))
        ).scalars()
    }
    mails = _mail_state(municipality, "trajectory")
    out = []
    for c in items:
        t = trajectories[c.trajectory_id]
        meeting = meetings.get(c.meeting_id) if c.meeting_id else None
        contributed = local_date(meeting.starts_at if meeting else t.created_at)
        if c.decision:
            status = CONTRIBUTION_STATUS.get(c.decision, "considered")
        else:
            status = "considered" if c.complete else "received"
        sent = _sent_on(mails.get(f"trajectory:{t.id}"), t.feedback_mailed_at)
        out.append(
            Contribution(
                plugin=NAME,
                key=f"contribution-{c.id}",
                kind="trajectory_contribution",
                title=short_text(f"{t.topic}: {c.text}"),
                summary=c.text,
                theme=t.topic,
                contributed_at=contributed,
                resident_ids=tuple(sorted({a.resident_id for a in meeting.attendances}))
                if meeting
                else (),
                status=status,
                status_reason=c.explanation,
                feedback_due=feedback_due(municipality, "trajectory_contribution", contributed),
                feedback_sent_at=sent,
                feedback_how="mail" if sent else "",
                url=page_url(municipality, f"{NAME}.trajectory_detail", trajectory_id=t.id),
            )
        )
    return out


def _questionnaire_answers(municipality) -> list[Contribution]:  # type: ignore[no-untyped-def]
    """One contribution per questionnaire with responses. The panel members who answered are
    known from their invitations; paper and phone answers stay anonymous.

    The feedback counts as given ("mail") on the day the first feedback mail to a panel member
    actually went out, not when it was queued: while every mail still waits or failed, it is
    owed. When the feedback was recorded but nobody could be mailed (nobody left with an
    address and consent, or every mail skipped for that reason), the recording day counts, so
    the item does not stay owed forever."""
    # Counted by the database, and the answering members read as bare id pairs: the start
    # page shows this ledger's counts, and a panel of 10,000 must not load 10,000 rows as
    # objects on every visit (it did: 90 % of a coordinator's start page).
    counts: dict[int, int] = {
        qid: n
        for qid, n in db.session.execute(
            scoped(Response, municipality)
            .with_only_columns(Response.questionnaire_id, func.count())
            .group_by(Response.questionnaire_id)
        )
    }
    if not counts:
        return []
    answered: dict[int, set[int]] = {}
    for qid, rid in db.session.execute(
        scoped(Invitation, municipality)
        .with_only_columns(Invitation.questionnaire_id, Invitation.resident_id)
        .where(Invitation.answered_at.is_not(None), Invitation.resident_id.is_not(None))
        .distinct()
    ):
        answered.setdefault(qid, set()).add(rid)
    mails = _mail_state(municipality, "questionnaire")
    out = []
    for q in db.session.execute(
        scoped(Questionnaire, municipality).where(Questionnaire.id.in_(counts))
    ).scalars():
        closes: date = q.closes_on
        sent = _sent_on(mails.get(f"questionnaire:{q.id}"), q.feedback_sent_at)
        out.append(
            Contribution(
                plugin=NAME,
                key=f"questionnaire-{q.id}",
                kind="questionnaire_answer",
                title=short_text(q.title),
                summary=ngettext(
                    "%(num)d ingevulde vragenlijst", "%(num)d ingevulde vragenlijsten", counts[q.id]
                ),
                theme=q.themes[0] if q.themes else "",
                contributed_at=closes,
                resident_ids=tuple(sorted(answered.get(q.id, ()))),
                status="considered" if q.feedback_text else "received",
                status_reason=q.feedback_text,
                feedback_due=feedback_due(municipality, "questionnaire_answer", closes),
                feedback_sent_at=sent,
                feedback_how="mail" if sent else "",
                url=page_url(
                    municipality,
                    f"{NAME}.questionnaire_detail",
                    questionnaire_id=q.id,
                    _anchor="terugkoppeling",
                ),
            )
        )
    return out


def contributions(municipality, resident=None, since: date | None = None) -> list[Contribution]:  # type: ignore[no-untyped-def]
    """Everything this plugin holds for the ledger (a fixed number of queries)."""
    items = (
        _meeting_outcomes(municipality)
        + _trajectory_contributions(municipality)
        + _questionnaire_answers(municipality)
    )
    return [
        c
        for c in items
        if (resident is None or resident.id in c.resident_ids)
        and (since is None or c.contributed_at >= since)
    ]
