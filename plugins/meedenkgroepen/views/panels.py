"""Questionnaire panels by theme, their members and the themes each member wants."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import contains_eager

from intranet.plugin_api import (
    Resident,
    _,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    record,
    requires,
    scoped,
    utcnow,
)

from ..forms import PanelForm, PanelMemberForm
from ..models import PANEL_CONSENT, Panel, PanelMember
from ..service import (
    invitations_this_year,
    left_out,
    record_signup_consent,
    still_consenting,
    yearly_limit,
)
from . import PANELS_MANAGE, VIEW, bp, member_listing, resident_choices, valid_resident_id


@bp.route("/panels")
@requires(VIEW)
def panels():  # type: ignore[no-untyped-def]
    items = db.session.execute(scoped(Panel).order_by(Panel.name)).scalars().all()
    counts = dict(
        db.session.execute(
            scoped(PanelMember)
            .where(PanelMember.left_at.is_(None))
            .with_only_columns(PanelMember.panel_id, func.count())
            .group_by(PanelMember.panel_id)
        ).all()
    )
    return form_page("meedenkgroepen/panels.html", panels=items, counts=counts)


@bp.route("/panels/nieuw", methods=["GET", "POST"])
@requires(PANELS_MANAGE)
def panel_create():  # type: ignore[no-untyped-def]
    form = PanelForm()
    if form.validate_on_submit():
        panel = Panel(
            municipality_id=current_municipality().id,
            name=form.name.data.strip(),
            description=form.description.data or "",
            themes=form.theme_list(),
            mailbox=(form.mailbox.data or "").strip(),
        )
        db.session.add(panel)
        db.session.flush()
        record("meedenkgroepen.panel.created", object_type="panel", object_id=panel.id)
        db.session.commit()
        flash(_("Het panel is aangemaakt."), "success")
        return redirect(url_for(".panel_detail", panel_id=panel.id))
    return form_page("meedenkgroepen/panel_form.html", form, form=form)


def _member_form(panel: Panel) -> PanelMemberForm:
    form = PanelMemberForm()
    form.resident_id.choices = resident_choices()
    form.themes.choices = [(t, t) for t in panel.themes]
    return form


PANEL_MEMBERS = member_listing(
    "meedenkgroepen.panel_detail", PanelMember.joined_on, PanelMember.left_at, PanelMember.id
)


def _panel_page(panel: Panel, form: PanelMemberForm | None = None):  # type: ignore[no-untyped-def]
    """The panel with its members, a page at a time (a panel may hold 10,000); members whose
    consent was withdrawn stay out of the list."""
    form = form or _member_form(panel)
    of_panel = scoped(PanelMember).where(PanelMember.panel_id == panel.id)
    consenting = still_consenting(of_panel, PanelMember, panel.municipality_id, PANEL_CONSENT)
    withdrawn = left_out(of_panel, consenting, PanelMember)
    listing = PANEL_MEMBERS.run(
        consenting.join(Resident, Resident.id == PanelMember.resident_id).options(
            contains_eager(PanelMember.resident)
        ),
        panel_id=panel.id,
    )
    members = listing.items
    record(
        "meedenkgroepen.panel.members.viewed",
        object_type="panel",
        object_id=panel.id,
        details={"residents": [m.resident_id for m in members]},
    )
    body, status = form_page(
        "meedenkgroepen/panel_detail.html",
        form,
        panel=panel,
        form=form,
        members=members,
        listing=listing,
        withdrawn=withdrawn,
        this_year=invitations_this_year(current_municipality(), [m.resident_id for m in members]),
        limit=yearly_limit(),
    )
    db.session.commit()  # after rendering: a commit would expire every row shown
    return body, status


@bp.route("/panels/<int:panel_id>")
@requires(VIEW)
def panel_detail(panel_id: int):  # type: ignore[no-untyped-def]
    return _panel_page(get_scoped_or_404(Panel, panel_id))


@bp.route("/panels/<int:panel_id>/leden", methods=["POST"])
@requires(PANELS_MANAGE)
def panel_member_add(panel_id: int):  # type: ignore[no-untyped-def]
    panel = get_scoped_or_404(Panel, panel_id)
    form = _member_form(panel)
    if form.validate_on_submit():
        resident = valid_resident_id(form.resident_id.data)
        existing = (
            db.session.execute(
                scoped(PanelMember).where(
                    PanelMember.panel_id == panel.id,
                    PanelMember.resident_id == form.resident_id.data,
                )
            ).scalar_one_or_none()
            if resident
            else None
        )
        if resident is None:
            form.resident_id.errors.append(_("Kies een inwoner uit de lijst."))
        elif existing is not None and existing.left_at is None:
            form.resident_id.errors.append(_("Deze inwoner is al lid van dit panel."))
        else:
            member = existing or PanelMember(
                municipality_id=panel.municipality_id, panel_id=panel.id, resident_id=resident.id
            )
            member.themes = list(form.themes.data or [])
            member.joined_on = form.joined_on.data
            member.channel = form.channel.data
            member.left_at = None
            member.left_via = None
            db.session.add(member)
            db.session.flush()
            record_signup_consent(
                resident,
                PANEL_CONSENT,
                channel=member.channel,
                on=member.joined_on,
                scope=f"Panel {panel.name}",
                by=current_user.username,
            )
            record(
                "meedenkgroepen.panel.member.added",
                object_type="resident",
                object_id=resident.id,
                details={"panel": panel.id, "member": member.id},
            )
            db.session.commit()
            flash(_("De inwoner is aangemeld voor het panel."), "success")
            return redirect(url_for(".panel_detail", panel_id=panel.id))
    return _panel_page(panel, form)


@bp.route("/panels/<int:panel_id>/leden/<int:member_id>/afmelden", methods=["POST"])
@requires(PANELS_MANAGE)
def panel_member_leave(panel_id: int, member_id: int):  # type: ignore[no-untyped-def]
    panel = get_scoped_or_404(Panel, panel_id)
    member = get_scoped_or_404(PanelMember, member_id)
    if member.panel_id == panel.id and member.left_at is None:
        member.left_at = utcnow()
        member.left_via = "medewerker"
        record(
            "meedenkgroepen.panel.member.left",
            object_type="resident",
            object_id=member.resident_id,
            details={"panel": panel.id, "via": "medewerker", "by": current_user.username},
        )
        db.session.commit()
        flash(_("De inwoner is afgemeld voor het panel."), "success")
    return redirect(url_for(".panel_detail", panel_id=panel.id))
