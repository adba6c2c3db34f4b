"""Meetings of a group: attendance, outcomes, mailing them, and the follow-up feedback."""

from __future__ import annotations

from datetime import UTC

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from intranet.plugin_api import (
    AMSTERDAM,
    N_,
    Organisation,
    _,
    as_utc,
    db,
    dutch_date,
    enqueue,
    form_page,
    get_scoped_or_404,
    is_htmx,
    ngettext,
    record,
    requires,
    scoped,
    utcnow,
)

from ..forms import AttendanceForm, MeetingForm, OutcomeDecisionForm, OutcomeForm
from ..models import FAILED, NEW_ATTEMPT, PENDING, FeedbackMail, Group, Meeting, Outcome
from ..service import (
    attendance_ids,
    feedback_recipients,
    outcome_recipients,
    queue_feedback_mails,
    set_attendance,
    set_meeting_organisations,
)
from . import GROUPS_MANAGE, VIEW, bp, list_part


def _meeting_form(group: Group, meeting: Meeting | None = None) -> MeetingForm:
    form = MeetingForm(obj=meeting)
    earlier = [m for m in group.meetings if meeting is None or m.id != meeting.id]
    form.follow_up_of_id.choices = [(0, _("— Geen vervolgbijeenkomst —"))] + [
        (m.id, f"{dutch_date(m.starts_at)}: {m.location}") for m in earlier
    ]
    return form


@bp.route("/groepen/<int:group_id>/bijeenkomsten/nieuw", methods=["GET", "POST"])
@requires(GROUPS_MANAGE)
def meeting_create(group_id: int):  # type: ignore[no-untyped-def]
    group = get_scoped_or_404(Group, group_id)
    form = _meeting_form(group)
    if form.validate_on_submit():
        meeting = Meeting(
            municipality_id=group.municipality_id,
            group_id=group.id,
            starts_at=form.starts_at.data.replace(tzinfo=AMSTERDAM).astimezone(UTC),
            location=form.location.data.strip(),
            online=bool(form.online.data),
            agenda=form.agenda.data or "",
            follow_up_of_id=form.follow_up_of_id.data or None,
        )
        db.session.add(meeting)
        db.session.flush()
        record("meedenkgroepen.meeting.created", object_type="bijeenkomst", object_id=meeting.id)
        db.session.commit()
        flash(_("De bijeenkomst is gepland."), "success")
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    return form_page("meedenkgroepen/meeting_form.html", form, form=form, group=group)


def _mails(meeting: Meeting, kind: str) -> list[FeedbackMail]:
    return list(
        db.session.execute(
            scoped(FeedbackMail)
            .where(FeedbackMail.ref == f"meeting:{meeting.id}", FeedbackMail.kind == kind)
            .order_by(FeedbackMail.id)
        ).scalars()
    )


def _meeting_page(  # type: ignore[no-untyped-def]
    meeting: Meeting,
    outcome_form: OutcomeForm | None = None,
    attendance_form: AttendanceForm | None = None,
    decision_forms: dict[int, OutcomeDecisionForm] | None = None,
):
    group = meeting.group
    attendance_form = _attendance_shown(meeting, attendance_form)
    db.session.commit()
    decision_forms = decision_forms or {}
    earlier = meeting.follow_up_of
    if earlier is not None:
        for o in earlier.outcomes:
            if o.id not in decision_forms:
                decision_forms[o.id] = OutcomeDecisionForm(
                    prefix=f"o{o.id}", decision=o.decision, explanation=o.explanation
                )
    outcome_form = outcome_form or OutcomeForm()
    now = utcnow()
    held = as_utc(meeting.starts_at) <= now
    return form_page(
        "meedenkgroepen/meeting_detail.html",
        outcome_form,
        attendance_form,
        *decision_forms.values(),
        meeting=meeting,
        group=group,
        outcome_form=outcome_form,
        attendance_form=attendance_form,
        decision_forms=decision_forms,
        outcome_mails=_mails(meeting, "opbrengsten"),
        feedback_mails=_mails(meeting, "terugkoppeling"),
        outcome_recipients=outcome_recipients(meeting),
        feedback_recipients=feedback_recipients(meeting) if earlier else [],
        held=held,
    )


