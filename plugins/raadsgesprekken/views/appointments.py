"""Scheduling: a request becomes an appointment; reschedule, cancel, held; .ics and letters."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from intranet.plugin_api import (
    Column,
    Filter,
    Listing,
    _,
    _l,
    as_utc,
    clean_arg,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    local_today,
    ngettext,
    parse_ids,
    record,
    render_audited,
    requires,
    scoped,
    utcnow,
)

from .. import ics, notify
from ..forms import AppointmentForm, CancelForm
from ..models import (
    CANCELLED,
    FORMS,
    HELD,
    REPORTED,
    REQUESTED,
    SCHEDULED,
    STATUSES,
    AppointmentCouncilMember,
    ConversationAppointment,
    ConversationDay,
    ConversationRequest,
    ConversationSlot,
    CouncilMember,
)
from ..rules import can_move, conflicts, pair_warning
from ..service import (
    bookings_around,
    get_visible_appointment,
    in_default_language,
    is_assigned,
    is_clerk,
    local_to_utc,
    may_see_address,
    set_status,
    settings,
    slot_facts,
    to_local,
    visible_appointments_stmt,
)
from . import bp

DEFAULT_MINUTES = 60


def _members() -> dict[int, CouncilMember]:
    rows = db.session.execute(
        scoped(CouncilMember).where(CouncilMember.active.is_(True)).order_by(CouncilMember.name)
    ).scalars()
    return {m.id: m for m in rows}


def _slot_choices() -> list[tuple[int, str]]:
    today = local_today()
    slots = db.session.execute(
        scoped(ConversationSlot)
        .join(ConversationDay, ConversationDay.id == ConversationSlot.day_id)
        .where(ConversationDay.day >= today)
        .order_by(ConversationDay.day, ConversationSlot.starts)
    ).scalars()
    return [(0, _("Op afspraak (vrij tijdstip)"))] + [
        (s.id, f"{s.conversation_day.title}, {s.label}") for s in slots
    ]


def _prepare(
    form: AppointmentForm, open_requests: list[ConversationRequest]
) -> dict[int, CouncilMember]:
    members = _members()
    form.members.choices = [(m.id, m.label) for m in members.values()]
    form.slot_id.choices = _slot_choices()
    form.requests.choices = [
        (r.id, f"{r.display_name} ({r.status_label.lower()})") for r in open_requests
    ]
    return members


def _when(form: AppointmentForm):  # type: ignore[no-untyped-def]
    """(starts_at, ends_at, slot) in UTC from the form, or a 404 for a foreign slot."""
    if form.slot_id.data:
        slot = get_scoped_or_404(ConversationSlot, form.slot_id.data)
        facts = slot_facts(slot)
        return facts.starts_at, facts.ends_at, slot
    starts = local_to_utc(form.day.data, form.starts.data)
    ends = local_to_utc(form.day.data, form.ends.data)
    return starts, ends, None


def _day_slots(starts_at) -> list:  # type: ignore[no-untyped-def]
    local_day = to_local(starts_at).date()
    slots = db.session.execute(
        scoped(ConversationSlot)
        .join(ConversationDay, ConversationDay.id == ConversationSlot.day_id)
        .where(ConversationDay.day == local_day)
    ).scalars()
    return [slot_facts(s) for s in slots]


def _place(
    form: AppointmentForm, requests: list[ConversationRequest], slot: ConversationSlot | None
) -> tuple[str, bool] | None:
    entered = (form.place.data or "").strip()
    if form.form.data == "home":
        if entered:
            return entered, True
        address = next(
            (r.resident.address for r in requests if r.resident and r.resident.address), None
        )
        if not address:
            form.place.errors = [
                *form.place.errors,
                _("Het adres van de inwoner is onbekend: vul het adres in."),
            ]
            return None
        return address, True
    if form.form.data == "phone":
        return "", False
    if form.form.data == "city_hall":
        return entered or (slot.conversation_day.location if slot else "") or _(
            "Gemeentehuis"
        ), False
    return entered or next((r.form_address for r in requests if r.form_address), ""), False


def _check(form, members, starts_at, ends_at, slot, exclude_id=None) -> bool:  # type: ignore[no-untyped-def]
    problems = conflicts(
        starts_at=starts_at,
        ends_at=ends_at,
        member_ids=form.members.data or [],
        member_names={i: m.name for i, m in members.items()},
        bookings=bookings_around(starts_at, ends_at),
        slot=slot_facts(slot) if slot is not None else None,
        day_slots=_day_slots(starts_at) if slot is None else (),
        exclude_id=exclude_id,
    )
    for p in problems:
        field = getattr(form, p.field)
        field.errors = [*field.errors, p.message]
    return not problems


def _report_mail(outcome_inv, outcome_conf, appointment: ConversationAppointment) -> None:  # type: ignore[no-untyped-def]
    mailed = len(outcome_inv.mailed) + len(outcome_conf.mailed)
    if mailed:
        flash(
            ngettext(
                "Er is %(num)d e-mail verstuurd (uitnodiging of bevestiging).",
                "Er zijn %(num)d e-mails verstuurd (uitnodigingen en bevestigingen).",
                mailed,
            ),
            "success",
        )
    failed = outcome_inv.failed + outcome_conf.failed
    if failed:
        flash(
            ngettext(
                "%(num)d e-mail kon niet worden verstuurd. Probeer het later opnieuw of "
                "stuur een brief.",
                "%(num)d e-mails konden niet worden verstuurd. Probeer het later opnieuw of "
                "stuur een brief.",
                len(failed),
            ),
            "error",
        )
    if outcome_conf.letters:
        flash(
            _(
                "Niet elke inwoner heeft een e-mailadres: print de bevestigingsbrief bij het gesprek."
            ),
            "info",
        )


def _preselected() -> set[int]:
    """Requests chosen on the list (``?samen=3,5,8``) to plan in one conversation."""
    return set(parse_ids(clean_arg(request.args.get("samen"), 400).split(",")))


@bp.route("/aanvragen/samen-inplannen", methods=["POST"])
@requires("raadsgesprekken.schedule")
def schedule_several():  # type: ignore[no-untyped-def]
    """The bulk action of the requests list: plan the ticked requests in one conversation.

    Only this municipality's requests that can still be planned are taken along; the others
    are named in a message, so the clerk knows what was skipped and why.
    """
    asked = parse_ids(request.form.getlist("aanvraag")[:200])
    found = {
        r.id: r
        for r in db.session.execute(
            scoped(ConversationRequest).where(ConversationRequest.id.in_(asked))
        ).scalars()
    }
    plannable = [
        found[i]
        for i in asked
        if i in found and found[i].status in (REQUESTED, CANCELLED) and found[i].resident_id
    ]
    skipped = [i for i in asked if i not in {r.id for r in plannable}]
    record(
        "raadsgesprekken.request.bulk_schedule",
        object_type="raadsgesprekken_request",
        result="success" if plannable else "refused",
        details={"requests": [r.id for r in plannable], "skipped": skipped},
    )
    db.session.commit()
    if skipped:
        names = [found[i].display_name if i in found else f"nummer {i}" for i in skipped]
        flash(
            _(
                "%(n)s aanvraag/aanvragen overgeslagen (niet (meer) in te plannen of "
                "niet gevonden): %(names)s.",
                n=len(skipped),
                names=", ".join(names),
            ),
            "error" if not plannable else "info",
        )
    if not plannable:
        if not asked:
            flash(_("Kies eerst een of meer aanvragen met de vakjes in de lijst."), "error")
        return redirect(url_for(".requests"))
    flash(
        _("%(n)s aanvraag/aanvragen gekozen; kies tijd, plaats en raadsleden.", n=len(plannable)),
        "info",
    )
    return redirect(
        url_for(
            ".schedule",
            request_id=plannable[0].id,
            samen=",".join(str(r.id) for r in plannable),
        )
    )


@bp.route("/aanvragen/<int:request_id>/inplannen", methods=["GET", "POST"])
@requires("raadsgesprekken.schedule")
def schedule(request_id: int):  # type: ignore[no-untyped-def]
    req = get_scoped_or_404(ConversationRequest, request_id)
    if req.status not in (REQUESTED, CANCELLED) or req.resident_id is None:
        flash(_("Deze aanvraag kan niet (meer) worden ingepland."), "error")
        return redirect(url_for(".request_detail", request_id=req.id))
    open_requests = (
        db.session.execute(
            scoped(ConversationRequest)
            .where(
                ConversationRequest.status.in_([REQUESTED, CANCELLED]),
                ConversationRequest.resident_id.is_not(None),
            )
            .order_by(ConversationRequest.requested_on)
        )
        .scalars()
        .all()
    )
    form = AppointmentForm()
    members = _prepare(form, open_requests)
    if not form.is_submitted():
        form.requests.data = [req.id] + [
            r.id for r in open_requests if r.id in _preselected() and r.id != req.id
        ]
        form.form.data = req.form
        if req.form == "elsewhere":
            form.place.data = req.form_address
    if form.validate_on_submit():
        chosen = [r for r in open_requests if r.id in set(form.requests.data)]
        starts_at, ends_at, slot = _when(form)
        place = _place(form, chosen, slot)
        if place is not None and _check(form, members, starts_at, ends_at, slot):
            appointment = ConversationAppointment(
                municipality_id=req.municipality_id,
                starts_at=starts_at,
                ends_at=ends_at,
                slot_id=slot.id if slot else None,
                form=form.form.data,
                place=place[0],
                place_is_home=place[1],
            )
            db.session.add(appointment)
            for member_id in form.members.data:
                appointment.members.append(
                    AppointmentCouncilMember(
                        municipality_id=req.municipality_id, member_id=member_id
                    )
                )
            db.session.flush()
            for r in chosen:
                r.appointment = appointment
                set_status(r, SCHEDULED)
            record(
                "raadsgesprekken.appointment.created",
                object_type="raadsgesprekken_appointment",
                object_id=appointment.id,
                details={"requests": [r.id for r in chosen], "members": sorted(form.members.data)},
            )
            db.session.commit()
            warning = pair_warning(len(form.members.data))
            if warning:
                flash(warning, "info")
            flash(_("Het gesprek is ingepland."), "success")
            _report_mail(
                notify.send_invitations(appointment),
                notify.send_confirmations(appointment),
                appointment,
            )
            return redirect(url_for(".appointment", appointment_id=appointment.id))
    return form_page(
        "raadsgesprekken/schedule.html", form=form, req=req, appointment=None, forms=FORMS
    )


PAST_AFTER = timedelta(hours=12)


def _conversations_listing() -> Listing:
    """Conversations, upcoming ones unless the filter asks for past or all; the council
    member filter offers this municipality's members, so the list is declared per request."""
    members = db.session.execute(scoped(CouncilMember).order_by(CouncilMember.name)).scalars()
    member_choices = [(str(m.id), m.name) for m in members]

    def with_member(stmt, value: str):  # type: ignore[no-untyped-def]
        return stmt.where(
            ConversationAppointment.id.in_(
                scoped(AppointmentCouncilMember)
                .with_only_columns(AppointmentCouncilMember.appointment_id)
                .where(AppointmentCouncilMember.member_id == int(value))
            )
        )

    def in_period(stmt, value: str):  # type: ignore[no-untyped-def]
        if value == "geweest":
            return stmt.where(ConversationAppointment.ends_at < utcnow() - PAST_AFTER)
        return stmt  # "alle"

    return Listing(
        "raadsgesprekken.appointments",
        columns=[
            Column("wanneer", _l("Wanneer"), ConversationAppointment.starts_at),
            Column("vorm", _l("Vorm"), ConversationAppointment.form),
            Column("status", _l("Status"), ConversationAppointment.cancelled),
        ],
        default_sort="wanneer",
        filters=[
            Filter(
                "periode",
                _l("Periode"),
                in_period,
                choices=[("geweest", _l("Geweest")), ("alle", _l("Alle"))],
                blank=_l("Komend"),
            ),
            Filter(
                "vorm",
                _l("Vorm"),
                lambda stmt, value: stmt.where(ConversationAppointment.form == value),
                choices=list(FORMS.items()),
            ),
            Filter("raadslid", _l("Raadslid"), with_member, choices=member_choices),
            Filter(
                "status",
                _l("Status"),
                lambda stmt, value: stmt.where(
                    ConversationAppointment.cancelled.is_(value == "geannuleerd")
                ),
                choices=[
                    ("doorgaand", _l("Niet geannuleerd")),
                    ("geannuleerd", _l("Geannuleerd")),
                ],
            ),
        ],
        tiebreak=ConversationAppointment.id,
    )


