"""The reach page (per plugin and overall, per reach group, small cells hidden), reach groups,
assigning them to residents, and outreach actions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access.permissions import has_permission, requires
from ..audit.service import record, record_now, render_audited
from ..extensions import db
from ..privacy.service import can_see_special
from ..residents.models import CONSENT_METHODS, Resident
from ..tenancy import current_municipality, get_scoped_or_404, scoped
from ..timeutil import today
from ..web.csv_export import csv_response
from ..web.i18n import N_
from ..web.pages import form_page
from . import service
from .forms import AssignmentForm, OutreachForm, PeriodForm, ReachGroupForm
from .models import OutreachAction, ReachGroup, ResidentReachGroup

bp = Blueprint("reach", __name__, url_prefix="/<municipality>/bereik")

SPECIAL_CATEGORY = "gezondheid (bereikgroep)"


def _groups(include_special: bool) -> list[ReachGroup]:
    stmt = scoped(ReachGroup).order_by(ReachGroup.name, ReachGroup.id)
    if not include_special:
        stmt = stmt.where(ReachGroup.special.is_(False))
    return list(db.session.execute(stmt).scalars())


def _period() -> tuple[PeriodForm, date, date]:
    """The period from the URL (``van``/``tot`` as dd-mm-jjjj); by default the last year."""
    form = PeriodForm(request.args)
    form.validate()
    end = form.tot.data if not form.tot.errors and form.tot.data else today()
    start = form.van.data if not form.van.errors and form.van.data else end - timedelta(days=364)
    if start > end:
        start = end
    return form, start, end


def _table(start: date, end: date) -> service.ReachTable:
    municipality = current_municipality()
    # special groups are counted only for whoever may see them; counts are not about one
    # resident, so no special read is logged for the aggregate
    groups = _groups(has_permission("core.privacy.special"))
    participation = service.participants_per_plugin(municipality, start, end + timedelta(days=1))
    return service.build_table(groups, participation, service.group_members(municipality.id))


def _plugin_titles(plugins: list[str]) -> dict[str, str]:
    from flask import current_app

    host = current_app.extensions["intranet"].plugins
    return {p: host.title_of(p) for p in plugins}


def _period_args(form: PeriodForm) -> dict[str, str]:
    return {k: v for k in ("van", "tot") if (v := (request.args.get(k) or "").strip())}


@bp.route("/")
@requires("core.reach.view")
def index():  # type: ignore[no-untyped-def]
    return _index_page(_outreach_form())


def _index_page(outreach_form: OutreachForm):  # type: ignore[no-untyped-def]
    """The reach table for the period asked, the outreach actions in it and the form to
    record one: for a plain visit and for a refused action (400, the errors on the form)."""
    form, start, end = _period()
    table = _table(start, end)
    actions = list(
        db.session.execute(
            scoped(OutreachAction)
            .where(OutreachAction.done_on >= start, OutreachAction.done_on <= end)
            .order_by(OutreachAction.done_on.desc(), OutreachAction.id.desc())
        ).scalars()
    )
    record(
        "reach.viewed",
        object_type="reach",
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    refused = form.errors or (request.method == "POST" and outreach_form.errors)
    return render_audited(
        "reach/index.html",
        form=form,
        start=start,
        end=end,
        table=table,
        titles=_plugin_titles(table.plugins),
        actions=actions,
        outreach_form=outreach_form,
        period_args=_period_args(form),
        ALL=service.ALL,
        TOTAL=service.TOTAL,
    ), (400 if refused else 200)


@bp.route("/export.csv")
@requires("core.reach.view")
def export():  # type: ignore[no-untyped-def]
    form, start, end = _period()
    if form.errors:
        return redirect(url_for(".index", **_period_args(form)))
    table = _table(start, end)
    titles = _plugin_titles(table.plugins)
    header = [_("Groep"), *(titles[p] for p in table.plugins), _("Totaal (alle onderdelen)")]
    rows: list[list[Any]] = []
    for row, label in [
        *((g.id, g.name) for g in table.groups),
        (service.ALL, _("Alle deelnemers")),
    ]:
        rows.append(
            [
                label,
                *(table.shown(row, p) for p in table.plugins),
                table.shown(row, service.TOTAL),
            ]
        )
    record_now(
        "reach.exported",
        object_type="reach",
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    return csv_response(header, rows, f"bereik-{start.isoformat()}-{end.isoformat()}.csv")


def _outreach_form(formdata: Any = None) -> OutreachForm:
    form = OutreachForm(formdata) if formdata is not None else OutreachForm()
    form.group.choices = [("", _("Geen bepaalde groep"))] + [
        (str(g.id), g.name) for g in _groups(has_permission("core.privacy.special"))
    ]
    return form


@bp.route("/acties", methods=["POST"])
@requires("core.reach.manage")
def add_action():  # type: ignore[no-untyped-def]
    form = _outreach_form(request.form)
    if form.validate_on_submit():
        action = OutreachAction(
            municipality_id=current_municipality().id,
            done_on=form.done_on.data,
            group_id=int(form.group.data) if form.group.data else None,
            description=form.description.data.strip(),
            recorded_by=current_user.username,
        )
        db.session.add(action)
        db.session.flush()
        record("reach.action_recorded", object_type="outreach_action", object_id=action.id)
        db.session.commit()
        flash(_("De actie is vastgelegd."), "success")
        return redirect(url_for(".index"))
    return _index_page(form)


@bp.route("/groepen", methods=["GET", "POST"])
@requires("core.reach.manage")
def groups():  # type: ignore[no-untyped-def]
    form = ReachGroupForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if db.session.execute(
            scoped(ReachGroup).where(ReachGroup.name == name)
        ).scalar_one_or_none():
            form.name.errors.append(_("Er is al een groep met deze naam."))
        else:
            group = ReachGroup(
                municipality_id=current_municipality().id,
                name=name,
                description=form.description.data or "",
                special=bool(form.special.data),
            )
            db.session.add(group)
            db.session.flush()
            record("reach.group_created", object_type="reach_group", object_id=group.id)
            db.session.commit()
            flash(_("De groep is toegevoegd."), "success")
            return redirect(url_for(".groups"))
    return form_page(
        "reach/groups.html", form=form, groups=_groups(True), invalid=bool(form.errors)
    )


@bp.route("/groepen/<int:group_id>/bewerken", methods=["GET", "POST"])
@requires("core.reach.manage")
def edit_group(group_id: int):  # type: ignore[no-untyped-def]
    group = get_scoped_or_404(ReachGroup, group_id)
    form = ReachGroupForm(obj=group)
    if form.validate_on_submit():
        name = form.name.data.strip()
        clash = db.session.execute(
            scoped(ReachGroup).where(ReachGroup.name == name, ReachGroup.id != group.id)
        ).scalar_one_or_none()
        if clash:
            form.name.errors.append(_("Er is al een groep met deze naam."))
        else:
            group.name = name
            group.description = form.description.data or ""
            group.special = bool(form.special.data)
            record("reach.group_changed", object_type="reach_group", object_id=group.id)
            db.session.commit()
            flash(_("De groep is gewijzigd."), "success")
            return redirect(url_for(".groups"))
    return form_page("reach/group_form.html", form=form, group=group, invalid=bool(form.errors))


def _resident_assignments(resident: Resident, include_special: bool) -> list[ResidentReachGroup]:
    stmt = (
        scoped(ResidentReachGroup)
        .join(ReachGroup, ReachGroup.id == ResidentReachGroup.group_id)
        .where(ResidentReachGroup.resident_id == resident.id)
        .order_by(ReachGroup.name)
    )
    if not include_special:
        stmt = stmt.where(ReachGroup.special.is_(False))
    return list(db.session.execute(stmt).scalars())


def reach_groups_of(resident: Resident) -> list[ResidentReachGroup]:
    """For the resident's page: their reach groups; groups that reveal health only for whoever
    holds ``core.privacy.special``, and that read is audited as ``privacy.special_read``."""
    if not has_permission("core.residents.view"):
        return []
    assignments = _resident_assignments(resident, include_special=True)
    if any(a.group.special for a in assignments) and not can_see_special(
        SPECIAL_CATEGORY, object_type="resident", object_id=resident.id, resident_id=resident.id
    ):
        assignments = [a for a in assignments if not a.group.special]
    return assignments


@bp.app_template_global("reach_groups_of")
def _reach_groups_global(resident: Resident) -> list[ResidentReachGroup]:
    return reach_groups_of(resident)


def _assignment_form(formdata: Any = None) -> AssignmentForm:
    form = AssignmentForm(formdata) if formdata is not None else AssignmentForm()
    form.group.choices = [("", _("Kies een groep"))] + [
        (str(g.id), g.name + ((" " + _("(bijzonder persoonsgegeven)")) if g.special else ""))
        for g in _groups(has_permission("core.privacy.special"))
    ]
    return form


@bp.route("/inwoners/<int:resident_id>", methods=["GET", "POST"])
@requires("core.residents.edit")
def resident_groups(resident_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    form = _assignment_form(request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        group = get_scoped_or_404(ReachGroup, int(form.group.data))
        if group.special and not has_permission("core.privacy.special"):
            abort(403)
        exists = db.session.execute(
            scoped(ResidentReachGroup).where(
                ResidentReachGroup.resident_id == resident.id,
                ResidentReachGroup.group_id == group.id,
            )
        ).scalar_one_or_none()
        if exists:
            form.group.errors.append(_("De inwoner hoort al bij deze groep."))
        else:
            assignment = ResidentReachGroup(
                municipality_id=resident.municipality_id,
                resident_id=resident.id,
                group_id=group.id,
                consent_method=form.consent_method.data,
                consent_given_on=form.consent_given_on.data,
                recorded_by=current_user.username,
            )
            db.session.add(assignment)
            db.session.flush()
            record(
                "reach.group_assigned",
                object_type="resident",
                object_id=resident.id,
                details={"group": group.id, "special": group.special},
            )
            db.session.commit()
            flash(_("De groep is vastgelegd."), "success")
            return redirect(url_for(".resident_groups", resident_id=resident.id))
    record("resident.viewed", object_type="resident", object_id=resident.id)
    refused = request.method == "POST"  # a valid POST has redirected by now
    return render_audited(
        "reach/resident.html",
        form=form,
        resident=resident,
        assignments=reach_groups_of(resident),
    ), 400 if refused else 200


@bp.route("/inwoners/<int:resident_id>/<int:assignment_id>/verwijderen", methods=["POST"])
@requires("core.residents.edit")
def remove_assignment(resident_id: int, assignment_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    assignment = get_scoped_or_404(ResidentReachGroup, assignment_id)
    if assignment.resident_id != resident.id:
        abort(404)
    if assignment.group.special and not has_permission("core.privacy.special"):
        abort(403)
    record(
        "reach.group_removed",
        object_type="resident",
        object_id=resident.id,
        details={"group": assignment.group_id},
    )
    db.session.delete(assignment)
    db.session.commit()
    flash(_("De groep is verwijderd; de inwoner telt niet meer mee voor deze groep."), "success")
    return redirect(url_for(".resident_groups", resident_id=resident.id))


def resident_reach_records(resident_id: int, municipality_id: int) -> list[dict[str, Any]]:
    """For the access request (AVG art. 15): every reach group recorded for the resident."""
    rows = db.session.execute(
        select(ResidentReachGroup, ReachGroup)
        .join(ReachGroup, ReachGroup.id == ResidentReachGroup.group_id)
        .where(
            ResidentReachGroup.resident_id == resident_id,
            ResidentReachGroup.municipality_id == municipality_id,
        )
    ).all()
    return [
        {
            # a group that reveals health is withheld from exports without core.privacy.special
            (N_("bijzondere bereikgroep") if g.special else N_("bereikgroep")): g.name,
            N_("toestemming gegeven op"): a.consent_given_on.isoformat(),
            N_("hoe gegeven"): str(CONSENT_METHODS.get(a.consent_method, a.consent_method)),
        }
        for a, g in rows
    ]
