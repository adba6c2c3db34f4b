"""Thematic workshops (werkateliers): participants from municipality, politics and clients,
the input each gave, and what was done with it."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    get_scoped_or_404,
    has_permission,
    local_today,
    organisation_choices,
    record,
    requires,
    scoped,
)

from ..forms import DecisionForm, InputForm, ParticipantForm, WorkshopForm
from ..models import (
    WORKSHOP_CONSENT,
    Workshop,
    WorkshopInput,
    WorkshopParticipant,
)
from ..rules import input_errors
from . import (
    VIEW,
    WORKSHOPS_MANAGE,
    bp,
    employee_choices,
    page,
    residents_with,
    valid_employee_id,
    workstream_choices,
)


@bp.route("/werkateliers")
@requires(VIEW)
def workshops():  # type: ignore[no-untyped-def]
    rows = db.session.execute(scoped(Workshop).order_by(Workshop.held_on.desc())).scalars().all()
    return page("workshops.html", workshops=rows)


def _workshop_form(workshop: Workshop | None = None) -> WorkshopForm:
    form = WorkshopForm(obj=workshop)
    form.workstream_id.choices = workstream_choices(_("Geen werkstroom"))
    if workshop is not None and not form.is_submitted():
        form.workstream_id.data = workshop.workstream_id or 0
    return form


def _fill_workshop(workshop: Workshop, form: WorkshopForm) -> None:
    workshop.theme = form.theme.data.strip()
    workshop.workstream_id = form.workstream_id.data or None
    workshop.held_on = form.held_on.data
    workshop.location = (form.location.data or "").strip()
    workshop.status = form.status.data
    workshop.summary = (form.summary.data or "").strip()


def _valid_workstream(form: WorkshopForm) -> bool:
    allowed = {c[0] for c in form.workstream_id.choices}  # type: ignore[union-attr]
    if form.workstream_id.data not in allowed:
        form.workstream_id.errors.append(_("Kies een werkstroom uit de lijst."))
        return False
    return True


@bp.route("/werkateliers/nieuw", methods=["GET", "POST"])
@requires(WORKSHOPS_MANAGE)
def workshop_create():  # type: ignore[no-untyped-def]
    form = _workshop_form()
    if form.validate_on_submit() and _valid_workstream(form):
        workshop = Workshop(municipality_id=current_municipality().id)
        _fill_workshop(workshop, form)
        db.session.add(workshop)
        db.session.flush()
        record(
            "participatieplan.workshop.created",
            object_type="participatieplan_workshop",
            object_id=workshop.id,
        )
        db.session.commit()
        flash(_("Het werkatelier is opgeslagen."), "success")
        return redirect(url_for(".workshop_detail", workshop_id=workshop.id))
    return page("workshop_form.html", form, form=form, workshop=None)


@bp.route("/werkateliers/<int:workshop_id>/bewerken", methods=["GET", "POST"])
@requires(WORKSHOPS_MANAGE)
def workshop_edit(workshop_id: int):  # type: ignore[no-untyped-def]
    workshop = get_scoped_or_404(Workshop, workshop_id)
    form = _workshop_form(workshop)
    if form.validate_on_submit() and _valid_workstream(form):
        _fill_workshop(workshop, form)
        record(
            "participatieplan.workshop.changed",
            object_type="participatieplan_workshop",
            object_id=workshop.id,
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".workshop_detail", workshop_id=workshop.id))
    return page("workshop_form.html", form, form=form, workshop=workshop)


def _participant_form() -> ParticipantForm:
    form = ParticipantForm()
    form.employee_id.choices = [(0, _("Geen medewerker")), *employee_choices()]
    form.resident_id.choices = [(0, _("Geen inwoner"))] + [
        (r.id, r.name) for r in residents_with(WORKSHOP_CONSENT)
    ]
    form.organisation_id.choices = [(0, _("Geen organisatie"))] + [
        (int(value), name)
        for value, name in organisation_choices(current_municipality().id)
        if value
    ]
    return form


def _participant_label(p: WorkshopParticipant, names: bool) -> str:
    """Who a participant is; a client's name only for workshop facilitators (audited)."""
    if p.kind == "client":
        if names and p.resident is not None:
            return p.resident.name
        return _("Cliënt %(n)s", n=p.id)
    if p.kind == "organisatie":
        return p.organisation.name if p.organisation is not None else p.kind_label
    if p.employee is not None:
        return f"{p.employee.display_name or p.employee.username}{', ' + p.role if p.role else ''}"
    return p.role or p.kind_label


def _input_form(workshop: Workshop, labels: dict[int, str]) -> InputForm:
    form = InputForm()
    form.participant_id.choices = [
        (p.id, f"{labels[p.id]} ({p.kind_label})") for p in workshop.participants
    ]
    return form


def _workshop_page(workshop: Workshop, participant_form=None, input_form=None):  # type: ignore[no-untyped-def]
    names = has_permission(WORKSHOPS_MANAGE)
    clients = [p.resident_id for p in workshop.participants if p.kind == "client" and p.resident_id]
    if names and clients:
        record(
            "participatieplan.workshop.participants_viewed",
            object_type="participatieplan_workshop",
            object_id=workshop.id,
            details={"residents": clients},
        )
    labels = {p.id: _participant_label(p, names) for p in workshop.participants}
    participant_form = participant_form or _participant_form()
    input_form = input_form or _input_form(workshop, labels)
    body, status = page(
        "workshop_detail.html",
        participant_form,
        input_form,
        workshop=workshop,
        labels=labels,
        participant_form=participant_form,
        input_form=input_form,
        can_manage=names,
    )
    db.session.commit()
    return body, status