@bp.route("/gesprekken")
@requires("raadsgesprekken.view")
def appointments():  # type: ignore[no-untyped-def]
    """The conversations the employee may see, upcoming first; sort, filters and page in
    the URL. Cancelled ones stay in the list, marked, so a clerk can find them."""
    stmt = visible_appointments_stmt().options(
        selectinload(ConversationAppointment.members).joinedload(AppointmentCouncilMember.member),
        selectinload(ConversationAppointment.requests),
    )
    period = clean_arg(request.args.get("periode"))
    if period not in ("geweest", "alle"):
        stmt = stmt.where(ConversationAppointment.ends_at >= utcnow() - PAST_AFTER)
    listing = _conversations_listing().run(stmt)
    return render_template(
        "raadsgesprekken/appointments.html",
        appointments=listing.items,
        listing=listing,
        period=period if period in ("geweest", "alle") else "",
    )


@bp.route("/gesprekken/<int:appointment_id>")
@requires("raadsgesprekken.view")
def appointment(appointment_id: int):  # type: ignore[no-untyped-def]
    appt = get_visible_appointment(appointment_id)
    record(
        "raadsgesprekken.appointment.viewed",
        object_type="raadsgesprekken_appointment",
        object_id=appt.id,
        details={
            "address_shown": bool(appt.place_is_home and appt.place and may_see_address(appt))
        },
    )
    status = _status(appt)
    return render_audited(
        "raadsgesprekken/appointment.html",
        appt=appt,
        show_address=may_see_address(appt),
        assigned=is_assigned(appt),
        clerk=is_clerk(),
        cancel_form=CancelForm(),
        status=status,
        status_label=STATUSES[status],
        started=has_started(appt),
    )


