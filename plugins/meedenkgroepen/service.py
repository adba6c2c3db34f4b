"""Business rules of the plugin that views, jobs and hooks share (no request handling here)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import Select, case, false, func, insert, literal, or_, select, true
from sqlalchemy.orm import selectinload

from intranet.plugin_api import (
    Resident,
    _,
    consenting_residents,
    db,
    from_local,
    give_consent,
    has_control_characters,
    holds_consent,
    local_date,
    local_today,
    residents_with_consent,
    scoped,
    utcnow,
    working_days_between,
)

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


# -- meetings and feedback -------------------------------------------------------------------
@dataclass
class OverdueItem:
    meeting: Meeting
    kind: str  # opbrengsten | terugkoppeling
    working_days: int


def overdue_feedback(meetings: list[Meeting], today: date | None = None) -> list[OverdueItem]:
    """Meetings whose outcomes (or follow-up feedback) were not mailed within the allowed
    number of working days after the meeting."""
    today = today or local_today()
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


def still_consenting(
    stmt: Select,  # type: ignore[type-arg]
    model: Any,
    municipality_id: int,
    purpose: str,
) -> Select:  # type: ignore[type-arg]
    """The rows of ``stmt`` (members of a group or a panel, invitations: a ``model`` with
    ``resident_id``) whose resident still consents to ``purpose``. Lists of people show only
    these; the registry keeps the others' records. One subquery, also for a panel of 10,000."""
    return stmt.where(model.resident_id.in_(consenting_residents(municipality_id, purpose)))


def left_out(
    stmt: Select,  # type: ignore[type-arg]
    kept: Select,  # type: ignore[type-arg]
    model: Any,
) -> int:
    """How many rows of ``stmt`` the list ``kept`` (``still_consenting``) leaves out, so the
    page can say that people whose consent was withdrawn are left out, not lost. Counted by
    the database."""

    def count(of: Select) -> int:  # type: ignore[type-arg]
        return db.session.execute(of.with_only_columns(func.count(model.id))).scalar_one()  # type: ignore[no-any-return]

    return count(stmt) - count(kept)


def outcome_recipients(meeting: Meeting) -> list[Resident]:
    """Who gets a meeting's outcomes: those present, the contact persons of organisations
    present, and members who asked for minutes; only while they consent to the group's mail
    (GROUP_CONSENT)."""
    people: dict[int, Resident] = {a.resident.id: a.resident for a in meeting.attendances}
    for mo in meeting.organisations:
        for contact in mo.organisation.contacts:
            people.setdefault(contact.resident.id, contact.resident)
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
    from intranet.plugin_api import Municipality

    return db.session.get(Municipality, municipality_id)


def delivery_counts(rows: list[Any]) -> dict[str, int]:
    return dict(Counter(r.status for r in rows))


# -- panels and questionnaires ---------------------------------------------------------------
def start_of_year(today: date | None = None) -> datetime:
    """Midnight of 1 January in Amsterdam: the yearly invitation limit counts local years."""
    today = today or local_today()
    return from_local(date(today.year, 1, 1), time(0))


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
    if resident_ids is not None:  # one page of a list: only its residents
        stmt = stmt.where(Invitation.resident_id.in_(resident_ids))
    return {rid: n for rid, n in db.session.execute(stmt)}


@dataclass
class SendPlan:
    """How many members of the panel get the questionnaire now, and why the others do not."""

    to_invite: int = 0
    already_invited: int = 0
    no_email: int = 0
    at_limit: int = 0
    left: int = 0
    no_consent: int = 0
    other_themes: int = 0
    limit: int = DEFAULT_YEARLY_LIMIT


#: The reasons a member is left out, checked in this order (the first that holds counts).
_INVITE = "to_invite"


