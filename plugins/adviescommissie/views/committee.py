"""The committee: members (residents with a role, expertise and term) and meetings."""

from __future__ import annotations

from datetime import UTC

from flask import flash, redirect, render_template, request, url_for

from intranet.plugin_api import (
    AMSTERDAM,
    Resident,
    _,
    as_utc,
    can_see_special,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    has_permission,
    may_see_special,
    record,
    render_audited,
    requires,
    scoped,
)

from .. import deadlines
from ..forms import ATTENDANCE_CHOICES, MeetingForm, MemberForm
from ..models import ATTENDANCE, CommitteeAttendance, CommitteeMeeting, CommitteeMember
from ..privacy import EXPERTISE_CATEGORY
from . import bp
from .common import today


@bp.route("/commissie")
@requires("adviescommissie.view")
def members():  # type: ignore[no-untyped-def]
    rows = list(
        db.session.execute(
            scoped(CommitteeMember).join(Resident).order_by(CommitteeMember.role, Resident.name)
        ).scalars()
    )
    record(
        "adviescommissie.members_listed",
        object_type="adviescommissie_member",
        details={"shown": [m.id for m in rows]},
    )
    # the template prints each through special(), which audits the read per resident
    show_expertise = any(m.expertise for m in rows) and may_see_special()
    day = today()
    return render_audited(
        "adviescommissie/members.html",
        show_expertise=show_expertise,
        members=rows,
        today=day,
        ends_soon=lambda m: deadlines.term_ends_soon(m.term_end, day),
    )


def _resident_choices() -> list[tuple[str, str]]:
    residents = db.session.execute(scoped(Resident).order_by(Resident.name, Resident.id)).scalars()
    return [("", _("Kies een inwoner…"))] + [(str(r.id), r.name) for r in residents]


def _member_form(member: CommitteeMember | None) -> MemberForm:
    form = MemberForm(obj=member)
    form.resident_id.choices = _resident_choices()
    if member is not None and request.method == "GET":
        form.resident_id.data = str(member.resident_id)
    if not has_permission("core.privacy.special"):
        del form.expertise  # neither shown nor overwritten by who may not see it
    elif member is not None and member.expertise and request.method == "GET":
        can_see_special(
            EXPERTISE_CATEGORY,
            object_type="adviescommissie_member",
            object_id=member.id,
            resident_id=member.resident_id,
        )
    return form


