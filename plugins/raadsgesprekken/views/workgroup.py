"""The council working group: its members and its preparatory conversations."""

from __future__ import annotations

from flask import flash, redirect, url_for

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    form_page,
    has_permission,
    record,
    requires,
    scoped,
)

from ..forms import StakeholderForm
from ..models import CouncilMember, StakeholderMeeting
from ..service import PERM_MANAGE, actor_name
from . import bp


def _context() -> dict:  # type: ignore[type-arg]
    members = db.session.execute(
        scoped(CouncilMember)
        .where(CouncilMember.in_working_group.is_(True), CouncilMember.active.is_(True))
        .order_by(CouncilMember.is_chair.desc(), CouncilMember.name)
    ).scalars()
    log = db.session.execute(
        scoped(StakeholderMeeting).order_by(StakeholderMeeting.held_on.desc())
    ).scalars()
    return {"members": list(members), "log": list(log)}


@bp.route("/werkgroep", methods=["GET", "POST"])
@requires("raadsgesprekken.view")
def workgroup():  # type: ignore[no-untyped-def]
    form = StakeholderForm() if has_permission(PERM_MANAGE) else None
    if form is not None and form.validate_on_submit():
        row = StakeholderMeeting(
            municipality_id=current_municipality().id,
            held_on=form.held_on.data,
            with_whom=form.with_whom.data.strip(),
            organisation_id=int(form.organisation.data) if form.organisation.data else None,
            by_whom=(form.by_whom.data or "").strip(),
            notes=(form.notes.data or "").strip(),
            recorded_by=actor_name(),
        )
        db.session.add(row)
        db.session.flush()
        record(
            "raadsgesprekken.stakeholder.logged",
            object_type="raadsgesprekken_stakeholder",
            object_id=row.id,
        )
        db.session.commit()
        flash(_("Het voorbereidende gesprek is vastgelegd."), "success")
        return redirect(url_for(".workgroup"))
    return form_page("raadsgesprekken/workgroup.html", form=form, **_context())