def _started(meeting: Meeting) -> bool:
    """Who came and what it yielded can only be known once the meeting has begun."""
    return as_utc(meeting.starts_at) <= utcnow()  # type: ignore[operator]


def _not_yet(meeting: Meeting):  # type: ignore[no-untyped-def]
    flash(
        _("Deze bijeenkomst is nog niet begonnen. Aanwezigheid en opbrengsten legt u daarna vast."),
        "error",
    )
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


def _attendee_choices(meeting: Meeting) -> list[tuple[int, str]]:
    people = {m.resident_id: m.resident.name for m in meeting.group.memberships}
    for a in meeting.attendances:
        people.setdefault(a.resident_id, a.resident.name)
    return sorted(people.items(), key=lambda kv: kv[1])


def _organisation_choices() -> list[tuple[int, str]]:
    """The municipality's own organisations (the registry is tenant-scoped)."""
    rows = db.session.execute(scoped(Organisation).order_by(Organisation.name, Organisation.id))
    return [(o.id, o.name) for o in rows.scalars()]


@bp.route("/bijeenkomsten/<int:meeting_id>")
@requires(VIEW)
def meeting_detail(meeting_id: int):  # type: ignore[no-untyped-def]
    return _meeting_page(get_scoped_or_404(Meeting, meeting_id))


@bp.route("/bijeenkomsten/<int:meeting_id>/aanwezigheid", methods=["POST"])
@requires(GROUPS_MANAGE)
def meeting_attendance(meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_scoped_or_404(Meeting, meeting_id)
    if not _started(meeting):
        return _not_yet(meeting)
    form = AttendanceForm()
    form.attendees.choices = _attendee_choices(meeting)
    form.organisations.choices = _organisation_choices()
    if not form.validate_on_submit():
        if is_htmx():
            return _attendance_fragment(meeting, form, focus_id="aanwezigheid-foutmeldingen")
        return _meeting_page(meeting, attendance_form=form)
    set_attendance(meeting, set(form.attendees.data or []))
    set_meeting_organisations(meeting, set(form.organisations.data or []))
    record(
        "meedenkgroepen.attendance.changed",
        object_type="bijeenkomst",
        object_id=meeting.id,
        details={
            "residents": sorted(form.attendees.data or []),
            "organisations": sorted(form.organisations.data or []),
        },
    )
    db.session.commit()
    if is_htmx():
        db.session.expire(meeting)  # attendances and organisations as now stored
        return _attendance_fragment(
            meeting,
            focus_id="aanwezigheid-melding",
            message=_("De aanwezigheid is opgeslagen."),
        )
    flash(_("De aanwezigheid is opgeslagen."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))


def _attendance_fragment(
    meeting: Meeting,
    form: AttendanceForm | None = None,
    *,
    focus_id: str,
    message: str = "",
) -> tuple[str, int]:
    """The attendance part alone, for an in-place (htmx) save: the boxes as stored (or as
    refused, 400, with the errors by the form), the confirmation and who the outcomes now go
    to. The names shown are a read of personal data, audited like the page's."""
    form = _attendance_shown(meeting, form)
    db.session.commit()
    body = render_template(
        "meedenkgroepen/_attendance_response.html",
        meeting=meeting,
        attendance_form=form,
        outcome_recipients=outcome_recipients(meeting),
        held=_started(meeting),
        focus_id=focus_id,
        message=message,
        inline=True,
    )
    return body, 400 if form.errors else 200


def _attendance_shown(meeting: Meeting, form: AttendanceForm | None = None) -> AttendanceForm:
    """The attendance form as stored (or as refused), with its choices; showing who attended
    is a read of personal data, so it is audited here for the page and the in-place part."""
    if form is None:
        form = AttendanceForm(formdata=None)
        form.attendees.data = sorted(attendance_ids(meeting))
        form.organisations.data = [mo.organisation_id for mo in meeting.organisations]
    form.attendees.choices = _attendee_choices(meeting)
    form.organisations.choices = _organisation_choices()
    record(
        "meedenkgroepen.attendance.viewed",
        object_type="bijeenkomst",
        object_id=meeting.id,
        details={"residents": sorted(attendance_ids(meeting))},
    )
    return form


def _outcomes_fragment(
    meeting: Meeting,
    form: OutcomeForm | None = None,
    *,
    focus_id: str,
    message: str = "",
    add: bool = False,
) -> tuple[str, int]:
    """What an in-place (htmx) add or removal of an outcome answers with: the list only, or for
    an ``add`` the add form (the list out of band once added), so that text typed in the add
    box survives a removal. A refused add answers 400 with the Dutch error next to the box and
    a summary by the form."""
    form = form or OutcomeForm(formdata=None)
    return list_part(
        "meedenkgroepen/_outcomes_response.html",
        form,
        focus_id=focus_id,
        add=add,
        meeting=meeting,
        outcome_form=form,
        held=_started(meeting),
        message=message,
    )


@bp.route("/bijeenkomsten/<int:meeting_id>/opbrengsten", methods=["POST"])
@requires(GROUPS_MANAGE)
def outcome_add(meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_scoped_or_404(Meeting, meeting_id)
    if not _started(meeting):
        return _not_yet(meeting)
    form = OutcomeForm()
    if not form.validate_on_submit():
        if is_htmx():
            return _outcomes_fragment(meeting, form, focus_id="opbrengst-foutmeldingen", add=True)
        return _meeting_page(meeting, outcome_form=form)
    meeting.outcomes.append(
        Outcome(
            municipality_id=meeting.municipality_id,
            text=form.text.data.strip(),
            position=len(meeting.outcomes) + 1,
        )
    )
    record("meedenkgroepen.outcome.added", object_type="bijeenkomst", object_id=meeting.id)
    db.session.commit()
    if is_htmx():  # outcome after outcome: back in the empty box for the next one
        return _outcomes_fragment(
            meeting,
            focus_id="text",
            add=True,
            message=_("Opbrengst %(n)d is toegevoegd.", n=len(meeting.outcomes)),
        )
    flash(_("De opbrengst is toegevoegd."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id) + "#opbrengsten")


@bp.route(
    "/bijeenkomsten/<int:meeting_id>/opbrengsten/<int:outcome_id>/verwijderen", methods=["POST"]
)
@requires(GROUPS_MANAGE)
def outcome_delete(meeting_id: int, outcome_id: int):  # type: ignore[no-untyped-def]
    meeting = get_scoped_or_404(Meeting, meeting_id)
    outcome = get_scoped_or_404(Outcome, outcome_id)
    if outcome.meeting_id == meeting.id and meeting.outcomes_mailed_at is None:
        db.session.delete(outcome)
        db.session.commit()
        if is_htmx():
            return _outcomes_fragment(
                meeting, focus_id="opbrengsten-melding", message=_("De opbrengst is verwijderd.")
            )
        flash(_("De opbrengst is verwijderd."), "success")
    else:
        flash(_("Opbrengsten die al gemaild zijn, blijven staan."), "error")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id) + "#opbrengsten")