@bp.route("/commissie/leden/nieuw", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def add_member():  # type: ignore[no-untyped-def]
    return _save_member(None)


@bp.route("/commissie/leden/<int:member_id>/bewerken", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def edit_member(member_id: int):  # type: ignore[no-untyped-def]
    return _save_member(get_scoped_or_404(CommitteeMember, member_id))


def _save_member(member: CommitteeMember | None):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = _member_form(member)
    if form.validate_on_submit():
        resident = get_scoped_or_404(Resident, form.resident_id.data)
        if member is None:
            member = CommitteeMember(municipality_id=municipality.id)
            db.session.add(member)
        member.resident_id = resident.id
        member.role = form.role.data
        if "expertise" in form:
            member.expertise = (form.expertise.data or "").strip()
        member.term_start = form.term_start.data
        member.term_end = form.term_end.data
        db.session.flush()
        record(
            "adviescommissie.member_saved",
            object_type="adviescommissie_member",
            object_id=member.id,
            details={"resident": resident.id, "role": member.role},
        )
        db.session.commit()
        flash(_("Het lid is opgeslagen."), "success")
        return redirect(url_for(".members"))
    return form_page("adviescommissie/member_form.html", form=form, member=member)


@bp.route("/commissie/leden/<int:member_id>/verwijderen", methods=["POST"])
@requires("adviescommissie.manage")
def delete_member(member_id: int):  # type: ignore[no-untyped-def]
    member = get_scoped_or_404(CommitteeMember, member_id)
    record(
        "adviescommissie.member_deleted", object_type="adviescommissie_member", object_id=member.id
    )
    db.session.delete(member)
    db.session.commit()
    flash(_("Het lid is uit de commissie verwijderd."), "success")
    return redirect(url_for(".members"))


@bp.route("/vergaderingen")
@requires("adviescommissie.view")
def meetings():  # type: ignore[no-untyped-def]
    rows = list(
        db.session.execute(
            scoped(CommitteeMeeting).order_by(CommitteeMeeting.starts_at.desc())
        ).scalars()
    )
    return render_template("adviescommissie/meetings.html", meetings=rows)


def _local_naive(value):  # type: ignore[no-untyped-def]
    return as_utc(value).astimezone(AMSTERDAM).replace(tzinfo=None)


@bp.route("/vergaderingen/nieuw", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def add_meeting():  # type: ignore[no-untyped-def]
    return _save_meeting(None)


@bp.route("/vergaderingen/<int:meeting_id>")
@requires("adviescommissie.view")
def meeting(meeting_id: int):  # type: ignore[no-untyped-def]
    return _meeting_page(get_scoped_or_404(CommitteeMeeting, meeting_id))


def _meeting_page(meeting: CommitteeMeeting) -> str:
    record(
        "adviescommissie.meeting_viewed",
        object_type="adviescommissie_meeting",
        object_id=meeting.id,
    )
    db.session.commit()
    active = [
        m
        for m in db.session.execute(
            scoped(CommitteeMember).join(Resident).order_by(Resident.name)
        ).scalars()
        if m.is_active_on(_local_naive(meeting.starts_at).date())
        or any(a.member_id == m.id for a in meeting.attendance)
    ]
    return render_template(
        "adviescommissie/meeting.html",
        meeting=meeting,
        members=active,
        attendance={a.member_id: a.status for a in meeting.attendance},
        choices=ATTENDANCE_CHOICES,
    )


@bp.route("/vergaderingen/<int:meeting_id>/bewerken", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def edit_meeting(meeting_id: int):  # type: ignore[no-untyped-def]
    return _save_meeting(get_scoped_or_404(CommitteeMeeting, meeting_id))


def _save_meeting(meeting: CommitteeMeeting | None):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = MeetingForm(obj=meeting)
    if meeting is not None and request.method == "GET":
        form.starts_at.data = _local_naive(meeting.starts_at)
    if form.validate_on_submit():
        if meeting is None:
            meeting = CommitteeMeeting(municipality_id=municipality.id)
            db.session.add(meeting)
        meeting.starts_at = form.starts_at.data.replace(tzinfo=AMSTERDAM).astimezone(UTC)
        meeting.location = (form.location.data or "").strip()
        meeting.agenda = form.agenda.data or ""
        meeting.minutes = form.minutes.data or ""
        db.session.flush()
        record(
            "adviescommissie.meeting_saved",
            object_type="adviescommissie_meeting",
            object_id=meeting.id,
        )
        db.session.commit()
        flash(_("De vergadering is opgeslagen."), "success")
        return redirect(url_for(".meeting", meeting_id=meeting.id))
    return form_page("adviescommissie/meeting_form.html", form=form, meeting=meeting)


@bp.route("/vergaderingen/<int:meeting_id>/aanwezigheid", methods=["POST"])
@requires("adviescommissie.manage")
def save_attendance(meeting_id: int):  # type: ignore[no-untyped-def]
    """One select per member (``lid-<id>``); unknown members or values are refused."""
    meeting = get_scoped_or_404(CommitteeMeeting, meeting_id)
    existing = {a.member_id: a for a in meeting.attendance}
    errors = []
    for key, status in request.form.items():
        if not key.startswith("lid-"):
            continue
        member = get_scoped_or_404(CommitteeMember, key[4:])
        if status and status not in ATTENDANCE:
            errors.append(member.id)
            continue
        row = existing.get(member.id)
        if not status:
            if row is not None:
                meeting.attendance.remove(row)
            continue
        if row is None:
            row = CommitteeAttendance(municipality_id=meeting.municipality_id, member_id=member.id)
            meeting.attendance.append(row)
        row.status = status
    if errors:
        db.session.rollback()
        flash(_("Kies bij elk lid aanwezig, afgemeld of afwezig."), "error")
        return _meeting_page(meeting), 400
    record(
        "adviescommissie.attendance_saved",
        object_type="adviescommissie_meeting",
        object_id=meeting.id,
    )
    db.session.commit()
    flash(_("De aanwezigheid is opgeslagen."), "success")
    return redirect(url_for(".meeting", meeting_id=meeting.id))
