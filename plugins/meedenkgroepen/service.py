"""Business rules of the plugin that views, jobs and hooks share (no request handling here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, insert
from sqlalchemy.orm import selectinload

from intranet.extensions import db
from intranet.plugin_api import has_control_characters
from intranet.residents.models import Resident
from intranet.residents.service import give_consent, residents_with_consent
from intranet.tenancy import scoped
from intranet.timeutil import as_utc, utcnow
from intranet.web.formatting import AMSTERDAM
from intranet.workdays import working_days_between

from .models import (
    CONSENT_METHOD_BY_CHANNEL,
    FAILED,
    GROUP_CONSENT,
    PANEL_CONSENT,
    PENDING,
    SENDING,
    SENT,
    Answer,
    Attendance,
    FeedbackMail,
    Invitation,
    Meeting,
    Membership,
    PanelMember,
    Question,
    Questionnaire,
    Response,
)

DEFAULT_YEARLY_LIMIT = 5
DEFAULT_FEEDBACK_WORKING_DAYS = 5
MAX_OPEN_ANSWER = 5000


def yearly_limit() -> int:
    return int(current_app.config.get("MEEDENKGROEPEN_YEARLY_LIMIT", DEFAULT_YEARLY_LIMIT))


def feedback_working_days() -> int:
    return int(
        current_app.config.get(
            "MEEDENKGROEPEN_FEEDBACK_WORKING_DAYS", DEFAULT_FEEDBACK_WORKING_DAYS
        )
    )


def local_date(value: datetime) -> date:
    return as_utc(value).astimezone(AMSTERDAM).date()  # type: ignore[union-attr]


# -- meetings and feedback -------------------------------------------------------------------
@dataclass
class OverdueItem:
    meeting: Meeting
    kind: str  # opbrengsten | terugkoppeling
    working_days: int


def overdue_feedback(meetings: list[Meeting], today: date | None = None) -> list[OverdueItem]:
    """Meetings whose outcomes (or follow-up feedback) were not mailed within the allowed
    number of working days after the meeting."""
    today = today or datetime.now(AMSTERDAM).date()
    limit = feedback_working_days()
    items: list[OverdueItem] = []
    for m in meetings:
        held = local_date(m.starts_at)
        if held > today:
            continue
        elapsed = working_days_between(held, today)
        if elapsed <= limit:
            continue
        if m.outcomes_mailed_at is None and m.follow_up_of_id is None:
            items.append(OverdueItem(m, "opbrengsten", elapsed))
        if m.follow_up_of_id is not None and m.feedback_mailed_at is None:
            items.append(OverdueItem(m, "terugkoppeling", elapsed))
    return items


def outcome_recipients(meeting: Meeting) -> list[Resident]:
    """Who gets a meeting's outcomes: those present, and members who asked for minutes;
    only while they consent to the group's mail (GROUP_CONSENT)."""
    people: dict[int, Resident] = {a.resident.id: a.resident for a in meeting.attendances}
    for ms in meeting.group.memberships:
        if ms.left_on is None and ms.wants_minutes:
            people.setdefault(ms.resident.id, ms.resident)
    consenting = residents_with_consent(meeting.municipality_id, GROUP_CONSENT, list(people))
    return sorted((r for r in people.values() if r.id in consenting), key=lambda r: r.id)


def feedback_recipients(follow_up: Meeting) -> list[Resident]:
    """After a follow-up meeting: those at either meeting, and members who asked for minutes."""
    people = {r.id: r for r in outcome_recipients(follow_up)}
    if follow_up.follow_up_of is not None:
        for r in outcome_recipients(follow_up.follow_up_of):
            people.setdefault(r.id, r)
    return sorted(people.values(), key=lambda r: r.id)


def queue_feedback_mails(
    municipality_id: int, ref: str, kind: str, residents: list[Resident]
) -> int:
    """Create one mail row per resident with an e-mail address; existing rows stay untouched,
    so pressing the button twice never mails anyone twice. Returns the number of new rows."""
    existing = set(
        db.session.execute(
            scoped(FeedbackMail, _municipality(municipality_id))
            .with_only_columns(FeedbackMail.resident_id)
            .where(
                FeedbackMail.ref == ref,
                FeedbackMail.kind == kind,
            )
        ).scalars()
    )
    added = 0
    for r in residents:
        if not r.email or r.id in existing:
            continue
        db.session.add(
            FeedbackMail(municipality_id=municipality_id, ref=ref, kind=kind, resident_id=r.id)
        )
        added += 1
    return added