def has_started(appt: ConversationAppointment) -> bool:
    """A conversation can be recorded as held once its start time has passed, not before."""
    return as_utc(appt.starts_at) <= utcnow()  # type: ignore[operator]


def _status(appt: ConversationAppointment) -> str:
    if appt.cancelled:
        return CANCELLED
    statuses = {r.status for r in appt.requests}
    return (
        min(
            statuses,
            key=lambda s: (
                [REQUESTED, SCHEDULED, HELD, REPORTED].index(s)
                if s in (REQUESTED, SCHEDULED, HELD, REPORTED)
                else 9
            ),
        )
        if statuses
        else SCHEDULED
    )


@bp.route("/gesprekken/<int:appointment_id>/verplaatsen", methods=["GET", "POST"])
@requires("raadsgesprekken.schedule")
def reschedule(appointment_id: int):  # type: ignore[no-untyped-def]
    appt = get_scoped_or_404(ConversationAppointment, appointment_id)
    if appt.cancelled or _status(appt) != SCHEDULED:
        flash(_("Alleen een ingepland gesprek kan worden verplaatst."), "error")
        return redirect(url_for(".appointment", appointment_id=appt.id))
    form = AppointmentForm(obj=None)
    members = _prepare(form, list(appt.requests))
    if not form.is_submitted():
        form.requests.data = [r.id for r in appt.requests]
        form.members.data = sorted(appt.member_ids)
        form.slot_id.data = appt.slot_id or 0
        form.form.data = appt.form
        form.place.data = "" if appt.place_is_home else appt.place
        local = to_local(appt.starts_at)
        form.day.data, form.starts.data = local.date(), local.time()
        form.ends.data = to_local(appt.ends_at).time()
    if form.validate_on_submit():
        if not (form.reason.data or "").strip():
            form.reason.errors = [_("Vul de reden van de wijziging in.")]
        else:
            starts_at, ends_at, slot = _when(form)
            place = _place(form, list(appt.requests), slot)
            if place is not None and _check(form, members, starts_at, ends_at, slot, appt.id):
                appt.starts_at, appt.ends_at = starts_at, ends_at
                appt.slot_id = slot.id if slot else None
                appt.form = form.form.data
                appt.place, appt.place_is_home = place
                wanted = set(form.members.data)
                for link in list(appt.members):
                    if link.member_id not in wanted:
                        appt.members.remove(link)
                for member_id in wanted - appt.member_ids:
                    appt.members.append(
                        AppointmentCouncilMember(
                            municipality_id=appt.municipality_id, member_id=member_id
                        )
                    )
                appt.sequence += 1
                for r in appt.requests:
                    set_status(r, SCHEDULED, reason=form.reason.data.strip())
                record(
                    "raadsgesprekken.appointment.moved",
                    object_type="raadsgesprekken_appointment",
                    object_id=appt.id,
                )
                db.session.commit()
                flash(_("Het gesprek is verplaatst."), "success")
                _report_mail(
                    notify.send_invitations(appt, changed="moved"),
                    notify.send_confirmations(appt, changed="moved"),
                    appt,
                )
                return redirect(url_for(".appointment", appointment_id=appt.id))
    return form_page(
        "raadsgesprekken/schedule.html", form=form, req=None, appointment=appt, forms=FORMS
    )


