"""Think-along groups, sign-ups, leaving, and proposals for new groups."""

from __future__ import annotations

from collections import Counter

from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from intranet.plugin_api import (
    N_,
    Column,
    Filter,
    Listing,
    Resident,
    _,
    _l,
    current_municipality,
    db,
    enqueue,
    form_page,
    get_scoped_or_404,
    has_permission,
    like_pattern,
    local_today,
    may_see_special,
    record,
    requires,
    residents_with_consent,
    scoped,
    utcnow,
)

from ..forms import DecisionForm, GroupForm, MembershipForm, ProposalForm
from ..models import (
    GROUP_CONSENT,
    GROUP_STATUSES,
    PROPOSAL_CONSENT,
    SIGNUP_CHANNELS,
    Group,
    GroupProposal,
    Meeting,
    Membership,
    Questionnaire,
    Trajectory,
)
from ..service import (
    active_membership,
    left_out,
    overdue_feedback,
    queue_feedback_mails,
    record_signup_consent,
    still_consenting,
)
from ..sixsteps import STEPS
from . import (
    GROUPS_MANAGE,
    VIEW,
    bp,
    employee_choices,
    employee_ids,
    member_listing,
    resident_choices,
    valid_resident_id,
)


def _active_members_count():  # type: ignore[no-untyped-def]
    return (
        select(func.count(Membership.id))
        .where(Membership.group_id == Group.id, Membership.left_on.is_(None))
        .correlate(Group)
        .scalar_subquery()
    )


GROUPS = Listing(
    "meedenkgroepen.index",
    columns=[
        Column("thema", _l("Thema"), Group.theme),
        Column("status", _l("Status"), Group.status),
        Column("leden", _l("Leden"), _active_members_count(), first="af"),
    ],
    default_sort="thema",
    filters=[
        Filter(
            "zoek",
            _l("Zoek op thema"),
            lambda stmt, value: stmt.where(Group.theme.ilike(like_pattern(value))),
        ),
        Filter(
            "status",
            _l("Status"),
            lambda stmt, value: stmt.where(Group.status == value),
            choices=list(GROUP_STATUSES.items()),
        ),
    ],
    tiebreak=Group.id,
)


def _member_counts(groups: list[Group]) -> dict[int, int]:
    """Active members per group of one page, in one query."""
    if not groups:
        return {}
    return dict(
        db.session.execute(
            scoped(Membership)
            .with_only_columns(Membership.group_id, func.count(Membership.id))
            .where(Membership.group_id.in_([g.id for g in groups]), Membership.left_on.is_(None))
            .group_by(Membership.group_id)
        ).all()
    )


@bp.route("/")
@requires(VIEW)
def index():  # type: ignore[no-untyped-def]
    listing = GROUPS.run(scoped(Group).options(selectinload(Group.owner)))
    groups = listing.items
    meetings = db.session.execute(scoped(Meeting)).scalars().all()
    running = db.session.execute(
        select(func.count()).select_from(
            scoped(Questionnaire).where(Questionnaire.status == "verzonden").subquery()
        )
    ).scalar_one()
    per_step = Counter(
        t.step
        for t in db.session.execute(
            scoped(Trajectory).where(Trajectory.closed_at.is_(None))
        ).scalars()
    )
    open_proposals = db.session.execute(
        select(func.count()).select_from(
            scoped(GroupProposal).where(GroupProposal.decision == "open").subquery()
        )
    ).scalar_one()
    return form_page(
        "meedenkgroepen/index.html",
        groups=groups,
        listing=listing,
        member_counts=_member_counts(groups),
        overdue=overdue_feedback(meetings),
        running=running,
        per_step=per_step,
        steps=STEPS,
        open_proposals=open_proposals,
    )


def _group_form(group: Group | None = None) -> GroupForm:
    form = GroupForm(obj=group)
    form.owner_id.choices = employee_choices()
    if request.method == "GET" and group is None:
        form.owner_id.data = current_user.id
    return form


def _fill_group(group: Group, form: GroupForm) -> None:
    group.theme = form.theme.data.strip()
    group.description = form.description.data or ""
    group.goal = form.goal.data or ""
    group.status = form.status.data
    group.mailbox = form.mailbox.data.strip()
    group.channel_url = (form.channel_url.data or "").strip() or None
    group.channel_label = (form.channel_label.data or "").strip() or None
    group.owner_id = form.owner_id.data if form.owner_id.data in employee_ids() else None


