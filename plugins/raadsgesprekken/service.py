"""Shared helpers of the plugin: lists, settings, who is who, status changes, visibility."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta

from flask import abort, current_app, g, has_request_context
from flask_login import current_user
from sqlalchemy import select

from intranet.plugin_api import (
    AMSTERDAM,
    _,
    as_utc,
    current_municipality,
    db,
    force_locale,
    has_permission,
    record,
    residents_with_consent,
    scoped,
    utcnow,
)

from .models import (
    CANCELLED,
    CLOSED,
    DEFAULT_CARE_KINDS,
    DEFAULT_THEMES,
    AppointmentCouncilMember,
    ChoiceListItem,
    ConversationAppointment,
    ConversationRequest,
    ConversationSlot,
    CouncilMember,
    RaadsgesprekkenSettings,
    RequestStatusChange,
)
from .rules import Booking, SlotFacts

PERM_VIEW = "raadsgesprekken.view"
PERM_INTAKE = "raadsgesprekken.intake"
PERM_SCHEDULE = "raadsgesprekken.schedule"
PERM_REPORT = "raadsgesprekken.report"
PERM_READ_REPORTS = "raadsgesprekken.reports.read"
PERM_PASS_ON = "raadsgesprekken.pass_on"  # noqa: S105 - a permission code
PERM_MANAGE = "raadsgesprekken.manage"


# -- language and consent ----------------------------------------------------------------
def in_default_language() -> AbstractContextManager[None]:
    """Text for residents (mails, letters) and text stored in the history is written in the
    default language (Dutch), also when the employee reads the intranet in English."""
    return force_locale(current_app.config["BABEL_DEFAULT_LOCALE"])


def consenting(requests: Iterable[ConversationRequest], purpose: str) -> set[int]:
    """The ids of the residents of these requests who hold an active consent for ``purpose``:
    the rule of ``may_contact`` in one query for all of them, not one query per request."""
    requests = [r for r in requests if r.resident is not None]
    if not requests:
        return set()
    return residents_with_consent(
        requests[0].municipality_id, purpose, {r.resident_id for r in requests}
    )


# -- lists and settings ------------------------------------------------------------------
def ensure_defaults(municipality) -> None:  # type: ignore[no-untyped-def]
    """Seed the editable lists once (when enabled, or on first use)."""
    existing = {
        (i.kind, i.label)
        for i in db.session.execute(scoped(ChoiceListItem, municipality)).scalars()
    }
    for kind, labels in (("care", DEFAULT_CARE_KINDS), ("theme", DEFAULT_THEMES)):
        if any(k == kind for k, _ in existing):
            continue
        for position, label in enumerate(labels):
            db.session.add(
                ChoiceListItem(
                    municipality_id=municipality.id, kind=kind, label=label, position=position
                )
            )
    db.session.flush()


def list_labels(kind: str, municipality=None, include: list[str] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Active labels of a list, plus any already chosen ones (so editing keeps them)."""
    municipality = municipality or current_municipality()
    items = db.session.execute(
        scoped(ChoiceListItem, municipality)
        .where(ChoiceListItem.kind == kind)
        .order_by(ChoiceListItem.position, ChoiceListItem.label)
    ).scalars()
    labels = [i.label for i in items if i.active]
    if not labels and kind in ("care", "theme"):
        ensure_defaults(municipality)
        db.session.commit()
        return list_labels(kind, municipality, include)
    for extra in include or []:
        if extra not in labels:
            labels.append(extra)
    return labels


def settings(municipality=None) -> RaadsgesprekkenSettings:  # type: ignore[no-untyped-def]
    municipality = municipality or current_municipality()
    row = db.session.execute(scoped(RaadsgesprekkenSettings, municipality)).scalar_one_or_none()
    if row is None:
        row = RaadsgesprekkenSettings(municipality_id=municipality.id)
        db.session.add(row)
        db.session.flush()
    return row