def _start_mailing(meeting: Meeting, kind: str, recipients: list) -> int:  # type: ignore[type-arg]
    ref = f"meeting:{meeting.id}"
    queue_feedback_mails(meeting.municipality_id, ref, kind, recipients)
    db.session.commit()
    title = (
        N_("Mailen van de opbrengsten: %(theme)s")
        if kind == "opbrengsten"
        else N_("Mailen van de terugkoppeling: %(theme)s")
    )
    job = enqueue(
        "plugins.meedenkgroepen.jobs:send_feedback_mails",
        title=title,
        title_params={"theme": meeting.group.theme},
        municipality_id=meeting.municipality_id,
        created_by=current_user.username,
        ref=ref,
        kind=kind,
    )
    return job.id


@bp.route("/bijeenkomsten/<int:meeting_id>/opbrengsten-mailen", methods=["POST"])
@requires(GROUPS_MANAGE)
def outcomes_mail(meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_scoped_or_404(Meeting, meeting_id)
    if not meeting.outcomes:
        flash(_("Leg eerst de opbrengsten vast."), "error")
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    recipients = outcome_recipients(meeting)
    if not any(r.email for r in recipients):
        flash(
            _(
                "Er is niemand met een e-mailadres om de opbrengsten naar te sturen. Leg eerst de aanwezigheid vast."
            ),
            "error",
        )
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    meeting.outcomes_mailed_at = meeting.outcomes_mailed_at or utcnow()
    record(
        "meedenkgroepen.outcomes.mailed",
        object_type="bijeenkomst",
        object_id=meeting.id,
        details={"residents": [r.id for r in recipients if r.email]},
    )
    _start_mailing(meeting, "opbrengsten", recipients)
    flash(_("De opbrengsten worden gemaild. De voortgang staat hieronder."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id) + "#opbrengsten-mail")


@bp.route("/bijeenkomsten/<int:meeting_id>/terugkoppeling/<int:outcome_id>", methods=["POST"])
@requires(GROUPS_MANAGE)
def outcome_decide(meeting_id: int, outcome_id: int):  # type: ignore[no-untyped-def]
    meeting = get_scoped_or_404(Meeting, meeting_id)
    outcome = get_scoped_or_404(Outcome, outcome_id)
    if meeting.follow_up_of_id is None or outcome.meeting_id != meeting.follow_up_of_id:
        flash(_("Deze opbrengst hoort niet bij de bijeenkomst waarop dit een vervolg is."), "error")
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    form = OutcomeDecisionForm(prefix=f"o{outcome.id}")
    if not form.validate_on_submit():
        return _meeting_page(meeting, decision_forms={outcome.id: form})
    outcome.decision = form.decision.data
    outcome.explanation = form.explanation.data.strip()
    outcome.decided_in_id = meeting.id
    outcome.decided_at = utcnow()
    record(
        "meedenkgroepen.outcome.decided",
        object_type="bijeenkomst",
        object_id=meeting.id,
        details={"outcome": outcome.id, "decision": outcome.decision},
    )
    db.session.commit()
    flash(_("Vastgelegd wat er met de opbrengst is gedaan."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id) + "#terugkoppeling")


@bp.route("/bijeenkomsten/<int:meeting_id>/terugkoppeling-mailen", methods=["POST"])
@requires(GROUPS_MANAGE)
def feedback_mail(meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_scoped_or_404(Meeting, meeting_id)
    earlier = meeting.follow_up_of
    if earlier is None:
        flash(_("Dit is geen vervolgbijeenkomst."), "error")
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
    open_items = [o for o in earlier.outcomes if not o.decision]
    if open_items or not earlier.outcomes:
        flash(
            _("Leg eerst bij elke opbrengst vast wat ermee is gedaan.")
            if open_items
            else _("De eerdere bijeenkomst heeft geen opbrengsten."),
            "error",
        )
        return redirect(url_for(".meeting_detail", meeting_id=meeting.id) + "#terugkoppeling")
    recipients = feedback_recipients(meeting)
    meeting.feedback_mailed_at = meeting.feedback_mailed_at or utcnow()
    record(
        "meedenkgroepen.feedback.mailed",
        object_type="bijeenkomst",
        object_id=meeting.id,
        details={"residents": [r.id for r in recipients if r.email]},
    )
    _start_mailing(meeting, "terugkoppeling", recipients)
    flash(_("De terugkoppeling wordt gemaild."), "success")
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id) + "#terugkoppeling")


@bp.route("/bijeenkomsten/<int:meeting_id>/mails-opnieuw", methods=["POST"])
@requires(GROUPS_MANAGE)
def mails_retry(meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_scoped_or_404(Meeting, meeting_id)
    retried = 0
    for kind in ("opbrengsten", "terugkoppeling"):
        failed = [m for m in _mails(meeting, kind) if m.status == FAILED]
        for m in failed:
            m.status = PENDING
            for field, value in NEW_ATTEMPT.items():
                setattr(m, field, value)
        if failed:
            retried += len(failed)
            db.session.commit()
            enqueue(
                "plugins.meedenkgroepen.jobs:send_feedback_mails",
                title=N_("Opnieuw mailen: %(theme)s"),
                title_params={"theme": meeting.group.theme},
                municipality_id=meeting.municipality_id,
                created_by=current_user.username,
                ref=f"meeting:{meeting.id}",
                kind=kind,
            )
    flash(
        ngettext(
            "%(num)d mislukte e-mail wordt opnieuw verstuurd.",
            "%(num)d mislukte e-mails worden opnieuw verstuurd.",
            retried,
        ),
        "success",
    )
    return redirect(url_for(".meeting_detail", meeting_id=meeting.id))