def _municipality(municipality_id: int):  # type: ignore[no-untyped-def]
    from intranet.municipalities.models import Municipality

    return db.session.get(Municipality, municipality_id)


def delivery_counts(rows: list[Any]) -> dict[str, int]:
    return dict(Counter(r.status for r in rows))


# -- panels and questionnaires ---------------------------------------------------------------
def start_of_year(today: date | None = None) -> datetime:
    today = today or datetime.now(AMSTERDAM).date()
    return datetime(today.year, 1, 1, tzinfo=UTC)


def invitations_this_year(municipality, resident_ids: list[int] | None = None) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Invitations per resident this calendar year (sent or waiting to be sent)."""
    stmt = (
        scoped(Invitation, municipality)
        .with_only_columns(Invitation.resident_id, func.count())
        .where(
            Invitation.status.in_([PENDING, SENDING, SENT, FAILED]),
            Invitation.created_at >= start_of_year(),
            Invitation.resident_id.is_not(None),
        )
        .group_by(Invitation.resident_id)
    )
    return {rid: n for rid, n in db.session.execute(stmt)}


@dataclass
class SendPlan:
    to_invite: list[PanelMember] = field(default_factory=list)
    already_invited: int = 0
    no_email: int = 0
    at_limit: int = 0
    left: int = 0
    no_consent: int = 0
    other_themes: int = 0
    limit: int = DEFAULT_YEARLY_LIMIT


def plan_send(municipality, q: Questionnaire) -> SendPlan:  # type: ignore[no-untyped-def]
    """Who would receive this questionnaire now, and who is left out and why."""
    plan = SendPlan(limit=yearly_limit())
    members = (
        db.session.execute(
            scoped(PanelMember, municipality)
            .where(PanelMember.panel_id == q.panel_id)
            .order_by(PanelMember.id)
        )
        .scalars()
        .all()
    )
    invited = set(
        db.session.execute(
            scoped(Invitation, municipality)
            .with_only_columns(Invitation.resident_id)
            .where(
                Invitation.questionnaire_id == q.id,
            )
        ).scalars()
    )
    counts = invitations_this_year(municipality)
    residents = {
        r.id: r
        for r in db.session.execute(
            scoped(Resident, municipality).where(
                Resident.id.in_([m.resident_id for m in members] or [0])
            )
        ).scalars()
    }
    consenting = residents_with_consent(
        municipality.id, PANEL_CONSENT, [m.resident_id for m in members]
    )
    wanted = set(q.themes or [])
    for m in members:
        if m.left_at is not None:
            plan.left += 1
            continue
        if wanted and not wanted.intersection(m.themes or []):
            plan.other_themes += 1
            continue
        if m.resident_id in invited:
            plan.already_invited += 1
            continue
        if m.resident_id not in consenting:
            plan.no_consent += 1
            continue
        resident = residents.get(m.resident_id)
        if resident is None or not resident.email:
            plan.no_email += 1
            continue
        if counts.get(m.resident_id, 0) >= plan.limit:
            plan.at_limit += 1
            continue
        plan.to_invite.append(m)
    return plan


def create_invitations(municipality, q: Questionnaire, plan: SendPlan) -> int:  # type: ignore[no-untyped-def]
    """One pending invitation per member in the plan, in one bulk INSERT (no ORM objects)."""
    if plan.to_invite:
        db.session.execute(
            insert(Invitation),
            [
                {
                    "municipality_id": municipality.id,
                    "questionnaire_id": q.id,
                    "resident_id": m.resident_id,
                    "member_id": m.id,
                    "status": PENDING,
                }
                for m in plan.to_invite
            ],
        )
    return len(plan.to_invite)


def questionnaire_is_open(q: Questionnaire, today: date | None = None) -> bool:
    today = today or datetime.now(AMSTERDAM).date()
    return q.status == "verzonden" and q.opens_on <= today <= q.closes_on


def parse_answers(
    questions: list[Question], form: Any
) -> tuple[dict[int, tuple[str, list[str]]], dict[int, str]]:
    """Read answers from submitted form data. Every question is optional; only answers that
    are not one of the offered choices (or too long) are errors."""
    answers: dict[int, tuple[str, list[str]]] = {}
    errors: dict[int, str] = {}
    for q in questions:
        name = f"vraag-{q.id}"
        if q.kind == "open":
            text = (form.get(name) or "").strip()
            if has_control_characters(text):
                errors[q.id] = (
                    "Uw antwoord bevat een onzichtbaar stuurteken dat hier niet mag staan. "
                    "Typ het antwoord opnieuw in."
                )
            elif len(text) > MAX_OPEN_ANSWER:
                errors[q.id] = f"Uw antwoord mag hoogstens {MAX_OPEN_ANSWER} tekens lang zijn."
            elif text:
                answers[q.id] = (text, [])
        elif q.kind == "multiple":
            picked = [v for v in form.getlist(name) if v != ""]
            if any(v not in q.choices for v in picked):
                errors[q.id] = "Kies alleen uit de antwoorden die er staan."
            elif picked:
                answers[q.id] = ("", sorted(set(picked), key=q.choices.index))
        else:  # single, scale
            value = form.get(name) or ""
            if value and value not in q.choices:
                errors[q.id] = "Kies een van de antwoorden die er staan."
            elif value:
                answers[q.id] = ("", [value])
    return answers, errors


def store_response(
    municipality_id: int,
    q: Questionnaire,
    answers: dict[int, tuple[str, list[str]]],
    channel: str = "online",
    entered_by: str | None = None,
) -> Response:
    response = Response(
        municipality_id=municipality_id,
        questionnaire_id=q.id,
        channel=channel,
        entered_by=entered_by,
    )
    db.session.add(response)
    for qid, (text, choices) in answers.items():
        response.answers.append(
            Answer(municipality_id=municipality_id, question_id=qid, text=text, choices=choices)
        )
    return response


def mark_answered(municipality_id: int, invitation_id: int, via: str) -> bool:
    """Single use, also under concurrency: only one request can flip answered_at from NULL."""
    result = db.session.execute(
        Invitation.__table__.update()
        .where(
            Invitation.id == invitation_id,
            Invitation.municipality_id == municipality_id,
            Invitation.answered_at.is_(None),
        )
        .values(answered_at=utcnow(), answered_via=via)
    )
    return result.rowcount == 1


#: free-text answers listed on the results page; the export has all of them
MAX_TEXTS_SHOWN = 200


@dataclass
class QuestionResult:
    question: Question
    answered: int
    counts: list[tuple[str, int]]
    average: float | None
    texts: list[str]
    #: free-text answers beyond MAX_TEXTS_SHOWN, not listed on the page
    more_texts: int = 0


@dataclass
class Results:
    invited: int
    answered_invitations: int
    responses: int
    by_channel: dict[str, int]
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> int:
        return round(100 * self.answered_invitations / self.invited) if self.invited else 0


def results(municipality, q: Questionnaire) -> Results:  # type: ignore[no-untyped-def]
    """Figures per question, counted by the database and from plain rows: a fixed number of
    queries however many residents answered (no ORM object per response or answer)."""
    sent_or_answered = (Invitation.status == SENT) | Invitation.answered_at.is_not(None)
    invited, answered = db.session.execute(
        scoped(Invitation, municipality)
        .with_only_columns(
            func.count(Invitation.id),
            func.count(Invitation.answered_at),
        )
        .where(Invitation.questionnaire_id == q.id, sent_or_answered)
    ).one()
    by_channel = dict(
        db.session.execute(
            scoped(Response, municipality)
            .with_only_columns(Response.channel, func.count(Response.id))
            .where(Response.questionnaire_id == q.id)
            .group_by(Response.channel)
        ).all()
    )
    answers: dict[int, list[tuple[str, list]]] = {}
    for question_id, text, choices in db.session.execute(
        scoped(Answer, municipality)
        .with_only_columns(Answer.question_id, Answer.text, Answer.choices)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.questionnaire_id == q.id)
        .order_by(Answer.id)
    ):
        answers.setdefault(question_id, []).append((text, choices or []))
    out: list[QuestionResult] = []
    for question in q.questions:
        given = answers.get(question.id, [])
        if question.kind == "open":
            texts = [text for text, _ in given]
            out.append(
                QuestionResult(
                    question,
                    len(given),
                    [],
                    None,
                    texts[:MAX_TEXTS_SHOWN],
                    max(0, len(texts) - MAX_TEXTS_SHOWN),
                )
            )
            continue
        counter: Counter[str] = Counter(c for _, choices in given for c in choices)
        counts = [(choice, counter.get(choice, 0)) for choice in question.choices]
        average = None
        if question.kind == "scale":
            values = [int(choices[0]) for _, choices in given if choices]
            average = round(sum(values) / len(values), 1) if values else None
        out.append(QuestionResult(question, len(given), counts, average, []))
    return Results(
        invited=invited,
        answered_invitations=answered,
        responses=sum(by_channel.values()),
        by_channel=by_channel,
        questions=out,
    )


def export_rows(municipality, q: Questionnaire) -> tuple[list[str], list[list[Any]]]:  # type: ignore[no-untyped-def]
    """One row per response, one column per question; no resident data at all."""
    header = ["Antwoordnummer", "Ingevuld op", "Hoe ontvangen"] + [
        f"{i}. {question.text}" for i, question in enumerate(q.questions, start=1)
    ]
    responses = (
        db.session.execute(
            scoped(Response, municipality)
            .where(Response.questionnaire_id == q.id)
            .order_by(Response.id)
            .options(selectinload(Response.answers))  # one query for all answers, not one each
        )
        .scalars()
        .all()
    )
    rows: list[list[Any]] = []
    for n, r in enumerate(responses, start=1):
        by_q = {a.question_id: a for a in r.answers}
        row: list[Any] = [n, local_date(r.submitted_at).isoformat(), r.channel_label]
        for question in q.questions:
            a = by_q.get(question.id)
            row.append("" if a is None else (a.text or ", ".join(a.choices)))
        rows.append(row)
    return header, rows


def attendance_ids(meeting: Meeting) -> set[int]:
    return {a.resident_id for a in meeting.attendances}


def set_attendance(meeting: Meeting, resident_ids: set[int]) -> None:
    current = {a.resident_id: a for a in meeting.attendances}
    for rid, a in current.items():
        if rid not in resident_ids:
            meeting.attendances.remove(a)
    for rid in resident_ids - set(current):
        meeting.attendances.append(
            Attendance(municipality_id=meeting.municipality_id, resident_id=rid)
        )


def active_membership(group_id: int, resident_id: int, municipality) -> Membership | None:  # type: ignore[no-untyped-def]
    return db.session.execute(
        scoped(Membership, municipality).where(
            Membership.group_id == group_id,
            Membership.resident_id == resident_id,
            Membership.left_on.is_(None),
        )
    ).scalar_one_or_none()


def record_signup_consent(
    resident: Resident, purpose: str, *, channel: str, on: date, scope: str, by: str
) -> None:
    """Signing up for a group or panel is the consent its mail rests on (AVG 6.1.a): record
    it in the residents registry, once, with the sign-up channel as its method."""
    if not resident.has_consent(purpose, on):
        give_consent(
            resident,
            purpose,
            method=CONSENT_METHOD_BY_CHANNEL.get(channel, "form"),
            given_on=on,
            recorded_by=by,
            scope=scope,
        )


def consenting_members(rows: list[Any], purpose: str) -> list[Any]:
    """The memberships (anything with ``municipality_id`` and ``resident_id``) whose resident
    still consents to ``purpose``: a withdrawal hides them from the lists at once, while the
    registry keeps the record."""
    if not rows:
        return []
    consenting = residents_with_consent(
        rows[0].municipality_id, purpose, [r.resident_id for r in rows]
    )
    return [r for r in rows if r.resident_id in consenting]
