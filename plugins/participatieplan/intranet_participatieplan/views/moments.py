"""Participation moments: when and how the municipality involves the city."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, url_for
from sqlalchemy import and_, func

from intranet.plugin_api import (
    Column,
    Filter,
    Listing,
    _,
    _l,
    current_municipality,
    db,
    get_scoped_or_404,
    like_pattern,
    local_today,
    record,
    requires,
    scoped,
)

from ..forms import MomentForm
from ..models import LADDER, MOMENT_FORMS, MOMENT_STATUSES, Milestone, Moment, Workstream
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

#: a moment without a date sorts after every dated one, on SQLite and PostgreSQL alike
_LAST_DAY = date(9999, 12, 31)
#: the status filter's extra choice: planned, but the date has passed
LATE = "te_laat"


def _by_status(stmt, value: str):  # type: ignore[no-untyped-def]
    """The status as the list shows it: a planned moment whose date passed is late, not
    planned (``rules.shown_state``)."""
    passed = and_(Moment.planned_on.is_not(None), Moment.planned_on < local_today())
    if value == LATE:
        return stmt.where(Moment.status == "gepland", passed)
    if value == "gepland":
        return stmt.where(Moment.status == "gepland", ~passed)
    return stmt.where(Moment.status == value)


def _moments_listing() -> Listing:
    """The moments, sorted, searched and filtered in the URL; the workstream filter's choices
    are this municipality's workstreams, so the list is declared per request."""
    workstreams = db.session.execute(
        scoped(Workstream)
        .with_only_columns(Workstream.id, Workstream.title)
        .order_by(Workstream.title)
    ).all()
    return Listing(
        "participatieplan.moments",
        columns=[
            Column("datum", _l("Datum"), func.coalesce(Moment.planned_on, _LAST_DAY)),
            Column("moment", _l("Moment"), Moment.title),
            Column("werkstroom", _l("Werkstroom"), Workstream.title),
            Column("status", _l("Status"), Moment.status),
        ],
        default_sort="datum",
        filters=[
            Filter(
                "zoek",
                _l("Zoek op titel"),
                lambda stmt, value: stmt.where(Moment.title.ilike(like_pattern(value))),
            ),
            Filter(
                "werkstroom",
                _l("Werkstroom"),
                lambda stmt, value: stmt.where(Moment.workstream_id == int(value)),
                choices=[(str(w_id), title) for w_id, title in workstreams],
            ),
            Filter(
                "status",
                _l("Status"),
                _by_status,
                choices=[*MOMENT_STATUSES.items(), (LATE, _l("Datum verstreken"))],
            ),
            Filter(
                "vorm",
                _l("Vorm"),
                lambda stmt, value: stmt.where(Moment.form == value),
                choices=list(MOMENT_FORMS.items()),
            ),
            Filter(
                "trede",
                _l("Trede"),
                lambda stmt, value: stmt.where(Moment.ladder == value),
                choices=list(LADDER.items()),
            ),
        ],
        per_page=25,
        tiebreak=Moment.id,
    )


@bp.route("/momenten")
@requires(VIEW)
def moments():  # type: ignore[no-untyped-def]
    now = local_today()
    listing = _moments_listing().run(
        scoped(Moment).join(Workstream, Workstream.id == Moment.workstream_id)
    )
    return page(
        "moments.html",
        listing=listing,
        states={m.id: shown_state(m.status, m.planned_on, now) for m in listing.items},
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