def _member_reasons(municipality, q: Questionnaire, limit: int):  # type: ignore[no-untyped-def]
    """Each panel member with the reason they are left out (or ``to_invite``), as one SELECT.

    The database decides for every member at once, without loading the panel into Python and
    without an IN list of member ids (SQLite allows about 32,000 variables), so a panel of
    100,000 is planned the same way as one of 10.
    """
    # Correlated EXISTS / COUNT on indexed columns rather than joins to derived tables: the
    # cost stays linear even when the planner has no statistics yet (a panel just imported).
    already = (
        select(literal(1))
        .where(
            Invitation.questionnaire_id == q.id,
            Invitation.resident_id == PanelMember.resident_id,
        )
        .exists()
    )
    this_year = (
        select(func.count())
        .where(
            Invitation.resident_id == PanelMember.resident_id,
            Invitation.status.in_([PENDING, SENDING, SENT, FAILED]),
            Invitation.created_at >= start_of_year(),
        )
        .scalar_subquery()
    )
    consenting = holds_consent(PanelMember.resident_id, PANEL_CONSENT)
    wanted = sorted(set(q.themes or []))
    if wanted:
        theme = _json_elements(PanelMember.themes, "theme")
        other_themes = (
            ~select(literal(1)).select_from(theme).where(theme.c.value.in_(wanted)).exists()
        )
    else:
        other_themes = false()
    reason = case(
        (PanelMember.left_at.is_not(None), "left"),
        (other_themes, "other_themes"),
        (already, "already_invited"),
        (~consenting, "no_consent"),
        (or_(Resident.email.is_(None), Resident.email == ""), "no_email"),
        (this_year >= limit, "at_limit"),
        else_=_INVITE,
    ).label("reason")
    return (
        scoped(PanelMember, municipality)
        .with_only_columns(PanelMember.id, PanelMember.resident_id, reason)
        .outerjoin(Resident, Resident.id == PanelMember.resident_id)
        .where(PanelMember.panel_id == q.panel_id)
    )