@bp.route("/werkateliers/<int:workshop_id>")
@requires(VIEW)
def workshop_detail(workshop_id: int):  # type: ignore[no-untyped-def]
    return _workshop_page(get_scoped_or_404(Workshop, workshop_id))


@bp.route("/werkateliers/<int:workshop_id>/deelnemers", methods=["POST"])
@requires(WORKSHOPS_MANAGE)
def participant_add(workshop_id: int):  # type: ignore[no-untyped-def]
    workshop = get_scoped_or_404(Workshop, workshop_id)
    form = _participant_form()
    if form.validate_on_submit():
        kind = form.kind.data
        participant = WorkshopParticipant(
            municipality_id=workshop.municipality_id, workshop_id=workshop.id, kind=kind
        )
        ok = True
        if kind == "client":
            allowed = {r.id for r in residents_with(WORKSHOP_CONSENT)}
            if form.resident_id.data not in allowed:
                form.resident_id.errors.append(
                    _("Kies een inwoner die toestemming heeft gegeven voor werkateliers.")
                )
                ok = False
            elif any(p.resident_id == form.resident_id.data for p in workshop.participants):
                form.resident_id.errors.append(_("Deze inwoner doet al mee aan dit werkatelier."))
                ok = False
            participant.resident_id = form.resident_id.data
        elif kind == "organisatie":
            allowed = {value for value, _label in form.organisation_id.choices if value}
            if form.organisation_id.data not in allowed:
                form.organisation_id.errors.append(_("Kies een organisatie uit de lijst."))
                ok = False
            elif any(p.organisation_id == form.organisation_id.data for p in workshop.participants):
                form.organisation_id.errors.append(
                    _("Deze organisatie doet al mee aan dit werkatelier.")
                )
                ok = False
            participant.organisation_id = form.organisation_id.data or None
            participant.role = (form.role.data or "").strip()
        else:
            participant.employee_id = (
                valid_employee_id(form.employee_id.data) if kind == "gemeente" else None
            )
            participant.role = (form.role.data or "").strip()
            if not participant.role and participant.employee_id is None:
                form.role.errors.append(_("Vul de rol in, of kies een medewerker."))
                ok = False
        if ok:
            db.session.add(participant)
            db.session.flush()
            record(
                "participatieplan.workshop.participant_added",
                object_type="participatieplan_workshop",
                object_id=workshop.id,
                details={"resident": str(participant.resident_id)}
                if participant.resident_id
                else {"kind": kind, "organisation": participant.organisation_id},
            )
            db.session.commit()
            flash(_("De deelnemer is toegevoegd."), "success")
            return redirect(url_for(".workshop_detail", workshop_id=workshop.id))
    return _workshop_page(workshop, participant_form=form)


@bp.route("/werkateliers/<int:workshop_id>/inbreng", methods=["POST"])
@requires(WORKSHOPS_MANAGE)
def input_add(workshop_id: int):  # type: ignore[no-untyped-def]
    workshop = get_scoped_or_404(Workshop, workshop_id)
    labels = {p.id: _participant_label(p, True) for p in workshop.participants}
    form = _input_form(workshop, labels)
    if form.validate_on_submit():
        participant = next(p for p in workshop.participants if p.id == form.participant_id.data)
        item = WorkshopInput(
            municipality_id=workshop.municipality_id,
            workshop_id=workshop.id,
            participant_id=participant.id,
            kind=participant.kind,
            text=form.text.data.strip(),
        )
        db.session.add(item)
        db.session.flush()
        record(
            "participatieplan.workshop.input_added",
            object_type="participatieplan_workshop",
            object_id=workshop.id,
        )
        db.session.commit()
        flash(_("De inbreng is vastgelegd."), "success")
        return redirect(url_for(".workshop_detail", workshop_id=workshop.id) + "#inbreng")
    return _workshop_page(workshop, input_form=form)


@bp.route("/inbreng/<int:input_id>", methods=["GET", "POST"])
@requires(WORKSHOPS_MANAGE)
def input_decision(input_id: int):  # type: ignore[no-untyped-def]
    item = get_scoped_or_404(WorkshopInput, input_id)
    if item.workshop is None:  # pragma: no cover - cascade keeps this from happening
        abort(404)
    form = DecisionForm(obj=item)
    if form.validate_on_submit():
        errors = input_errors(form.decision.data, form.reason.data or "")
        for name, message in errors.items():
            getattr(form, name).errors.append(message)
        if not errors:
            item.decision = form.decision.data
            item.reason = (form.reason.data or "").strip()
            item.decided_on = local_today() if item.decision != "open" else None
            record(
                "participatieplan.workshop.input_decided",
                object_type="participatieplan_workshop",
                object_id=item.workshop_id,
                details={"input": item.id, "decision": item.decision},
            )
            db.session.commit()
            flash(_("Vastgelegd wat er met de inbreng is gedaan."), "success")
            return redirect(url_for(".workshop_detail", workshop_id=item.workshop_id) + "#inbreng")
    return page("input_form.html", form, form=form, item=item)