@bp.route("/gesprekken/<int:appointment_id>/annuleren", methods=["GET", "POST"])
@requires("raadsgesprekken.schedule")
def cancel(appointment_id: int):  # type: ignore[no-untyped-def]
    appt = get_scoped_or_404(ConversationAppointment, appointment_id)
    form = CancelForm()
    if appt.cancelled or _status(appt) != SCHEDULED:
        flash(_("Alleen een ingepland gesprek kan worden geannuleerd."), "error")
        return redirect(url_for(".appointment", appointment_id=appt.id))
    if form.validate_on_submit():
        reason = form.reason.data.strip()
        appt.cancelled = True
        appt.cancel_reason = reason
        appt.sequence += 1
        for r in appt.requests:
            set_status(r, CANCELLED, reason=reason)
        record(
            "raadsgesprekken.appointment.cancelled",
            object_type="raadsgesprekken_appointment",
            object_id=appt.id,
        )
        db.session.commit()
        flash(_("Het gesprek is geannuleerd."), "success")
        _report_mail(
            notify.send_invitations(appt, changed="cancelled"),
            notify.send_confirmations(appt, changed="cancelled"),
            appt,
        )
        return redirect(url_for(".appointment", appointment_id=appt.id))
    return form_page("raadsgesprekken/cancel.html", form=form, appt=appt)