@bp.route("/groepen/nieuw", methods=["GET", "POST"])
@requires(GROUPS_MANAGE)
def group_create():  # type: ignore[no-untyped-def]
    form = _group_form()
    if form.validate_on_submit():
        group = Group(municipality_id=current_municipality().id)
        _fill_group(group, form)
        db.session.add(group)
        db.session.flush()
        record("meedenkgroepen.group.created", object_type="meedenkgroep", object_id=group.id)
        db.session.commit()
        flash(_("De meedenkgroep is aangemaakt."), "success")
        return redirect(url_for(".group_detail", group_id=group.id))
    return form_page("meedenkgroepen/group_form.html", form, form=form, group=None)


@bp.route("/groepen/<int:group_id>/bewerken", methods=["GET", "POST"])
@requires(GROUPS_MANAGE)
def group_edit(group_id: int):  # type: ignore[no-untyped-def]
    group = get_scoped_or_404(Group, group_id)
    form = _group_form(group)
    if form.validate_on_submit():
        _fill_group(group, form)
        record("meedenkgroepen.group.changed", object_type="meedenkgroep", object_id=group.id)
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".group_detail", group_id=group.id))
    return form_page("meedenkgroepen/group_form.html", form, form=form, group=group)


NEW_RESIDENT = 0


def _may_register() -> bool:
    """Registering a new resident on the spot takes the registry's own permission."""
    return has_permission("core.residents.edit")


def _membership_form() -> MembershipForm:
    form = MembershipForm()
    choices = resident_choices()
    if _may_register():
        choices.insert(
            0, (NEW_RESIDENT, _("— Nieuwe inwoner: vul hieronder naam en gegevens in —"))
        )
    form.resident_id.choices = choices
    return form


def _signup_resident(form: MembershipForm) -> Resident | None:
    """The resident who signs up: chosen from the registry, or registered here and now.

    Puts the error next to the field and returns None when neither works; nothing is saved
    then."""
    new_name = (form.new_name.data or "").strip()
    if form.resident_id.data == NEW_RESIDENT and _may_register():
        if not new_name:
            form.new_name.errors.append(
                _("Vul de naam van de nieuwe inwoner in, of kies een inwoner uit de lijst.")
            )
            return None
        resident = Resident(
            municipality_id=current_municipality().id,
            name=new_name,
            email=(form.new_email.data or "").strip() or None,
            phone=(form.new_phone.data or "").strip() or None,
            kind="client",
            notes="",
        )
        db.session.add(resident)
        db.session.flush()
        record(
            "resident.created",
            object_type="resident",
            object_id=resident.id,
            details={"via": "meedenkgroepen.signup"},
        )
        return resident
    if new_name or form.new_email.data or form.new_phone.data:
        form.new_name.errors.append(
            _("Kies ‘Nieuwe inwoner’ in de lijst als u een nieuwe inwoner registreert.")
        )
        return None
    resident = valid_resident_id(form.resident_id.data)
    if resident is None:
        form.resident_id.errors.append(_("Kies een inwoner uit de lijst."))
    return resident


MEMBERS = member_listing(
    "meedenkgroepen.group_detail",
    Membership.signed_up_on,
    Membership.left_on,
    Membership.id,
    extra=(
        Filter(
            "kanaal",
            _l("Aangemeld via"),
            lambda stmt, value: stmt.where(Membership.channel == value),
            choices=list(SIGNUP_CHANNELS.items()),
        ),
    ),
)


def _mailed(meeting: Meeting) -> bool:
    """Whether a meeting's loop is closed: its outcomes (or, for a follow-up, the feedback)
    were mailed."""
    return meeting.outcomes_mailed_at is not None or meeting.feedback_mailed_at is not None


