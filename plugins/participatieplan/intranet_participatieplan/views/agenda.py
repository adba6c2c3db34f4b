"""The reform agenda, its workstreams and milestones, and the year view."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import flash, redirect, request, url_for
from flask_login import current_user

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    get_scoped_or_404,
    local_today,
    month_name,
    record,
    requires,
    scoped,
)

from ..forms import AgendaForm, MilestoneForm, WorkstreamForm
from ..models import Agenda, Milestone, Moment, Workstream
from ..rules import shown_state
from ..service import late_milestones, late_moments, unreported_moments, upcoming_moments
from . import PLAN_MANAGE, VIEW, bp, employee_choices, page, valid_employee_id


@bp.route("/")
@requires(VIEW)
def index():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    now = local_today()
    agendas = db.session.execute(scoped(Agenda).order_by(Agenda.adopted_on.desc())).scalars().all()
    return page(
        "index.html",
        agendas=agendas,
        late=late_milestones(municipality, now),
        late_moments=late_moments(municipality, now),
        upcoming=upcoming_moments(municipality, now),
        unreported=unreported_moments(municipality),
        today=now,
    )


# -- agenda ---------------------------------------------------------------------------------
def _fill_agenda(agenda: Agenda, form: AgendaForm) -> None:
    agenda.title = form.title.data.strip()
    agenda.summary = (form.summary.data or "").strip()
    agenda.adopted_by = (form.adopted_by.data or "").strip()
    agenda.adopted_on = form.adopted_on.data
    agenda.budget_context = (form.budget_context.data or "").strip()


@bp.route("/agenda/nieuw", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def agenda_create():  # type: ignore[no-untyped-def]
    form = AgendaForm()
    if form.validate_on_submit():
        agenda = Agenda(municipality_id=current_municipality().id)
        _fill_agenda(agenda, form)
        db.session.add(agenda)
        db.session.flush()
        record(
            "participatieplan.agenda.created",
            object_type="participatieplan_agenda",
            object_id=agenda.id,
        )
        db.session.commit()
        flash(_("De agenda is opgeslagen."), "success")
        return redirect(url_for(".agenda_detail", agenda_id=agenda.id))
    return page("agenda_form.html", form, form=form, agenda=None)


@bp.route("/agenda/<int:agenda_id>/bewerken", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def agenda_edit(agenda_id: int):  # type: ignore[no-untyped-def]
    agenda = get_scoped_or_404(Agenda, agenda_id)
    form = AgendaForm(obj=agenda)
    if form.validate_on_submit():
        _fill_agenda(agenda, form)
        record(
            "participatieplan.agenda.changed",
            object_type="participatieplan_agenda",
            object_id=agenda.id,
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".agenda_detail", agenda_id=agenda.id))
    return page("agenda_form.html", form, form=form, agenda=agenda)


@bp.route("/agenda/<int:agenda_id>")
@requires(VIEW)
def agenda_detail(agenda_id: int):  # type: ignore[no-untyped-def]
    agenda = get_scoped_or_404(Agenda, agenda_id)
    return page("agenda_detail.html", agenda=agenda, today=local_today())


# -- workstreams ----------------------------------------------------------------------------
def _workstream_form(workstream: Workstream | None = None) -> WorkstreamForm:
    form = WorkstreamForm(obj=workstream)
    form.owner_id.choices = employee_choices()
    if request.method == "GET" and workstream is None:
        form.owner_id.data = current_user.id
    return form


def _fill_workstream(workstream: Workstream, form: WorkstreamForm) -> None:
    workstream.title = form.title.data.strip()
    workstream.description = (form.description.data or "").strip()
    workstream.status = form.status.data
    workstream.owner_id = valid_employee_id(form.owner_id.data)
    workstream.internal_notes = (form.internal_notes.data or "").strip()


@bp.route("/agenda/<int:agenda_id>/werkstromen/nieuw", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def workstream_create(agenda_id: int):  # type: ignore[no-untyped-def]
    agenda = get_scoped_or_404(Agenda, agenda_id)
    form = _workstream_form()
    if form.validate_on_submit():
        workstream = Workstream(municipality_id=agenda.municipality_id, agenda_id=agenda.id)
        _fill_workstream(workstream, form)
        db.session.add(workstream)
        db.session.flush()
        record(
            "participatieplan.workstream.created",
            object_type="participatieplan_workstream",
            object_id=workstream.id,
        )
        db.session.commit()
        flash(_("De werkstroom is opgeslagen."), "success")
        return redirect(url_for(".workstream_detail", workstream_id=workstream.id))
    return page("workstream_form.html", form, form=form, agenda=agenda, workstream=None)


@bp.route("/werkstromen/<int:workstream_id>/bewerken", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def workstream_edit(workstream_id: int):  # type: ignore[no-untyped-def]
    workstream = get_scoped_or_404(Workstream, workstream_id)
    form = _workstream_form(workstream)
    if form.validate_on_submit():
        _fill_workstream(workstream, form)
        record(
            "participatieplan.workstream.changed",
            object_type="participatieplan_workstream",
            object_id=workstream.id,
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".workstream_detail", workstream_id=workstream.id))
    return page(
        "workstream_form.html", form, form=form, agenda=workstream.agenda, workstream=workstream
    )


@bp.route("/werkstromen/<int:workstream_id>")
@requires(VIEW)
def workstream_detail(workstream_id: int):  # type: ignore[no-untyped-def]
    workstream = get_scoped_or_404(Workstream, workstream_id)
    now = local_today()
    return page(
        "workstream_detail.html",
        workstream=workstream,
        today=now,
        states={m.id: shown_state(m.status, m.planned_on, now) for m in workstream.moments},
    )


# -- milestones -----------------------------------------------------------------------------
def _fill_milestone(milestone: Milestone, form: MilestoneForm) -> None:
    milestone.title = form.title.data.strip()
    milestone.description = (form.description.data or "").strip()
    milestone.due_on = form.due_on.data
    milestone.done_on = form.done_on.data
    milestone.internal_notes = (form.internal_notes.data or "").strip()


@bp.route("/werkstromen/<int:workstream_id>/mijlpalen/nieuw", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def milestone_create(workstream_id: int):  # type: ignore[no-untyped-def]
    workstream = get_scoped_or_404(Workstream, workstream_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        milestone = Milestone(
            municipality_id=workstream.municipality_id, workstream_id=workstream.id
        )
        _fill_milestone(milestone, form)
        db.session.add(milestone)
        db.session.flush()
        record(
            "participatieplan.milestone.created",
            object_type="participatieplan_milestone",
            object_id=milestone.id,
        )
        db.session.commit()
        flash(_("De mijlpaal is opgeslagen."), "success")
        return redirect(url_for(".workstream_detail", workstream_id=workstream.id))
    return page("milestone_form.html", form, form=form, workstream=workstream, milestone=None)


@bp.route("/mijlpalen/<int:milestone_id>/bewerken", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def milestone_edit(milestone_id: int):  # type: ignore[no-untyped-def]
    milestone = get_scoped_or_404(Milestone, milestone_id)
    form = MilestoneForm(obj=milestone)
    if form.validate_on_submit():
        _fill_milestone(milestone, form)
        record(
            "participatieplan.milestone.changed",
            object_type="participatieplan_milestone",
            object_id=milestone.id,
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".workstream_detail", workstream_id=milestone.workstream_id))
    return page(
        "milestone_form.html",
        form,
        form=form,
        workstream=milestone.workstream,
        milestone=milestone,
    )


# -- year view ------------------------------------------------------------------------------
@bp.route("/jaar")
@requires(VIEW)
def year():  # type: ignore[no-untyped-def]
    now = local_today()
    try:
        shown = int(request.args.get("jaar", now.year))
    except ValueError:
        shown = now.year
    if not 2000 <= shown <= 2100:
        shown = now.year
    start, end = date(shown, 1, 1), date(shown + 1, 1, 1)
    per_month: dict[int, list[tuple[date, str, object]]] = defaultdict(list)
    for m in db.session.execute(
        scoped(Milestone).where(Milestone.due_on >= start, Milestone.due_on < end)
    ).scalars():
        per_month[m.due_on.month].append((m.due_on, "milestone", m))
    for mo in db.session.execute(
        scoped(Moment).where(Moment.planned_on >= start, Moment.planned_on < end)
    ).scalars():
        per_month[mo.planned_on.month].append((mo.planned_on, "moment", mo))  # type: ignore[union-attr]
    months = [
        (n, month_name(n), sorted(per_month.get(n, []), key=lambda item: (item[0], item[1])))
        for n in range(1, 13)
    ]
    return page(
        "year.html",
        year=shown,
        months=months,
        today=now,
        shown_state=shown_state,
    )
