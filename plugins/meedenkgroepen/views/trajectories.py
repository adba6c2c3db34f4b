"""Six-step trajectories for new policy (seed 003). The rules live in ``sixsteps.py``."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from intranet.plugin_api import (
    N_,
    Column,
    Filter,
    Listing,
    Organisation,
    OrganisationContact,
    _,
    _l,
    current_municipality,
    db,
    dutch_date,
    enqueue,
    form_page,
    get_scoped_or_404,
    like_pattern,
    ngettext,
    parse_ids,
    record,
    requires,
    scoped,
    utcnow,
)

from ..forms import (
    AdvanceForm,
    BackForm,
    ContributionDecisionForm,
    ContributionForm,
    ConversationForm,
    DocumentForm,
    InformationForm,
    InterimResultForm,
    InvolvementForm,
    NextStepsForm,
    ParticipantGroupForm,
    QuestionnaireContributionsForm,
    ResultForm,
    TrajectoryForm,
    TrajectoryParticipantForm,
)
from ..models import (
    GROUP_CONSENT,
    TRAJECTORY_ORIGINS,
    Answer,
    Contribution,
    Conversation,
    InterimResult,
    Meeting,
    ParticipantGroup,
    PolicyDocument,
    Question,
    Questionnaire,
    StepTransition,
    Trajectory,
    TrajectoryParticipant,
)
from ..service import queue_feedback_mails, record_signup_consent
from ..sixsteps import (
    LADDER,
    STEP_HELP,
    STEPS,
    advance_problems,
    back_problems,
    finish_problems,
    rung_words,
)
from . import (
    TRAJECTORIES_MANAGE,
    VIEW,
    bp,
    employee_choices,
    employee_ids,
    resident_choices,
    valid_resident_id,
)

TRAJECTORIES = Listing(
    "meedenkgroepen.trajectories",
    columns=[
        Column("onderwerp", _l("Onderwerp"), Trajectory.topic),
        Column("herkomst", _l("Herkomst"), Trajectory.origin),
        Column("stap", _l("Stap"), Trajectory.step),
        Column("gestart", _l("Gestart"), Trajectory.created_at, first="af"),
    ],
    default_sort="gestart",
    default_order="af",
    filters=[
        Filter(
            "zoek",
            _l("Zoek op onderwerp"),
            lambda stmt, value: stmt.where(Trajectory.topic.ilike(like_pattern(value))),
        ),
        Filter(
            "herkomst",
            _l("Herkomst"),
            lambda stmt, value: stmt.where(Trajectory.origin == value),
            choices=list(TRAJECTORY_ORIGINS.items()),
        ),
        Filter(
            "stand",
            _l("Stand"),
            lambda stmt, value: stmt.where(
                Trajectory.closed_at.is_(None)
                if value == "lopend"
                else Trajectory.closed_at.is_not(None)
            ),
            choices=[("lopend", _l("Lopend")), ("afgerond", _l("Afgerond"))],
        ),
    ],
    tiebreak=Trajectory.id.desc(),
)


@bp.route("/trajecten")
@requires(VIEW)
def trajectories():  # type: ignore[no-untyped-def]
    listing = TRAJECTORIES.run(scoped(Trajectory).options(selectinload(Trajectory.owner)))
    return form_page(
        "meedenkgroepen/trajectories.html",
        trajectories=listing.items,
        listing=listing,
        steps=STEPS,
    )


def _trajectory_form() -> TrajectoryForm:
    form = TrajectoryForm()
    form.owner_id.choices = employee_choices()
    if request.method == "GET":
        form.owner_id.data = current_user.id
    return form


def _history(t: Trajectory, from_step: int | None, to_step: int, reason: str) -> None:
    t.transitions.append(
        StepTransition(
            municipality_id=t.municipality_id,
            from_step=from_step,
            to_step=to_step,
            actor=current_user.username,
            at=utcnow(),
            reason=reason,
        )
    )


def _new_trajectory(
    topic: str, origin: str, note: str, owner_id: int | None, parent: Trajectory | None = None
) -> Trajectory:
    t = Trajectory(
        municipality_id=current_municipality().id,
        topic=topic,
        origin=origin,
        origin_note=note,
        owner_id=owner_id if owner_id in employee_ids() else None,
        step=1,
        parent_id=parent.id if parent else None,
    )
    db.session.add(t)
    db.session.flush()
    _history(t, None, 1, f"Voortgekomen uit traject '{parent.topic}'" if parent else "Gestart")
    record("meedenkgroepen.trajectory.created", object_type="traject", object_id=t.id)
    return t


@bp.route("/trajecten/nieuw", methods=["GET", "POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_create():  # type: ignore[no-untyped-def]
    form = _trajectory_form()
    if form.validate_on_submit():
        t = _new_trajectory(
            form.topic.data.strip(),
            form.origin.data,
            form.origin_note.data.strip(),
            form.owner_id.data,
        )
        db.session.commit()
        flash(_("Het traject is gestart bij stap 1."), "success")
        return redirect(url_for(".trajectory_detail", trajectory_id=t.id))
    return form_page("meedenkgroepen/trajectory_form.html", form, form=form)


def _meeting_choices() -> list[tuple[int, str]]:
    meetings = db.session.execute(scoped(Meeting).order_by(Meeting.starts_at.desc())).scalars()
    return [(0, _("— Geen —"))] + [
        (m.id, f"{m.group.theme}, {dutch_date(m.starts_at)}") for m in meetings
    ]


def _open_question_choices() -> list[tuple[int, str]]:
    """Open questions of questionnaires that went out, newest first."""
    rows = db.session.execute(
        scoped(Question)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .where(Question.kind == "open", Questionnaire.status != "concept")
        .order_by(Questionnaire.closes_on.desc(), Question.position)
    ).scalars()
    return [(q.id, f"{q.questionnaire.title}: {q.text}") for q in rows]


def _detail(t: Trajectory, **forms: Any):  # type: ignore[no-untyped-def]
    contribution_form = forms.get("contribution_form") or ContributionForm()
    contribution_form.meeting_id.choices = _meeting_choices()
    questionnaire_form = forms.get("questionnaire_form") or QuestionnaireContributionsForm(
        formdata=None
    )
    questionnaire_form.question_id.choices = [
        (0, _("— Kies een vraag —")),
        *_open_question_choices(),
    ]
    back_form = forms.get("back_form") or BackForm()
    back_form.to_step.choices = [
        (n, _("Stap %(step)s: %(name)s", step=n, name=STEPS[n])) for n in range(1, t.step)
    ]
    decision_forms = forms.get("decision_forms") or {}
    for c in t.contributions:
        decision_forms.setdefault(
            c.id,
            ContributionDecisionForm(
                prefix=f"c{c.id}", decision=c.decision, explanation=c.explanation
            ),
        )
    context = {
        "information_form": forms.get("information_form") or InformationForm(obj=t),
        "document_form": forms.get("document_form") or DocumentForm(),
        "conversation_form": forms.get("conversation_form") or ConversationForm(),
        "group_form": forms.get("group_form") or ParticipantGroupForm(),
        "participant_form": forms.get("participant_form") or _participant_form(t),
        "contribution_form": contribution_form,
        "questionnaire_form": questionnaire_form,
        "involvement_form": forms.get("involvement_form")
        or InvolvementForm(
            involvement_ok={True: "ja", False: "nee"}.get(t.involvement_ok),  # type: ignore[arg-type]
            involvement_note=t.involvement_note,
        ),
        "advance_form": forms.get("advance_form") or AdvanceForm(),
        "back_form": back_form,
        "result_form": forms.get("result_form") or ResultForm(obj=t),
        "next_steps_form": forms.get("next_steps_form")
        or NextStepsForm(formdata=None, next_steps=t.next_steps),
        "interim_form": forms.get("interim_form") or InterimResultForm(formdata=None),
        "bulk_decision_form": forms.get("bulk_decision_form")
        or ContributionDecisionForm(prefix="samen"),
    }
    children = (
        db.session.execute(scoped(Trajectory).where(Trajectory.parent_id == t.id)).scalars().all()
    )
    return form_page(
        "meedenkgroepen/trajectory_detail.html",
        *context.values(),
        *decision_forms.values(),
        t=t,
        steps=STEPS,
        step_help=STEP_HELP,
        ladder=LADDER,
        rung_words=rung_words,
        problems=advance_problems(t) if t.step < 6 else finish_problems(t),
        decision_forms=decision_forms,
        children=children,
        **context,
    )


@bp.route("/trajecten/<int:trajectory_id>")
@requires(VIEW)
def trajectory_detail(trajectory_id: int):  # type: ignore[no-untyped-def]
    return _detail(get_scoped_or_404(Trajectory, trajectory_id))


def _back_to(t: Trajectory, anchor: str = ""):  # type: ignore[no-untyped-def]
    return redirect(url_for(".trajectory_detail", trajectory_id=t.id) + anchor)


def _editable(t: Trajectory, step: int | tuple[int, ...]) -> bool:
    steps = (step,) if isinstance(step, int) else step
    if t.closed_at is not None or t.step not in steps:
        flash(
            _(
                "Dit kan alleen in %(steps)s.",
                steps=_(" of ").join(_("stap %(n)s", n=s) for s in steps),
            ),
            "error",
        )
        return False
    return True


@bp.route("/trajecten/<int:trajectory_id>/informatie", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_information(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, 1):
        return _back_to(t)
    form = InformationForm()
    if not form.validate_on_submit():
        return _detail(t, information_form=form)
    t.information = form.information.data or ""
    db.session.commit()
    flash(_("De informatie is opgeslagen."), "success")
    return _back_to(t, "#stap")


@bp.route("/trajecten/<int:trajectory_id>/stukken", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_document(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if t.closed_at is not None:
        return _back_to(t)
    form = DocumentForm()
    if not form.validate_on_submit():
        return _detail(t, document_form=form)
    t.documents.append(
        PolicyDocument(
            municipality_id=t.municipality_id,
            title=form.title.data.strip(),
            url=(form.url.data or "").strip(),
        )
    )
    db.session.commit()
    flash(_("Het beleidsstuk is toegevoegd."), "success")
    return _back_to(t, "#stukken")


@bp.route("/trajecten/<int:trajectory_id>/gesprekken", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_conversation(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, (2, 4)):
        return _back_to(t)
    form = ConversationForm()
    if not form.validate_on_submit():
        return _detail(t, conversation_form=form)
    t.conversations.append(
        Conversation(
            municipality_id=t.municipality_id,
            held_on=form.held_on.data,
            kind=form.kind.data,
            participants=form.participants.data.strip(),
            summary=form.summary.data or "",
            recorded_by=current_user.username,
        )
    )
    db.session.commit()
    flash(_("Het gesprek is vastgelegd."), "success")
    return _back_to(t, "#stap")


@bp.route("/trajecten/<int:trajectory_id>/deelnemers", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_participants(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, 3):
        return _back_to(t)
    form = ParticipantGroupForm()
    if not form.validate_on_submit():
        return _detail(t, group_form=form)
    existing = next((g for g in t.participant_groups if g.name == form.name.data.strip()), None)
    if existing:
        existing.rung = form.rung.data
    else:
        t.participant_groups.append(
            ParticipantGroup(
                municipality_id=t.municipality_id, name=form.name.data.strip(), rung=form.rung.data
            )
        )
    db.session.commit()
    flash(_("De invloed van de deelnemers is vastgelegd."), "success")
    return _back_to(t, "#stap")


def _organisation_choices() -> list[tuple[int, str]]:
    """The municipality's own organisations (the registry is tenant-scoped)."""
    rows = db.session.execute(scoped(Organisation).order_by(Organisation.name, Organisation.id))
    return [(0, _("— Geen organisatie —"))] + [(o.id, o.name) for o in rows.scalars()]