@bp.route("/gesprekken/<int:appointment_id>/gevoerd", methods=["POST"])
@requires("raadsgesprekken.report")
def mark_held(appointment_id: int):  # type: ignore[no-untyped-def]
    appt = get_visible_appointment(appointment_id)
    if not (is_assigned(appt) or is_clerk()):
        abort(403)
    if appt.cancelled or not all(can_move(r.status, HELD) for r in appt.requests):
        flash(_("Dit gesprek kan niet als gevoerd worden gemarkeerd."), "error")
        return redirect(url_for(".appointment", appointment_id=appt.id))
    if not has_started(appt):
        flash(
            _("Dit gesprek is nog niet begonnen; u kunt het pas daarna als gevoerd markeren."),
            "error",
        )
        return redirect(url_for(".appointment", appointment_id=appt.id))
    for r in appt.requests:
        set_status(r, HELD)
    if appt.place_is_home and appt.place:
        appt.place = ""  # the home address is not kept once the conversation took place
    record(
        "raadsgesprekken.appointment.held",
        object_type="raadsgesprekken_appointment",
        object_id=appt.id,
        details={"home_address_removed": appt.place_is_home},
    )
    db.session.commit()
    flash(_("Het gesprek is gevoerd. Schrijf nu het verslag."), "success")
    return redirect(url_for(".appointment", appointment_id=appt.id))


@bp.route("/gesprekken/<int:appointment_id>/uitnodiging-<int:member_id>.ics")
@requires("raadsgesprekken.view")
def invitation(appointment_id: int, member_id: int):  # type: ignore[no-untyped-def]
    appt = get_visible_appointment(appointment_id)
    member = get_scoped_or_404(CouncilMember, member_id)
    if member.id not in appt.member_ids:
        abort(404)
    if not (is_clerk() or is_assigned(appt)):
        abort(404)
    body = ics.invitation(
        appt,
        member,
        host=request.host.split(":")[0],
        organiser_email=notify.clerk_email(),
        place=notify.public_place(appt) if may_see_address(appt) else appt.form_label,
        url=url_for(".appointment", appointment_id=appt.id, _external=True),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="raadsgesprek-{appt.id}.ics"'},
    )


@bp.route("/gesprekken/<int:appointment_id>/brief/<int:request_id>")
@requires("raadsgesprekken.schedule")
def letter(appointment_id: int, request_id: int):  # type: ignore[no-untyped-def]
    appt = get_scoped_or_404(ConversationAppointment, appointment_id)
    req = get_scoped_or_404(ConversationRequest, request_id)
    if req.appointment_id != appt.id or req.resident is None:
        abort(404)
    record(
        "raadsgesprekken.letter.printed",
        object_type="raadsgesprekken_request",
        object_id=req.id,
        details={"kind": "confirmation"},
    )
    db.session.commit()
    with in_default_language():  # a letter to a resident
        return render_template(
            "raadsgesprekken/letter_confirmation.html",
            appt=appt,
            req=req,
            settings=settings(),
            municipality=current_municipality(),
            today=local_today(),
        )


@bp.route("/print.css")
@requires("raadsgesprekken.view")
def print_css():  # type: ignore[no-untyped-def]
    css = render_template("raadsgesprekken/print.css")
    return Response(css, mimetype="text/css", headers={"Cache-Control": "max-age=3600"})