def _json_elements(column, name: str):  # type: ignore[no-untyped-def]
    """The elements of a JSON list column as rows (``value``), on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.json_array_elements_text(column).table_valued("value").alias(name)
    return func.json_each(column).table_valued("value").alias(name)


def plan_send(municipality, q: Questionnaire) -> SendPlan:  # type: ignore[no-untyped-def]
    """Who would receive this questionnaire now, and who is left out and why (counts only)."""
    plan = SendPlan(limit=yearly_limit())
    reasons = _member_reasons(municipality, q, plan.limit).subquery()
    for reason, n in db.session.execute(
        select(reasons.c.reason, func.count()).group_by(reasons.c.reason)
    ):
        setattr(plan, reason, n)
    return plan


def create_invitations(municipality, q: Questionnaire) -> int:  # type: ignore[no-untyped-def]
    """A pending invitation for every member the plan invites, in one INSERT ... SELECT.

    Runs in the send job, not in the web request. The unique (questionnaire, resident) key
    keeps a second, simultaneous run from inviting anyone twice.
    """
    reasons = _member_reasons(municipality, q, yearly_limit()).subquery()
    now = utcnow()
    chosen = select(
        literal(municipality.id),
        literal(q.id),
        reasons.c.resident_id,
        reasons.c.id,
        literal(PENDING),
        literal(0),
        literal(""),
        literal(""),
        literal(now, type_=Invitation.created_at.type),
    ).where(reasons.c.reason == _INVITE)

    def invited() -> int:
        return db.session.execute(
            select(func.count()).where(Invitation.questionnaire_id == q.id)
        ).scalar_one()

    before = invited()
    db.session.execute(
        insert(Invitation.__table__).from_select(
            [
                "municipality_id",
                "questionnaire_id",
                "resident_id",
                "member_id",
                "status",
                "attempts",
                "last_error",
                "skip_reason",
                "created_at",
            ],
            chosen,
        )
    )
    return invited() - before  # rowcount of INSERT ... SELECT is not reported by every driver


def questionnaire_is_open(q: Questionnaire, today: date | None = None) -> bool:
    today = today or local_today()
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
                errors[q.id] = _(
                    "Uw antwoord bevat een onzichtbaar stuurteken dat hier niet mag staan. "
                    "Typ het antwoord opnieuw in."
                )
            elif len(text) > MAX_OPEN_ANSWER:
                errors[q.id] = _(
                    "Uw antwoord mag hoogstens %(max)s tekens lang zijn.", max=MAX_OPEN_ANSWER
                )
            elif text:
                answers[q.id] = (text, [])
        elif q.kind == "multiple":
            picked = [v for v in form.getlist(name) if v != ""]
            if any(v not in q.choices for v in picked):
                errors[q.id] = _("Kies alleen uit de antwoorden die er staan.")
            elif picked:
                answers[q.id] = ("", sorted(set(picked), key=q.choices.index))
        else:  # single, scale
            value = form.get(name) or ""
            if value and value not in q.choices:
                errors[q.id] = _("Kies een van de antwoorden die er staan.")
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
    response_ids = (
        scoped(Response, municipality)
        .with_only_columns(Response.id)
        .where(Response.questionnaire_id == q.id)
        .scalar_subquery()
    )
    mine = scoped(Answer, municipality).where(Answer.response_id.in_(response_ids))
    answered_per_question = dict(
        db.session.execute(
            mine.with_only_columns(Answer.question_id, func.count(Answer.id)).group_by(
                Answer.question_id
            )
        ).all()
    )
    choice = _json_elements(Answer.choices, "choice")
    choice_counts: dict[int, Counter[str]] = {}
    for question_id, value, n in db.session.execute(
        mine.with_only_columns(Answer.question_id, choice.c.value, func.count())
        .join(choice, true())
        .group_by(Answer.question_id, choice.c.value)
    ):
        choice_counts.setdefault(question_id, Counter())[str(value)] += n
    open_ids = [question.id for question in q.questions if question.kind == "open"]
    texts: dict[int, list[str]] = {}
    if open_ids:
        numbered = (
            mine.with_only_columns(
                Answer.question_id,
                Answer.text,
                func.row_number()
                .over(partition_by=Answer.question_id, order_by=Answer.id)
                .label("n"),
            )
            .where(Answer.question_id.in_(open_ids))
            .subquery()
        )
        for question_id, text in db.session.execute(
            select(numbered.c.question_id, numbered.c.text)
            .where(numbered.c.n <= MAX_TEXTS_SHOWN)
            .order_by(numbered.c.question_id, numbered.c.n)
        ):
            texts.setdefault(question_id, []).append(text)
    out: list[QuestionResult] = []
    for question in q.questions:
        answered_n = answered_per_question.get(question.id, 0)
        if question.kind == "open":
            shown = texts.get(question.id, [])
            out.append(
                QuestionResult(
                    question, answered_n, [], None, shown, max(0, answered_n - len(shown))
                )
            )
            continue
        counter = choice_counts.get(question.id, Counter())
        counts = [(c, counter.get(c, 0)) for c in question.choices]
        average = None
        if question.kind == "scale":
            scored = [(int(c), n) for c, n in counter.items() if c.lstrip("-").isdigit()]
            total = sum(n for _, n in scored)
            average = round(sum(v * n for v, n in scored) / total, 1) if total else None
        out.append(QuestionResult(question, answered_n, counts, average, []))
    return Results(
        invited=invited,
        answered_invitations=answered,
        responses=sum(by_channel.values()),
        by_channel=by_channel,
        questions=out,
    )


def export_rows(municipality, q: Questionnaire) -> tuple[list[str], list[list[Any]]]:  # type: ignore[no-untyped-def]
    """One row per response, one column per question; no resident data at all."""
    header = [_("Antwoordnummer"), _("Ingevuld op"), _("Hoe ontvangen")] + [
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


def set_meeting_organisations(meeting: Meeting, organisation_ids: set[int]) -> None:
    """The organisations present, like ``set_attendance``; ids are checked by the form."""
    from .models import MeetingOrganisation

    current = {mo.organisation_id: mo for mo in meeting.organisations}
    for oid, mo in current.items():
        if oid not in organisation_ids:
            meeting.organisations.remove(mo)
    for oid in sorted(organisation_ids - set(current)):
        meeting.organisations.append(
            MeetingOrganisation(municipality_id=meeting.municipality_id, organisation_id=oid)
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
