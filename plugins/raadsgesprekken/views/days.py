"""Conversation days with time slots, a capacity per slot and who is available when."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    record,
    requires,
    scoped,
)

from ..forms import DayForm, SlotForm
from ..models import (
    ConversationAppointment,
    ConversationDay,
    ConversationSlot,
    CouncilMember,
    SlotAvailability,
)
from . import bp


def _member_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        scoped(CouncilMember).where(CouncilMember.active.is_(True)).order_by(CouncilMember.name)
    ).scalars()
    return [(m.id, m.label) for m in rows]


@bp.route("/gespreksdagen")
@requires("raadsgesprekken.schedule")
def days():  # type: ignore[no-untyped-def]
    rows = db.session.execute(
        scoped(ConversationDay).order_by(ConversationDay.day.desc())
    ).scalars()
    return render_template("raadsgesprekken/days.html", rows=list(rows))


@bp.route("/gespreksdagen/nieuw", methods=["GET", "POST"])
@requires("raadsgesprekken.schedule")
def new_day():  # type: ignore[no-untyped-def]
    form = DayForm()
    if form.validate_on_submit():
        day = ConversationDay(
            municipality_id=current_municipality().id,
            day=form.day.data,
            title=form.title.data.strip(),
            location=(form.location.data or "").strip(),
        )
        db.session.add(day)
        db.session.flush()
        record("raadsgesprekken.day.created", object_type="raadsgesprekken_day", object_id=day.id)
        db.session.commit()
        flash(_("De gespreksdag is aangemaakt. Voeg nu tijdvakken toe."), "success")
        return redirect(url_for(".day", day_id=day.id))
    return form_page("raadsgesprekken/day_form.html", form=form)


def _slot_usage(day: ConversationDay) -> dict[int, int]:
    ids = [s.id for s in day.slots]
    if not ids:
        return {}
    rows = db.session.execute(
        scoped(ConversationAppointment).where(
            ConversationAppointment.slot_id.in_(ids), ConversationAppointment.cancelled.is_(False)
        )
    ).scalars()
    usage: dict[int, int] = {}
    for a in rows:
        usage[a.slot_id] = usage.get(a.slot_id, 0) + 1  # type: ignore[index]
    return usage


@bp.route("/gespreksdagen/<int:day_id>", methods=["GET", "POST"])
@requires("raadsgesprekken.schedule")
def day(day_id: int):  # type: ignore[no-untyped-def]
    conversation_day = get_scoped_or_404(ConversationDay, day_id)
    form = SlotForm()
    form.members.choices = _member_choices()
    if form.validate_on_submit():
        slot = ConversationSlot(
            municipality_id=conversation_day.municipality_id,
            conversation_day=conversation_day,
            starts=form.starts.data,
            ends=form.ends.data,
            capacity=form.capacity.data,
        )
        db.session.add(slot)
        db.session.flush()
        _set_available(slot, form.members.data or [])
        record(
            "raadsgesprekken.slot.created", object_type="raadsgesprekken_slot", object_id=slot.id
        )
        db.session.commit()
        flash(_("Het tijdvak is toegevoegd."), "success")
        for warning in booked_warnings(slot):
            flash(warning, "warning")
        return redirect(url_for(".day", day_id=conversation_day.id))
    members = {m.id: m for m in db.session.execute(scoped(CouncilMember)).scalars()}
    return form_page(
        "raadsgesprekken/day.html",
        form=form,
        day=conversation_day,
        usage=_slot_usage(conversation_day),
        members=members,
    )


def booked_warnings(slot: ConversationSlot) -> list[str]:
    """Members marked available in the slot who already have a conversation at that time:
    the slot is saved (availability is theirs to give), but the planner should know."""
    from ..rules import overlaps
    from ..service import bookings_around, local_to_utc

    day = slot.conversation_day.day
    starts, ends = local_to_utc(day, slot.starts), local_to_utc(day, slot.ends)
    names = {m.id: m.name for m in db.session.execute(scoped(CouncilMember)).scalars()}
    warnings = []
    around = bookings_around(starts, ends)
    for member_id in sorted(slot.member_ids):
        for b in around:
            if (
                member_id in b.member_ids
                and b.slot_id != slot.id
                and overlaps(starts, ends, b.starts_at, b.ends_at)
            ):
                warnings.append(
                    _(
                        "Let op: %(name)s is als beschikbaar aangemerkt, maar heeft op dat moment "
                        "al een ander gesprek: %(label)s.",
                        name=names.get(member_id, _("een raadslid")),
                        label=b.label,
                    )
                )
                break
    return warnings


def _set_available(slot: ConversationSlot, member_ids: list[int]) -> None:
    valid = {m for m, _ in _member_choices()}
    wanted = {m for m in member_ids if m in valid}
    for a in list(slot.available):
        if a.member_id not in wanted:
            slot.available.remove(a)
    have = slot.member_ids
    for m in wanted - have:
        slot.available.append(SlotAvailability(municipality_id=slot.municipality_id, member_id=m))


@bp.route("/tijdvakken/<int:slot_id>", methods=["GET", "POST"])
@requires("raadsgesprekken.schedule")
def edit_slot(slot_id: int):  # type: ignore[no-untyped-def]
    slot = get_scoped_or_404(ConversationSlot, slot_id)
    form = SlotForm(obj=slot)
    form.members.choices = _member_choices()
    if not form.is_submitted():
        form.members.data = sorted(slot.member_ids)
    if form.validate_on_submit():
        slot.starts = form.starts.data
        slot.ends = form.ends.data
        slot.capacity = form.capacity.data
        _set_available(slot, form.members.data or [])
        record(
            "raadsgesprekken.slot.changed", object_type="raadsgesprekken_slot", object_id=slot.id
        )
        db.session.commit()
        flash(_("Het tijdvak is bijgewerkt."), "success")
        for warning in booked_warnings(slot):
            flash(warning, "warning")
        return redirect(url_for(".day", day_id=slot.day_id))
    return form_page("raadsgesprekken/slot_form.html", form=form, slot=slot)
