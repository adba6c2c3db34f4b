"""Participation moments: when and how the municipality involves the city."""

from __future__ import annotations

from flask import flash, redirect, url_for

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    get_scoped_or_404,
    local_today,
    record,
    requires,
    scoped,
)

from ..forms import MomentForm
from ..models import Milestone, Moment, Workstream
from ..rules import MomentFacts, moment_errors, shown_state
from ..service import link_state
from . import (
    PLAN_MANAGE,
    VIEW,
    bp,
    chosen_target,
    milestone_choices,
    page,
    target_choices,
    target_value,
)


@bp.route("/momenten")
@requires(VIEW)
def moments():  # type: ignore[no-untyped-def]
    now = local_today()
    rows = (
        db.session.execute(
            scoped(Moment).order_by(Moment.planned_on.is_(None), Moment.planned_on, Moment.id)
        )
        .scalars()
        .all()
    )
    return page(
        "moments.html",
        moments=rows,
        states={m.id: shown_state(m.status, m.planned_on, now) for m in rows},
        today=now,
    )


def _moment_form(workstream: Workstream, moment: Moment | None = None):  # type: ignore[no-untyped-def]
    form = MomentForm(obj=moment)
    form.milestone_id.choices = milestone_choices(workstream)
    stored = (
        (moment.target_plugin, moment.target_key, moment.target_title)
        if moment
        else (None, None, None)
    )
    form.target.choices, offered = target_choices(stored)
    if moment is not None and not form.is_submitted():
        form.target.data = target_value(moment.target_plugin, moment.target_key)
        form.milestone_id.data = moment.milestone_id or 0
    return form, offered, stored


def _valid(form: MomentForm) -> bool:
    """The form's own checks and the status rules together, so every problem shows at once."""
    valid = form.validate_on_submit()
    return _check_rules(form) and valid if form.is_submitted() else False


def _check_rules(form: MomentForm) -> bool:
    """Apply the ladder and status rules; their messages go next to the fields (a field that
    already has a message, such as a date that could not be read, gets no second one)."""
    errors = moment_errors(
        MomentFacts(
            status=form.status.data,
            planned_on=form.planned_on.data,
            outcome=form.outcome.data or "",
            outcome_reported_on=form.outcome_reported_on.data,
        ),
        local_today(),
    )
    for name, message in errors.items():
        field = getattr(form, name)
        if not field.errors:
            field.errors = [*field.errors, message]
    return not errors


def _fill_moment(moment: Moment, form: MomentForm, offered, stored) -> None:  # type: ignore[no-untyped-def]
    moment.title = form.title.data.strip()
    moment.description = (form.description.data or "").strip()
    milestone_id = form.milestone_id.data or None
    if milestone_id is not None:
        found = db.session.execute(
            scoped(Milestone).where(
                Milestone.id == milestone_id, Milestone.workstream_id == moment.workstream_id
            )
        ).scalar_one_or_none()
        milestone_id = found.id if found else None
    moment.milestone_id = milestone_id
    moment.parties = list(form.parties.data or [])
    moment.ladder = form.ladder.data
    moment.form = form.form.data
    moment.planned_on = form.planned_on.data
    moment.status = form.status.data
    moment.outcome = (form.outcome.data or "").strip()
    moment.outcome_reported_on = form.outcome_reported_on.data
    moment.internal_notes = (form.internal_notes.data or "").strip()
    moment.target_plugin, moment.target_key, moment.target_title = chosen_target(
        form.target.data or "", offered, stored
    )


@bp.route("/werkstromen/<int:workstream_id>/momenten/nieuw", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def moment_create(workstream_id: int):  # type: ignore[no-untyped-def]
    workstream = get_scoped_or_404(Workstream, workstream_id)
    form, offered, stored = _moment_form(workstream)
    if _valid(form):
        moment = Moment(municipality_id=workstream.municipality_id, workstream_id=workstream.id)
        _fill_moment(moment, form, offered, stored)
        db.session.add(moment)
        db.session.flush()
        record(
            "participatieplan.moment.created",
            object_type="participatieplan_moment",
            object_id=moment.id,
            details={"linked": moment.target_plugin} if moment.target_plugin else None,
        )
        db.session.commit()
        flash(_("Het participatiemoment is opgeslagen."), "success")
        return redirect(url_for(".moment_detail", moment_id=moment.id))
    return page("moment_form.html", form, form=form, workstream=workstream, moment=None)


@bp.route("/momenten/<int:moment_id>/bewerken", methods=["GET", "POST"])
@requires(PLAN_MANAGE)
def moment_edit(moment_id: int):  # type: ignore[no-untyped-def]
    moment = get_scoped_or_404(Moment, moment_id)
    form, offered, stored = _moment_form(moment.workstream, moment)
    if _valid(form):
        _fill_moment(moment, form, offered, stored)
        record(
            "participatieplan.moment.changed",
            object_type="participatieplan_moment",
            object_id=moment.id,
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".moment_detail", moment_id=moment.id))
    return page("moment_form.html", form, form=form, workstream=moment.workstream, moment=moment)


@bp.route("/momenten/<int:moment_id>")
@requires(VIEW)
def moment_detail(moment_id: int):  # type: ignore[no-untyped-def]
    moment = get_scoped_or_404(Moment, moment_id)
    now = local_today()
    return page(
        "moment_detail.html",
        moment=moment,
        state=shown_state(moment.status, moment.planned_on, now),
        link=link_state(
            current_municipality(), moment.target_plugin, moment.target_key, moment.target_title
        ),
        today=now,
    )
