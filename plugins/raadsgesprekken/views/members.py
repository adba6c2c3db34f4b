"""Council members: name, party, e-mail, link to an employee account, active or not."""

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

from ..forms import MemberForm
from ..models import CouncilMember
from . import bp


@bp.route("/raadsleden")
@requires("raadsgesprekken.manage")
def members():  # type: ignore[no-untyped-def]
    rows = db.session.execute(
        scoped(CouncilMember).order_by(CouncilMember.active.desc(), CouncilMember.name)
    ).scalars()
    return render_template("raadsgesprekken/members.html", rows=list(rows))


def _fill(member: CouncilMember, form: MemberForm) -> None:
    member.name = form.name.data.strip()
    member.party = form.party.data.strip()
    member.email = (form.email.data or "").strip() or None
    member.username = (form.username.data or "").strip() or None
    member.active = bool(form.active.data)
    member.in_working_group = bool(form.in_working_group.data or form.is_chair.data)
    member.is_chair = bool(form.is_chair.data)


@bp.route("/raadsleden/nieuw", methods=["GET", "POST"])
@requires("raadsgesprekken.manage")
def new_member():  # type: ignore[no-untyped-def]
    form = MemberForm()
    if form.validate_on_submit():
        member = CouncilMember(municipality_id=current_municipality().id)
        _fill(member, form)
        db.session.add(member)
        db.session.flush()
        record(
            "raadsgesprekken.member.created",
            object_type="raadsgesprekken_member",
            object_id=member.id,
        )
        db.session.commit()
        flash(_("Het raadslid is toegevoegd."), "success")
        return redirect(url_for(".members"))
    return form_page("raadsgesprekken/member_form.html", form=form, member=None)


@bp.route("/raadsleden/<int:member_id>", methods=["GET", "POST"])
@requires("raadsgesprekken.manage")
def edit_member(member_id: int):  # type: ignore[no-untyped-def]
    member = get_scoped_or_404(CouncilMember, member_id)
    form = MemberForm(obj=member)
    if form.validate_on_submit():
        _fill(member, form)
        record(
            "raadsgesprekken.member.changed",
            object_type="raadsgesprekken_member",
            object_id=member.id,
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".members"))
    return form_page("raadsgesprekken/member_form.html", form=form, member=member)