def _group_page(group: Group, signup: MembershipForm | None = None):  # type: ignore[no-untyped-def]
    """The group with its members, sorted, filtered and paged in the URL. Members whose
    consent was withdrawn stay out of the list (the registry keeps the record)."""
    of_group = scoped(Membership).where(Membership.group_id == group.id)
    consenting = still_consenting(of_group, Membership, group.municipality_id, GROUP_CONSENT)
    listing = MEMBERS.run(
        consenting.join(Resident, Resident.id == Membership.resident_id).options(
            contains_eager(Membership.resident)
        ),
        group_id=group.id,
    )
    memberships = listing.items
    record(
        "meedenkgroepen.members.viewed",
        object_type="meedenkgroep",
        object_id=group.id,
        details={"residents": [m.resident_id for m in memberships]},
    )
    # the template prints each motivation through special(), which audits the read
    show_motivation = any(ms.motivation for ms in memberships) and may_see_special()
    signup = signup or _membership_form()
    # rendered before the audit commit, which would expire (and re-read) every row shown
    body, status = form_page(
        "meedenkgroepen/group_detail.html",
        signup,
        group=group,
        memberships=memberships,
        listing=listing,
        withdrawn=left_out(of_group, consenting, Membership),
        show_motivation=show_motivation,
        signup=signup,
        overdue=overdue_feedback(group.meetings),
        # a meeting whose outcomes or feedback went out is done: folded under the others
        meetings=[m for m in group.meetings if not _mailed(m)],
        done_meetings=[m for m in group.meetings if _mailed(m)],
        today=local_today(),
    )
    db.session.commit()
    return body, status


@bp.route("/groepen/<int:group_id>")
@requires(VIEW)
def group_detail(group_id: int):  # type: ignore[no-untyped-def]
    return _group_page(get_scoped_or_404(Group, group_id))


@bp.route("/groepen/<int:group_id>/aanmelden", methods=["POST"])
@requires(GROUPS_MANAGE)
def signup(group_id: int):  # type: ignore[no-untyped-def]
    group = get_scoped_or_404(Group, group_id)
    form = _membership_form()
    if form.validate_on_submit():
        resident = _signup_resident(form)
        if resident is None:
            pass
        elif active_membership(group.id, resident.id, current_municipality()):
            form.resident_id.errors.append(_("Deze inwoner is al lid van deze meedenkgroep."))
        else:
            from ..models import Membership

            membership = Membership(
                municipality_id=group.municipality_id,
                group_id=group.id,
                resident_id=resident.id,
                signed_up_on=form.signed_up_on.data,
                channel=form.channel.data,
                motivation=form.motivation.data or "",
                wants_minutes=bool(form.wants_minutes.data),
                recorded_by=current_user.username,
            )
            db.session.add(membership)
            db.session.flush()
            record_signup_consent(
                resident,
                GROUP_CONSENT,
                channel=membership.channel,
                on=membership.signed_up_on,
                scope=f"Meedenkgroep {group.theme}",
                by=current_user.username,
            )
            record(
                "meedenkgroepen.member.added",
                object_type="resident",
                object_id=resident.id,
                details={"group": group.id, "membership": membership.id},
            )
            db.session.commit()
            flash(_("De aanmelding is geregistreerd."), "success")
            return redirect(url_for(".group_detail", group_id=group.id))
    return _group_page(group, form)


@bp.route("/groepen/<int:group_id>/leden/<int:membership_id>/afmelden", methods=["POST"])
@requires(GROUPS_MANAGE)
def leave(group_id: int, membership_id: int):  # type: ignore[no-untyped-def]
    from ..models import Membership

    group = get_scoped_or_404(Group, group_id)
    membership = get_scoped_or_404(Membership, membership_id)
    if membership.group_id != group.id:
        return redirect(url_for(".group_detail", group_id=group.id))
    if membership.left_on is None:
        membership.left_on = local_today()
        membership.wants_minutes = False
        record(
            "meedenkgroepen.member.left",
            object_type="resident",
            object_id=membership.resident_id,
            details={"group": group.id, "membership": membership.id},
        )
        db.session.commit()
        flash(_("De inwoner is afgemeld voor deze meedenkgroep."), "success")
    return redirect(url_for(".group_detail", group_id=group.id))


# -- proposals: "staat uw thema er niet tussen?" ---------------------------------------------
def _proposal_form() -> ProposalForm:
    form = ProposalForm()
    form.resident_id.choices = resident_choices(empty=_("— Niet bekend of niet vastleggen —"))
    return form