def _participant_form(t: Trajectory) -> TrajectoryParticipantForm:
    form = TrajectoryParticipantForm(
        prefix="deelnemer", formdata=None if request.method == "GET" else request.form
    )
    form.group_id.choices = [(g.id, g.name) for g in t.participant_groups]
    form.resident_id.choices = resident_choices(empty=_("— Geen inwoner —"))
    form.organisation_id.choices = _organisation_choices()
    return form


def _participants_may_change(t: Trajectory) -> bool:
    """From step 3, while the trajectory runs: people often join after the groups are set."""
    if t.closed_at is not None or t.step < 3:
        flash(_("Deelnemers vastleggen kan vanaf stap 3, zolang het traject loopt."), "error")
        return False
    return True


@bp.route("/trajecten/<int:trajectory_id>/deelnemers/registreren", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_participant_add(trajectory_id: int):  # type: ignore[no-untyped-def]
    """Put a resident or an organisation from the registry into a step-3 group, so the
    trajectory's feedback reaches them (residents only with the group consent)."""
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _participants_may_change(t):
        return _back_to(t)
    form = _participant_form(t)
    if not form.validate_on_submit():
        return _detail(t, participant_form=form)
    group = next(g for g in t.participant_groups if g.id == form.group_id.data)
    resident = valid_resident_id(form.resident_id.data) if form.resident_id.data else None
    organisation = (
        db.session.execute(
            scoped(Organisation).where(Organisation.id == form.organisation_id.data)
        ).scalar_one_or_none()
        if form.organisation_id.data
        else None
    )
    if form.resident_id.data and resident is None:
        form.resident_id.errors.append(_("Kies een inwoner uit de lijst."))
    elif resident and any(p.resident_id == resident.id for p in group.participants):
        form.resident_id.errors.append(_("Deze inwoner hoort al bij deze groep deelnemers."))
    if form.organisation_id.data and organisation is None:
        form.organisation_id.errors.append(_("Kies een organisatie uit de lijst."))
    elif organisation and any(p.organisation_id == organisation.id for p in group.participants):
        form.organisation_id.errors.append(
            _("Deze organisatie hoort al bij deze groep deelnemers.")
        )
    if form.resident_id.errors or form.organisation_id.errors:
        return _detail(t, participant_form=form)
    participant = TrajectoryParticipant(
        municipality_id=t.municipality_id,
        trajectory_id=t.id,
        resident_id=resident.id if resident else None,
        organisation_id=organisation.id if organisation else None,
        added_by=current_user.username,
    )
    group.participants.append(participant)
    db.session.flush()
    if resident is not None and form.wants_feedback.data:
        record_signup_consent(
            resident,
            GROUP_CONSENT,
            channel="formulier",
            on=utcnow().date(),
            scope=f"Traject {t.topic}",
            by=current_user.username,
        )
    record(
        "meedenkgroepen.trajectory.participant.added",
        object_type="resident" if resident else "organisation",
        object_id=resident.id if resident else organisation.id,  # type: ignore[union-attr]
        details={"trajectory": t.id, "group": group.id, "participant": participant.id},
    )
    db.session.commit()
    flash(_("De deelnemer is vastgelegd."), "success")
    return _back_to(t, "#deelnemers")


@bp.route(
    "/trajecten/<int:trajectory_id>/deelnemers/<int:participant_id>/verwijderen",
    methods=["POST"],
)
@requires(TRAJECTORIES_MANAGE)
def trajectory_participant_remove(trajectory_id: int, participant_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    participant = get_scoped_or_404(TrajectoryParticipant, participant_id)
    if participant.trajectory_id != t.id:
        abort(404)
    if not _participants_may_change(t):
        return _back_to(t)
    record(
        "meedenkgroepen.trajectory.participant.removed",
        object_type="resident" if participant.resident_id else "organisation",
        object_id=participant.resident_id or participant.organisation_id,
        details={"trajectory": t.id, "group": participant.group_id},
    )
    db.session.delete(participant)
    db.session.commit()
    flash(_("De deelnemer is uit de groep gehaald."), "success")
    return _back_to(t, "#deelnemers")


def trajectory_recipients(t: Trajectory) -> dict[int, Any]:
    """Who hears what the trajectory did with the contributions: those at the meetings the
    contributions came from, the residents in its participant groups, and the contact persons
    of the organisations in them. Consent is checked as each mail goes out."""
    recipients: dict[int, Any] = {}
    meeting_ids = {c.meeting_id for c in t.contributions if c.meeting_id}
    if meeting_ids:
        meetings = db.session.execute(
            scoped(Meeting)
            .where(Meeting.id.in_(meeting_ids))
            .options(selectinload(Meeting.attendances))
        ).scalars()
        for meeting in meetings:
            for a in meeting.attendances:
                recipients[a.resident_id] = a.resident
    participants = [p for g in t.participant_groups for p in g.participants]
    for p in participants:
        if p.resident is not None:
            recipients[p.resident.id] = p.resident
    organisation_ids = {p.organisation_id for p in participants if p.organisation_id}
    if organisation_ids:
        contacts = db.session.execute(
            scoped(OrganisationContact).where(
                OrganisationContact.organisation_id.in_(organisation_ids)
            )
        ).scalars()
        for contact in contacts:
            recipients[contact.resident_id] = contact.resident
    return recipients


@bp.route("/trajecten/<int:trajectory_id>/bijdragen", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_contribution(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, 4):
        return _back_to(t)
    form = ContributionForm()
    form.meeting_id.choices = _meeting_choices()
    if not form.validate_on_submit():
        return _detail(t, contribution_form=form)
    t.contributions.append(
        Contribution(
            municipality_id=t.municipality_id,
            position=len(t.contributions) + 1,
            source=form.source.data,
            source_note=(form.source_note.data or "").strip(),
            meeting_id=form.meeting_id.data or None,
            text=form.text.data.strip(),
        )
    )
    db.session.commit()
    flash(_("De bijdrage is toegevoegd."), "success")
    return _back_to(t, "#bijdragen")


@bp.route("/trajecten/<int:trajectory_id>/bijdragen/uit-vragenlijst", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_contributions_from_questionnaire(trajectory_id: int):  # type: ignore[no-untyped-def]
    """Step 4: every filled-in answer to an open question becomes a contribution, linked to
    its questionnaire (``Contribution.questionnaire_id``); answers already taken in are not
    taken in twice."""
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, 4):
        return _back_to(t)
    form = QuestionnaireContributionsForm()
    form.question_id.choices = [(0, _("— Kies een vraag —")), *_open_question_choices()]
    if form.validate_on_submit() and not form.question_id.data:
        form.question_id.errors = [_("Kies een vraag uit de lijst.")]
    if form.errors or not form.question_id.data:
        return _detail(t, questionnaire_form=form)
    question = get_scoped_or_404(Question, form.question_id.data)
    texts = [
        a.text.strip()
        for a in db.session.execute(
            scoped(Answer).where(Answer.question_id == question.id).order_by(Answer.id)
        ).scalars()
        if a.text.strip()
    ]
    if not texts:
        form.question_id.errors = [_("Op deze vraag is nog geen antwoord ingevuld.")]
        return _detail(t, questionnaire_form=form)
    q = question.questionnaire
    have = {c.text for c in t.contributions if c.questionnaire_id == q.id}
    added = 0
    for text in texts:
        if text[:5000] in have:
            continue
        have.add(text[:5000])
        added += 1
        t.contributions.append(
            Contribution(
                municipality_id=t.municipality_id,
                position=len(t.contributions) + 1,
                source="vragenlijst",
                source_note=f"{q.title}: {question.text}"[:300],
                questionnaire_id=q.id,
                text=text[:5000],
            )
        )
    record(
        "meedenkgroepen.trajectory.contributions_from_questionnaire",
        object_type="traject",
        object_id=t.id,
        details={"questionnaire": q.id, "question": question.id, "added": added},
    )
    db.session.commit()
    flash(
        ngettext(
            "%(num)d antwoord uit de vragenlijst is als bijdrage toegevoegd.",
            "%(num)d antwoorden uit de vragenlijst zijn als bijdrage toegevoegd.",
            added,
        ),
        "success",
    )
    return _back_to(t, "#bijdragen")


@bp.route(
    "/trajecten/<int:trajectory_id>/bijdragen/<int:contribution_id>/<any(volledig,omhoog):action>",
    methods=["POST"],
)
@requires(TRAJECTORIES_MANAGE)
def trajectory_contribution_change(trajectory_id: int, contribution_id: int, action: str):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    c = get_scoped_or_404(Contribution, contribution_id)
    if c.trajectory_id != t.id or not _editable(t, 4):
        return _back_to(t)
    if action == "volledig":
        c.complete = not c.complete
    else:
        items = list(t.contributions)
        i = items.index(c)
        if i > 0:
            items[i - 1], items[i] = items[i], items[i - 1]
        for n, item in enumerate(items, start=1):
            item.position = n
    db.session.commit()
    return _back_to(t, "#bijdragen")


@bp.route(
    "/trajecten/<int:trajectory_id>/bijdragen/<int:contribution_id>/besluit", methods=["POST"]
)
@requires(TRAJECTORIES_MANAGE)
def trajectory_contribution_decide(trajectory_id: int, contribution_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    c = get_scoped_or_404(Contribution, contribution_id)
    if c.trajectory_id != t.id or not _editable(t, 5):
        return _back_to(t)
    form = ContributionDecisionForm(prefix=f"c{c.id}")
    if not form.validate_on_submit():
        return _detail(t, decision_forms={c.id: form})
    c.decision = form.decision.data
    c.explanation = (form.explanation.data or "").strip()
    db.session.commit()
    flash(_("De keuze is vastgelegd."), "success")
    return _back_to(t, "#bijdragen")


@bp.route("/trajecten/<int:trajectory_id>/bijdragen/besluit", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_contributions_decide(trajectory_id: int):  # type: ignore[no-untyped-def]
    """The bulk action of step 5: one choice (and one reason) for several ticked contributions.

    Contributions of another trajectory or municipality are skipped and named; each change is
    audited on its own.
    """
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, 5):
        return _back_to(t)
    form = ContributionDecisionForm(prefix="samen")
    asked = parse_ids(request.form.getlist("bijdrage")[:500])
    if not form.validate_on_submit() or not asked:
        if not asked:
            form.decision.errors = [*form.decision.errors, _("Kies een of meer bijdragen.")]  # type: ignore[list-item]
        return _detail(t, bulk_decision_form=form)
    own = {c.id: c for c in t.contributions}
    chosen = [own[i] for i in dict.fromkeys(asked) if i in own]
    skipped = [i for i in dict.fromkeys(asked) if i not in own]
    explanation = (form.explanation.data or "").strip()
    for c in chosen:
        c.decision = form.decision.data
        c.explanation = explanation
        record(
            "meedenkgroepen.contribution.decided",
            object_type="meedenkgroepen_contribution",
            object_id=c.id,
            details={"trajectory": t.id, "decision": c.decision, "bulk": True},
        )
    db.session.commit()
    positions = {c.id: n for n, c in enumerate(t.contributions, start=1)}
    label = _("meegenomen") if form.decision.data == "gebruikt" else _("niet meegenomen")
    if chosen:
        flash(
            _(
                "%(n)s bijdrage(n) vastgelegd als %(label)s: %(numbers)s.",
                n=len(chosen),
                label=label,
                numbers=", ".join(_("bijdrage %(number)s", number=positions[c.id]) for c in chosen),
            ),
            "success",
        )
    if skipped:
        flash(
            _(
                "%(n)s bijdrage(n) overgeslagen: die horen niet bij dit traject (nummer %(numbers)s).",
                n=len(skipped),
                numbers=", ".join(map(str, skipped)),
            ),
            "error",
        )
    return _back_to(t, "#bijdragen")


@bp.route("/trajecten/<int:trajectory_id>/betrokkenheid", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_involvement(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, 5):
        return _back_to(t)
    form = InvolvementForm()
    if not form.validate_on_submit():
        return _detail(t, involvement_form=form)
    t.involvement_ok = form.involvement_ok.data == "ja"
    t.involvement_note = form.involvement_note.data.strip()
    db.session.commit()
    flash(_("De controle op betrokkenheid is vastgelegd."), "success")
    return _back_to(t, "#stap")


@bp.route("/trajecten/<int:trajectory_id>/volgende-stap", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_advance(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    form = AdvanceForm()
    if not form.validate_on_submit():
        return _detail(t, advance_form=form)
    problems = advance_problems(t)
    if problems:
        for p in problems:
            form.note.errors.append(p)
        return _detail(t, advance_form=form)
    _history(t, t.step, t.step + 1, (form.note.data or "").strip())
    t.step += 1
    record(
        "meedenkgroepen.trajectory.step",
        object_type="traject",
        object_id=t.id,
        details={"to": t.step},
    )
    db.session.commit()
    flash(
        _("Het traject is nu in stap %(step)s: %(step2)s.", step=t.step, step2=STEPS[t.step]),
        "success",
    )
    return _back_to(t)


@bp.route("/trajecten/<int:trajectory_id>/terug", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_back(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    form = BackForm()
    form.to_step.choices = [
        (n, _("Stap %(step)s: %(name)s", step=n, name=STEPS[n])) for n in range(1, t.step)
    ]
    if not form.validate_on_submit():
        return _detail(t, back_form=form)
    problems = back_problems(t, form.to_step.data, form.reason.data)
    if problems:
        form.reason.errors.extend(problems)
        return _detail(t, back_form=form)
    _history(t, t.step, form.to_step.data, form.reason.data.strip())
    t.step = form.to_step.data
    record(
        "meedenkgroepen.trajectory.step",
        object_type="traject",
        object_id=t.id,
        details={"to": t.step, "back": True},
    )
    db.session.commit()
    flash(
        _("Het traject is terug in stap %(step)s: %(step2)s.", step=t.step, step2=STEPS[t.step]),
        "success",
    )
    return _back_to(t)


@bp.route("/trajecten/<int:trajectory_id>/volgende-stappen", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_next_steps(trajectory_id: int):  # type: ignore[no-untyped-def]
    """Step 5 (and 6): record what happens next; the trajectory stays where it is."""
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, (5, 6)):
        return _back_to(t)
    form = NextStepsForm()
    if not form.validate_on_submit():
        return _detail(t, next_steps_form=form)
    t.next_steps = form.next_steps.data.strip()
    record("meedenkgroepen.trajectory.next_steps", object_type="traject", object_id=t.id)
    db.session.commit()
    flash(_("De volgende stappen zijn vastgelegd."), "success")
    return _back_to(t, "#volgende-stappen")


@bp.route("/trajecten/<int:trajectory_id>/tussenresultaat", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_interim_result(trajectory_id: int):  # type: ignore[no-untyped-def]
    """Step 6: record an interim result without closing the trajectory."""
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if not _editable(t, 6):
        return _back_to(t)
    form = InterimResultForm()
    if not form.validate_on_submit():
        return _detail(t, interim_form=form)
    t.interim_results.append(
        InterimResult(
            municipality_id=t.municipality_id,
            text=form.interim_text.data.strip(),
            recorded_by=current_user.username,
        )
    )
    record("meedenkgroepen.trajectory.interim_result", object_type="traject", object_id=t.id)
    db.session.commit()
    flash(_("Het tussenresultaat is vastgelegd; het traject blijft open."), "success")
    return _back_to(t, "#tussenresultaten")


@bp.route("/trajecten/<int:trajectory_id>/resultaat", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_result(trajectory_id: int):  # type: ignore[no-untyped-def]
    t = get_scoped_or_404(Trajectory, trajectory_id)
    form = ResultForm()
    if not form.validate_on_submit():
        return _detail(t, result_form=form)
    t.result_kind = form.result_kind.data
    t.result_text = form.result_text.data.strip()
    problems = finish_problems(t)
    if problems:
        db.session.rollback()
        form.result_text.errors.extend(problems)
        return _detail(get_scoped_or_404(Trajectory, trajectory_id), result_form=form)
    t.closed_at = utcnow()
    _history(t, 6, 6, "Afgerond met een resultaat")
    record("meedenkgroepen.trajectory.closed", object_type="traject", object_id=t.id)
    if form.new_trajectory.data:
        child = _new_trajectory(
            form.new_topic.data.strip(), "gemeente", f"Vervolg op: {t.topic}", t.owner_id, parent=t
        )
        db.session.commit()
        flash(_("Het traject is afgerond; het nieuwe traject staat bij stap 1."), "success")
        return redirect(url_for(".trajectory_detail", trajectory_id=child.id))
    db.session.commit()
    flash(_("Het traject is afgerond."), "success")
    return _back_to(t)


@bp.route("/trajecten/<int:trajectory_id>/terugkoppeling", methods=["POST"])
@requires(TRAJECTORIES_MANAGE)
def trajectory_feedback(trajectory_id: int):  # type: ignore[no-untyped-def]
    """Tell the participants (see ``trajectory_recipients``) what happened to their
    contributions."""
    t = get_scoped_or_404(Trajectory, trajectory_id)
    if t.step < 5 or any(c.decision is None for c in t.contributions) or not t.contributions:
        flash(_("Beoordeel eerst alle bijdragen (stap 5)."), "error")
        return _back_to(t)
    recipients = trajectory_recipients(t)
    added = queue_feedback_mails(
        t.municipality_id, f"trajectory:{t.id}", "terugkoppeling", list(recipients.values())
    )
    t.feedback_mailed_at = t.feedback_mailed_at or utcnow()
    record(
        "meedenkgroepen.trajectory.feedback",
        object_type="traject",
        object_id=t.id,
        details={"residents": sorted(recipients)},
    )
    db.session.commit()
    if added:
        enqueue(
            "plugins.meedenkgroepen.jobs:send_feedback_mails",
            title=N_("Terugkoppeling traject: %(topic)s"),
            title_params={"topic": t.topic},
            municipality_id=t.municipality_id,
            created_by=current_user.username,
            ref=f"trajectory:{t.id}",
            kind="terugkoppeling",
        )
    flash(
        ngettext(
            "%(num)d deelnemer krijgt per e-mail te horen wat er met de bijdragen is gedaan.",
            "%(num)d deelnemers krijgen per e-mail te horen wat er met de bijdragen is gedaan.",
            added,
        ),
        "success",
    )
    return _back_to(t)