# -- who is who --------------------------------------------------------------------------
def current_member() -> CouncilMember | None:
    """The council member the signed-in employee is, matched by username (then e-mail)."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    if "_rg_member" in g:
        return g._rg_member
    members = db.session.execute(
        scoped(CouncilMember).where(CouncilMember.active.is_(True))
    ).scalars()
    found = None
    email = (current_user.email or "").lower()
    for m in members:
        if m.username and m.username.lower() == current_user.username.lower():
            found = m
            break
        if email and m.email and m.email.lower() == email and found is None:
            found = m
    g._rg_member = found
    return found


def is_clerk() -> bool:
    return has_permission(PERM_SCHEDULE)


def is_chair() -> bool:
    member = current_member()
    return member is not None and member.is_chair


def is_assigned(appointment: ConversationAppointment) -> bool:
    member = current_member()
    return member is not None and member.id in appointment.member_ids


def may_see_appointment(appointment: ConversationAppointment) -> bool:
    return is_clerk() or is_chair() or is_assigned(appointment)


def may_see_identifiable_report(appointment: ConversationAppointment) -> bool:
    """Only the assigned members, the clerk's office and the working group's chair."""
    return is_assigned(appointment) or is_clerk() or is_chair()


def may_see_address(appointment: ConversationAppointment) -> bool:
    return is_assigned(appointment) or is_clerk()


def get_visible_appointment(appointment_id: int) -> ConversationAppointment:
    from intranet.plugin_api import get_scoped_or_404

    appointment = get_scoped_or_404(ConversationAppointment, appointment_id)
    if not may_see_appointment(appointment):
        abort(404)
    return appointment


def visible_appointments_stmt():  # type: ignore[no-untyped-def]
    stmt = scoped(ConversationAppointment)
    if is_clerk() or is_chair():
        return stmt
    member = current_member()
    if member is None:
        return stmt.where(ConversationAppointment.id.is_(None))
    mine = select(AppointmentCouncilMember.appointment_id).where(
        AppointmentCouncilMember.member_id == member.id
    )
    return stmt.where(ConversationAppointment.id.in_(mine))


# -- statuses ----------------------------------------------------------------------------
def actor_name() -> str:
    if has_request_context() and current_user.is_authenticated:
        return current_user.username
    return "systeem"


def set_status(request: ConversationRequest, status: str, reason: str = "") -> None:
    if request.status == status and status != "ingepland":
        return
    db.session.add(
        RequestStatusChange(
            municipality_id=request.municipality_id,
            request=request,
            from_status=request.status,
            to_status=status,
            by=actor_name(),
            at=utcnow(),
            reason=reason,
        )
    )
    request.status = status
    if status == CLOSED:
        request.closed_at = utcnow()
    record(
        "raadsgesprekken.request.status",
        object_type="raadsgesprekken_request",
        object_id=request.id,
        details={"status": status},
    )


# -- time --------------------------------------------------------------------------------
def local_to_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return as_utc(value).astimezone(AMSTERDAM)  # type: ignore[union-attr]


def slot_facts(slot: ConversationSlot) -> SlotFacts:
    day = slot.conversation_day.day
    return SlotFacts(
        id=slot.id,
        starts_at=local_to_utc(day, slot.starts),
        ends_at=local_to_utc(day, slot.ends),
        capacity=slot.capacity,
        available_member_ids=frozenset(slot.member_ids),
    )


def booking_label(appt: ConversationAppointment) -> str:
    """Names the other conversation in a clash, without the resident's name."""
    start, end = to_local(appt.starts_at), to_local(appt.ends_at)
    form = appt.form_label[:1].lower() + appt.form_label[1:]
    return _(
        "van %(start)s tot %(end)s, %(form)s (gesprek nr. %(number)s)",
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
        form=form,
        number=appt.id,
    )


def bookings_around(starts_at: datetime, ends_at: datetime) -> list[Booking]:
    """Active appointments on the same days, as the rules want them."""
    lo = starts_at - timedelta(days=1)
    hi = ends_at + timedelta(days=1)
    rows = db.session.execute(
        scoped(ConversationAppointment).where(
            ConversationAppointment.cancelled.is_(False),
            ConversationAppointment.starts_at < hi,
            ConversationAppointment.ends_at > lo,
        )
    ).scalars()
    return [
        Booking(
            id=a.id,
            starts_at=as_utc(a.starts_at),  # type: ignore[arg-type]
            ends_at=as_utc(a.ends_at),  # type: ignore[arg-type]
            member_ids=frozenset(a.member_ids),
            slot_id=a.slot_id,
            label=booking_label(a),
        )
        for a in rows
        if any(r.status != CANCELLED for r in a.requests) or not a.requests
    ]