@bp.route("/voorstellen", methods=["GET", "POST"])
@requires(VIEW)
def proposals():  # type: ignore[no-untyped-def]
    from intranet.plugin_api import has_permission

    form = _proposal_form()
    if request.method == "POST":
        if not has_permission(GROUPS_MANAGE):
            from flask import abort

            abort(403)
        if form.validate_on_submit():
            resident = valid_resident_id(form.resident_id.data)
            proposal = GroupProposal(
                municipality_id=current_municipality().id,
                theme=form.theme.data.strip(),
                description=form.description.data or "",
                resident_id=resident.id if resident else None,
                received_on=form.received_on.data,
            )
            db.session.add(proposal)
            db.session.flush()
            if resident is not None and form.wants_decision.data:
                record_signup_consent(
                    resident,
                    PROPOSAL_CONSENT,
                    channel="formulier",
                    on=local_today(),
                    scope=f"voorstel: {proposal.theme}"[:200],
                    by=current_user.username,
                )
            record(
                "meedenkgroepen.proposal.received",
                object_type="voorstel",
                object_id=proposal.id,
                details={"resident": proposal.resident_id},
            )
            db.session.commit()
            flash(_("Het voorstel is vastgelegd."), "success")
            return redirect(url_for(".proposals"))
    items = (
        db.session.execute(scoped(GroupProposal).order_by(GroupProposal.received_on.desc()))
        .scalars()
        .all()
    )
    return form_page(
        "meedenkgroepen/proposals.html",
        form,
        form=form,
        proposals=items,
        decision_form=DecisionForm(),
    )


def _queue_decision_mail(proposal: GroupProposal) -> bool:
    """The proposer hears the decision by mail, only with a valid consent to hear it."""
    resident = proposal.resident
    if resident is None or not resident.email:
        return False
    if resident.id not in residents_with_consent(
        proposal.municipality_id, PROPOSAL_CONSENT, [resident.id]
    ):
        return False
    return (
        queue_feedback_mails(
            proposal.municipality_id, f"proposal:{proposal.id}", "besluit", [resident]
        )
        > 0
    )


@bp.route("/voorstellen/<int:proposal_id>/besluit", methods=["POST"])
@requires(GROUPS_MANAGE)
def proposal_decide(proposal_id: int):  # type: ignore[no-untyped-def]
    proposal = get_scoped_or_404(GroupProposal, proposal_id)
    form = DecisionForm()
    if proposal.decision != "open":
        flash(_("Over dit voorstel is al besloten."), "info")
        return redirect(url_for(".proposals"))
    if not form.validate_on_submit():
        items = (
            db.session.execute(scoped(GroupProposal).order_by(GroupProposal.received_on.desc()))
            .scalars()
            .all()
        )
        return form_page(
            "meedenkgroepen/proposals.html",
            form,
            form=_proposal_form(),
            proposals=items,
            decision_form=form,
            deciding=proposal.id,
        )
    proposal.decision = form.decision.data
    proposal.decision_reason = form.reason.data.strip()
    proposal.decided_by = current_user.username
    proposal.decided_at = utcnow()
    if proposal.decision == "toegekend":
        group = Group(
            municipality_id=proposal.municipality_id,
            theme=proposal.theme,
            description=proposal.description,
            goal="",
            status="oprichting",
            mailbox="",
            owner_id=current_user.id,
        )
        db.session.add(group)
        db.session.flush()
        proposal.group_id = group.id
    informed = _queue_decision_mail(proposal)
    record(
        "meedenkgroepen.proposal.decided",
        object_type="voorstel",
        object_id=proposal.id,
        details={
            "decision": proposal.decision,
            "group": proposal.group_id,
            "resident_informed": proposal.resident_id if informed else None,
        },
    )
    db.session.commit()
    if informed:
        enqueue(
            "plugins.meedenkgroepen.jobs:send_feedback_mails",
            title=N_("Besluit over het voorstel: %(theme)s"),
            title_params={"theme": proposal.theme},
            municipality_id=proposal.municipality_id,
            created_by=current_user.username,
            ref=f"proposal:{proposal.id}",
            kind="besluit",
        )
        flash(_("Het besluit is vastgelegd; de indiener krijgt het per e-mail."), "success")
    else:
        flash(_("Het besluit is vastgelegd."), "success")
    if proposal.group_id:
        return redirect(url_for(".group_edit", group_id=proposal.group_id))
    return redirect(url_for(".proposals"))
