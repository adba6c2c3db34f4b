"""Questionnaires: the builder, sending to a panel, reminders, results, exports, paper answers."""

from __future__ import annotations

import contextlib
import io

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, update
from sqlalchemy.orm import joinedload

from intranet.plugin_api import (
    N_,
    Column,
    Filter,
    Listing,
    _,
    _l,
    csv_response,
    current_municipality,
    db,
    enqueue,
    form_page,
    get_scoped_or_404,
    has_permission,
    is_htmx,
    job_of,
    like_pattern,
    local_today,
    ngettext,
    record,
    requires,
    residents_with_consent,
    safe_cell,
    scoped,
    utcnow,
)

from ..forms import PaperResponseForm, QuestionForm, QuestionnaireFeedbackForm, QuestionnaireForm
from ..models import (
    FAILED,
    NEW_ATTEMPT,
    PANEL_CONSENT,
    PENDING,
    QUESTIONNAIRE_STATUSES,
    SENT,
    FeedbackMail,
    Invitation,
    Panel,
    PanelMember,
    Question,
    Questionnaire,
)
from ..service import (
    delivery_counts,
    export_rows,
    mark_answered,
    parse_answers,
    plan_send,
    results,
    store_response,
)
from . import PANELS_MANAGE, VIEW, bp, list_part


def _public_base_url() -> str:
    """The internet address residents reach /publiek/ on (the plugin's own, else the core's)."""
    base = (
        current_app.config.get("MEEDENKGROEPEN_PUBLIC_URL")
        or current_app.config.get("PUBLIC_URL")
        or request.url_root
    )
    return base.rstrip("/") + "/"


QUESTIONNAIRES = Listing(
    "meedenkgroepen.questionnaires",
    columns=[
        Column("titel", _l("Titel"), Questionnaire.title),
        Column("periode", _l("Periode"), Questionnaire.opens_on, first="af"),
        Column("status", _l("Status"), Questionnaire.status),
    ],
    default_sort="periode",
    default_order="af",
    filters=[
        Filter(
            "zoek",
            _l("Zoek op titel"),
            lambda stmt, value: stmt.where(Questionnaire.title.ilike(like_pattern(value))),
        ),
        Filter(
            "status",
            _l("Status"),
            lambda stmt, value: stmt.where(Questionnaire.status == value),
            choices=list(QUESTIONNAIRE_STATUSES.items()),
        ),
    ],
    tiebreak=Questionnaire.id.desc(),
)


@bp.route("/vragenlijsten")
@requires(VIEW)
def questionnaires():  # type: ignore[no-untyped-def]
    listing = QUESTIONNAIRES.run(scoped(Questionnaire).options(joinedload(Questionnaire.panel)))
    return form_page(
        "meedenkgroepen/questionnaires.html", questionnaires=listing.items, listing=listing
    )


def _questionnaire_form(obj: Questionnaire | None = None) -> QuestionnaireForm:
    form = QuestionnaireForm(obj=obj)
    panels = db.session.execute(scoped(Panel).order_by(Panel.name)).scalars().all()
    form.panel_id.choices = [(p.id, p.name) for p in panels]
    form.themes.choices = sorted({(t, t) for p in panels for t in p.themes})
    return form


@bp.route("/vragenlijsten/nieuw", methods=["GET", "POST"])
@requires(PANELS_MANAGE)
def questionnaire_create():  # type: ignore[no-untyped-def]
    form = _questionnaire_form()
    if request.method == "GET" and request.args.get("panel"):
        with contextlib.suppress(ValueError):
            form.panel_id.data = int(request.args["panel"])
    if form.validate_on_submit():
        panel = db.session.execute(
            scoped(Panel).where(Panel.id == form.panel_id.data)
        ).scalar_one_or_none()
        wrong = [t for t in form.themes.data or [] if panel and t not in panel.themes]
        if panel is None:
            form.panel_id.errors.append(_("Kies een panel uit de lijst."))
        elif wrong:
            form.themes.errors.append(_("Kies alleen thema’s van het gekozen panel."))
        else:
            q = Questionnaire(
                municipality_id=panel.municipality_id,
                panel_id=panel.id,
                title=form.title.data.strip(),
                intro=form.intro.data or "",
                themes=list(form.themes.data or []),
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                created_by=current_user.username,
            )
            db.session.add(q)
            db.session.flush()
            record(
                "meedenkgroepen.questionnaire.created", object_type="vragenlijst", object_id=q.id
            )
            db.session.commit()
            flash(_("De vragenlijst is aangemaakt. Voeg nu de vragen toe."), "success")
            return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id))
    return form_page("meedenkgroepen/questionnaire_form.html", form, form=form)


def _bank(q: Questionnaire) -> list:
    """Questions other enabled plugins offer (intranet_question_bank), while still a draft."""
    if q.status != "concept":
        return []
    from intranet.plugin_api import question_bank

    return question_bank(current_municipality(), exclude="meedenkgroepen")


def _detail(  # type: ignore[no-untyped-def]
    q: Questionnaire,
    question_form: QuestionForm | None = None,
    bank_error: str = "",
    feedback_form: QuestionnaireFeedbackForm | None = None,
    refusal: str = "",
):
    """Counted by the database: a panel of 10,000 costs a few queries, not 10,000 objects.

    ``refusal`` is a change that was refused (e.g. to a sent questionnaire's questions): it
    is shown at the top and the page answers 400."""
    question_form = question_form or QuestionForm()
    of_this = scoped(Invitation).where(Invitation.questionnaire_id == q.id)
    failed = (
        db.session.execute(
            of_this.where(
                (Invitation.status == FAILED) | (Invitation.reminder_status == FAILED)
            ).order_by(Invitation.id)
        )
        .scalars()
        .all()
    )
    if failed:
        record(
            "meedenkgroepen.invitations.viewed",
            object_type="vragenlijst",
            object_id=q.id,
            details={"residents": [i.resident_id for i in failed]},
        )
        db.session.commit()
    counts: dict[str, int] = dict(
        db.session.execute(
            of_this.with_only_columns(Invitation.status, func.count(Invitation.id)).group_by(
                Invitation.status
            )
        ).all()
    )
    answered = db.session.execute(
        of_this.with_only_columns(func.count(Invitation.answered_at))
    ).scalar_one()
    to_remind = db.session.execute(
        of_this.with_only_columns(func.count(Invitation.id)).where(
            Invitation.status == SENT,
            Invitation.answered_at.is_(None),
            Invitation.reminded_at.is_(None),
        )
    ).scalar_one()
    feedback_form = feedback_form or QuestionnaireFeedbackForm(
        formdata=None, feedback_text=q.feedback_text
    )
    feedback_rows = (
        db.session.execute(scoped(FeedbackMail).where(FeedbackMail.ref == _feedback_ref(q)))
        .scalars()
        .all()
    )
    body, status = form_page(
        "meedenkgroepen/questionnaire_detail.html",
        question_form,
        feedback_form,
        q=q,
        question_form=question_form,
        bank=_bank(q),
        bank_error=bank_error,
        counts=counts,
        answered=answered,
        failed=failed,
        to_remind=to_remind,
        send_job=job_of(q.send_job_id),
        reminder_job=job_of(q.reminder_job_id),
        feedback_form=feedback_form,
        feedback_job=job_of(q.feedback_job_id),
        feedback_counts=delivery_counts(feedback_rows),
        refusal=refusal,
    )
    return body, 400 if bank_error or refusal else status


def _feedback_ref(q: Questionnaire) -> str:
    return f"questionnaire:{q.id}"


def feedback_recipients(q: Questionnaire) -> list:  # type: ignore[type-arg]
    """The panel members who answered, still in the panel and still consenting.

    Only invitations record *that* someone answered (responses are anonymous). Feedback is
    no invitation: it never counts toward the yearly questionnaire limit.
    """
    from intranet.plugin_api import Resident

    left = set(
        db.session.execute(
            scoped(PanelMember)
            .with_only_columns(PanelMember.resident_id)
            .where(PanelMember.panel_id == q.panel_id, PanelMember.left_at.is_not(None))
        ).scalars()
    )
    answered = {
        rid
        for rid in db.session.execute(
            scoped(Invitation)
            .with_only_columns(Invitation.resident_id)
            .where(Invitation.questionnaire_id == q.id, Invitation.answered_at.is_not(None))
        ).scalars()
        if rid is not None and rid not in left
    }
    consenting = residents_with_consent(q.municipality_id, PANEL_CONSENT, answered)
    if not consenting:
        return []
    return list(
        db.session.execute(
            scoped(Resident).where(Resident.id.in_(consenting)).order_by(Resident.id)
        ).scalars()
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>/terugkoppeling", methods=["POST"])
@requires(PANELS_MANAGE)
def questionnaire_feedback(questionnaire_id: int):  # type: ignore[no-untyped-def]
    """Tell the panel members who answered what their answers led to (seed 003), by mail, in
    a job with progress; each resident at most once, consent checked again as it is sent."""
    from ..service import queue_feedback_mails

    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    form = QuestionnaireFeedbackForm()
    if not form.validate_on_submit():
        return _detail(q, feedback_form=form)
    if q.status == "concept":
        form.feedback_text.errors.append(
            _("Deze vragenlijst is nog niet verstuurd; er is nog niemand om terug te koppelen.")
        )
        return _detail(q, feedback_form=form)
    q.feedback_text = form.feedback_text.data.strip()
    recipients = feedback_recipients(q)
    added = queue_feedback_mails(q.municipality_id, _feedback_ref(q), "terugkoppeling", recipients)
    q.feedback_sent_at = q.feedback_sent_at or utcnow()
    record(
        "meedenkgroepen.questionnaire.feedback",
        object_type="vragenlijst",
        object_id=q.id,
        details={"residents": [r.id for r in recipients], "queued": added},
    )
    db.session.commit()
    if added:
        queued = enqueue(
            "plugins.meedenkgroepen.jobs:send_feedback_mails",
            title=N_("Terugkoppeling vragenlijst: %(title)s"),
            title_params={"title": q.title},
            municipality_id=q.municipality_id,
            created_by=current_user.username,
            ref=_feedback_ref(q),
            kind="terugkoppeling",
        )
        q = get_scoped_or_404(Questionnaire, q.id)  # enqueue committed; the job may have run
        q.feedback_job_id = queued.id
        db.session.commit()
        flash(
            _(
                "%(added)s panellid (of -leden) die antwoordden krijgen per e-mail te horen wat "
                "er met de antwoorden is gedaan; de voortgang staat hieronder.",
                added=added,
            ),
            "success",
        )
    else:
        flash(
            _(
                "De terugkoppeling is opgeslagen. Er was niemand (meer) om te mailen: wie "
                "antwoordde heeft al bericht, geen e-mailadres of geen toestemming meer."
            ),
            "info",
        )
    return redirect(
        url_for(".questionnaire_detail", questionnaire_id=q.id, _anchor="terugkoppeling")
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>")
@requires(VIEW)
def questionnaire_detail(questionnaire_id: int):  # type: ignore[no-untyped-def]
    """The questionnaire's page. Asked by htmx (cancelling an in-place edit, ``?vraag=<id>``):
    only the questions, with the focus back on that question's "Bewerken" link."""
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    if is_htmx():
        chosen = request.args.get("vraag", type=int)
        known = {question.id for question in q.questions}
        # its "Bewerken" link is only there while the list may still be changed (it may have
        # been sent meanwhile); else the status line, which takes the focus (tabindex=-1)
        editable = q.status == "concept" and has_permission(PANELS_MANAGE)
        focus = f"vraag-{chosen}-bewerken" if editable and chosen in known else "vragen-melding"
        return _questions_fragment(q, focus_id=focus)
    return _detail(q)


def _questions_fragment(
    q: Questionnaire,
    form: QuestionForm | None = None,
    *,
    focus_id: str,
    message: str = "",
    add: bool = False,
) -> tuple[str, int]:
    """What an in-place (htmx) change of the questions answers with: ``focus_id`` is where the
    user continues, ``message`` the confirmation for the status line. Only the list of
    questions is replaced, or for an ``add`` the add form (the list out of band once added),
    so that text typed elsewhere in the section survives. A refused add (``form`` with errors)
    answers 400 with the errors next to the fields and a summary by the form."""
    form = form or QuestionForm(formdata=None)
    return list_part(
        "meedenkgroepen/_questions_response.html",
        form,
        focus_id=focus_id,
        add=add,
        q=q,
        question_form=form,
        message=message,
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>/taken/<int:job_id>")
@requires(VIEW)
def questionnaire_job(questionnaire_id: int, job_id: int):  # type: ignore[no-untyped-def]
    """The progress of one of the questionnaire's mailings, for the page's htmx poll. Only the
    questionnaire's own jobs; without htmx, the questionnaire's page at that progress."""
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    if job_id not in (q.send_job_id, q.reminder_job_id, q.feedback_job_id):
        abort(404)
    job = job_of(job_id)
    if job is None:
        abort(404)
    page_url = url_for(".questionnaire_detail", questionnaire_id=q.id)
    if not is_htmx():
        return redirect(f"{page_url}#taak-{job.id}")
    return render_template(
        "jobs/progress_fragment.html",
        job=job,
        poll_url=url_for(".questionnaire_job", questionnaire_id=q.id, job_id=job.id),
        page_url=page_url,
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>/vragen", methods=["POST"])
@requires(PANELS_MANAGE)
def question_add(questionnaire_id: int):  # type: ignore[no-untyped-def]
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    if q.status != "concept":
        return _detail(q, refusal=_sent_refusal())
    form = QuestionForm()
    if not form.validate_on_submit():
        if is_htmx():
            return _questions_fragment(q, form, focus_id="vraag-foutmeldingen", add=True)
        return _detail(q, form)
    question = Question(municipality_id=q.municipality_id, position=len(q.questions) + 1)
    _fill_question(question, form)
    q.questions.append(question)
    db.session.commit()
    if is_htmx():  # adding question after question: back on the form's first field
        return _questions_fragment(
            q,
            focus_id="kind",
            add=True,
            message=_(
                "Vraag %(n)d is toegevoegd: %(text)s", n=len(q.questions), text=question.text
            ),
        )
    flash(_("De vraag is toegevoegd."), "success")
    return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id) + "#vragen")


@bp.route("/vragenlijsten/<int:questionnaire_id>/vragen/uit-de-vragenbank", methods=["POST"])
@requires(PANELS_MANAGE)
def question_from_bank(questionnaire_id: int):  # type: ignore[no-untyped-def]
    """Copy a question another plugin offers (a question bank) into this questionnaire."""
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    if q.status != "concept":
        return _detail(q, refusal=_sent_refusal())
    chosen = request.form.get("bank_question", "")
    offered = {f"{b.plugin}|{b.key}": b for b in _bank(q)}
    bank = offered.get(chosen)
    if bank is None or bank.kind not in ("open", "single", "multiple", "scale"):
        return _detail(q, bank_error=_("Kies een vraag uit de vragenbank."))
    question = Question(
        municipality_id=q.municipality_id,
        kind=bank.kind,
        text=bank.text[:500],
        position=len(q.questions) + 1,
        options=list(bank.options) if bank.kind in ("single", "multiple") else [],
    )
    if bank.kind == "scale":
        question.scale_min, question.scale_max = bank.scale_min, bank.scale_max
        question.scale_min_label = bank.scale_min_label[:100]
        question.scale_max_label = bank.scale_max_label[:100]
    q.questions.append(question)
    db.session.commit()
    flash(_("De vraag uit de vragenbank is toegevoegd."), "success")
    return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id) + "#vragen")


def _sent_refusal() -> str:
    return _(
        "Deze vragenlijst is al verstuurd: de vragen kunnen niet meer worden gewijzigd, "
        "verplaatst of verwijderd, want panelleden hebben ze al gekregen. Maak een nieuwe "
        "vragenlijst als u iets anders wilt vragen."
    )


def _own_question(q: Questionnaire, question_id: int) -> Question:
    question = get_scoped_or_404(Question, question_id)
    if question.questionnaire_id != q.id:
        abort(404)
    return question


def _fill_question(question: Question, form: QuestionForm) -> None:
    question.kind = form.kind.data
    question.text = form.text.data.strip()
    question.options = form.option_list() if form.kind.data in ("single", "multiple") else []
    if form.kind.data == "scale":
        question.scale_min = form.scale_min.data if form.scale_min.data is not None else 1
        question.scale_max = form.scale_max.data if form.scale_max.data is not None else 5
        question.scale_min_label = (form.scale_min_label.data or "").strip()
        question.scale_max_label = (form.scale_max_label.data or "").strip()


@bp.route(
    "/vragenlijsten/<int:questionnaire_id>/vragen/<int:question_id>/"
    "<any(verwijderen,omhoog,omlaag):action>",
    methods=["POST"],
)
@requires(PANELS_MANAGE)
def question_change(questionnaire_id: int, question_id: int, action: str):  # type: ignore[no-untyped-def]
    """Remove a question or move it one place up or down: plain form posts; with htmx the
    questions are replaced in place, the focus on the moved question's button."""
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    question = _own_question(q, question_id)
    if q.status != "concept":
        return _detail(q, refusal=_sent_refusal())
    items = list(q.questions)
    index = items.index(question)
    if action == "verwijderen":
        q.questions.remove(question)
        items.remove(question)
        message = _("De vraag is verwijderd.")
    else:
        other = index - 1 if action == "omhoog" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        message = _("De vraag is verplaatst naar plaats %(n)d.", n=items.index(question) + 1)
    for n, item in enumerate(items, start=1):
        item.position = n
    record(
        "meedenkgroepen.question.changed",
        object_type="vragenlijst",
        object_id=q.id,
        details={"question": question.id, "action": action},
    )
    db.session.commit()
    if is_htmx():
        focus = (
            "vragen-melding" if action == "verwijderen" else _move_focus(items, question, action)
        )
        return _questions_fragment(q, focus_id=focus, message=message)
    flash(message, "success")
    anchor = "#vragen" if action == "verwijderen" else f"#vraag-{question.id}"
    return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id) + anchor)


def _move_focus(items: list[Question], question: Question, action: str) -> str:
    """The moved question's button for the same move if it still has one (moving on is one
    more Enter), else its other move button, else its "Bewerken" link."""
    index = items.index(question)
    can = {"omhoog": index > 0, "omlaag": index < len(items) - 1}
    for wanted in (action, "omlaag" if action == "omhoog" else "omhoog"):
        if can[wanted]:
            return f"vraag-{question.id}-{wanted}"
    return f"vraag-{question.id}-bewerken"


@bp.route(
    "/vragenlijsten/<int:questionnaire_id>/vragen/<int:question_id>/bewerken",
    methods=["GET", "POST"],
)
@requires(PANELS_MANAGE)
def question_edit(questionnaire_id: int, question_id: int):  # type: ignore[no-untyped-def]
    """Change a question of a draft; a sent questionnaire is refused (400), its questions
    are what the panel received. With htmx the form opens in the question's place in the
    list (its fields prefixed, apart from the add-question form's) and a save replaces the
    questions in place, the focus back on the question's "Bewerken" link."""
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    question = _own_question(q, question_id)
    if q.status != "concept":
        return _detail(q, refusal=_sent_refusal())
    prefix = f"vraag{question.id}" if is_htmx() else ""
    if request.method == "GET":
        form = QuestionForm(obj=question, prefix=prefix)
        form.options.data = "\n".join(question.options or [])
    else:
        form = QuestionForm(prefix=prefix)
    number = list(q.questions).index(question) + 1
    if form.validate_on_submit():
        _fill_question(question, form)
        record(
            "meedenkgroepen.question.changed",
            object_type="vragenlijst",
            object_id=q.id,
            details={"question": question.id, "action": "bewerken"},
        )
        db.session.commit()
        if is_htmx():
            body, status = _questions_fragment(
                q,
                focus_id=f"vraag-{question.id}-bewerken",
                message=_("Vraag %(n)d is opgeslagen.", n=number),
            )
            # the edit form was the target; the answer is the whole list again
            return body, status, {"HX-Retarget": "#vragen-lijst", "HX-Reswap": "outerHTML"}
        flash(_("De vraag is opgeslagen."), "success")
        return redirect(
            url_for(".questionnaire_detail", questionnaire_id=q.id) + f"#vraag-{question.id}"
        )
    if is_htmx():
        refused = request.method == "POST"
        editing = {
            "form": form,
            "question": question,
            "number": number,
            "focus_id": f"vraag-{question.id}-foutmeldingen" if refused else form.kind.id,
        }
        body = render_template("meedenkgroepen/_question_edit.html", q=q, editing=editing)
        return body, 400 if refused else 200
    return form_page(
        "meedenkgroepen/question_form.html",
        form,
        q=q,
        question=question,
        number=number,
        form=form,
    )


@bp.route("/vragenlijsten/<int:questionnaire_id>/verzenden", methods=["GET", "POST"])
@requires(PANELS_MANAGE)
def questionnaire_send(questionnaire_id: int):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    problems = []
    if not q.questions:
        problems.append(_("De vragenlijst heeft nog geen vragen."))
    if q.closes_on < local_today():
        problems.append(_("De sluitingsdatum is al voorbij."))
    if request.method == "POST":
        # Planning and inviting run in the job: a panel of 100,000 does not hold up the page.
        if problems:
            return form_page(
                "meedenkgroepen/questionnaire_send.html",
                invalid=True,
                q=q,
                plan=plan_send(municipality, q),
                problems=problems,
            )
        running = job_of(q.send_job_id)
        if running is not None and running.status in ("queued", "running"):
            flash(_("De vragenlijst wordt al verstuurd; de voortgang staat hieronder."), "info")
            return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id))
        record(
            "meedenkgroepen.questionnaire.send_requested",
            object_type="vragenlijst",
            object_id=q.id,
        )
        db.session.commit()
        _queue_mailing(
            q,
            "prepare_and_send_invitations",
            N_("Versturen vragenlijst: %(title)s"),
            remember_as="send_job_id",
        )
        flash(
            _(
                "De vragenlijst wordt verstuurd. Wie een uitnodiging krijgt, en de voortgang, "
                "ziet u hieronder."
            ),
            "success",
        )
        return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id))
    return form_page(
        "meedenkgroepen/questionnaire_send.html",
        q=q,
        plan=plan_send(municipality, q),
        problems=problems,
    )


def _mark_pending(q: Questionnaire, status_column, *conditions) -> int:  # type: ignore[no-untyped-def]
    """Set ``status_column`` to pending on this questionnaire's invitations that match, in one
    UPDATE (a panel of 10,000 is not loaded into the request); returns how many."""
    result = db.session.execute(
        update(Invitation)
        .where(
            Invitation.questionnaire_id == q.id,  # the municipality: by the ORM (tenancy)
            *conditions,
        )
        .values({status_column.key: PENDING, **NEW_ATTEMPT})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _queue_mailing(q: Questionnaire, job: str, title: str, *, remember_as: str) -> None:
    """Hand the mailing to the job interface and remember the job for the progress bar.
    ``title`` is a message id with ``%(title)s`` for the questionnaire's title."""
    queued = enqueue(
        f"plugins.meedenkgroepen.jobs:{job}",
        title=title,
        title_params={"title": q.title},
        municipality_id=q.municipality_id,
        created_by=current_user.username,
        questionnaire_id=q.id,
        base_url=_public_base_url(),
    )
    q = get_scoped_or_404(Questionnaire, q.id)  # enqueue committed; a job may have run already
    setattr(q, remember_as, queued.id)
    db.session.commit()


@bp.route("/vragenlijsten/<int:questionnaire_id>/herinneren", methods=["POST"])
@requires(PANELS_MANAGE)
def questionnaire_remind(questionnaire_id: int):  # type: ignore[no-untyped-def]
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    if q.closes_on < local_today():
        flash(_("De vragenlijst is gesloten; herinneren kan niet meer."), "error")
        return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id))
    n = _mark_pending(
        q,
        Invitation.reminder_status,
        Invitation.status == SENT,
        Invitation.answered_at.is_(None),
        Invitation.reminder_status.is_(None),
    )
    record(
        "meedenkgroepen.questionnaire.reminded",
        object_type="vragenlijst",
        object_id=q.id,
        details={"reminders": n},
    )
    db.session.commit()
    if n:
        _queue_mailing(
            q,
            "send_reminders",
            N_("Herinneringen vragenlijst: %(title)s"),
            remember_as="reminder_job_id",
        )
    flash(
        ngettext(
            "%(num)d herinnering wordt verstuurd.", "%(num)d herinneringen worden verstuurd.", n
        ),
        "success",
    )
    return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id))


@bp.route("/vragenlijsten/<int:questionnaire_id>/opnieuw", methods=["POST"])
@requires(PANELS_MANAGE)
def questionnaire_retry(questionnaire_id: int):  # type: ignore[no-untyped-def]
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    n = _mark_pending(q, Invitation.status, Invitation.status == FAILED)
    db.session.commit()
    if n:
        _queue_mailing(
            q, "send_invitations", N_("Opnieuw versturen: %(title)s"), remember_as="send_job_id"
        )
    flash(
        ngettext(
            "%(num)d mislukte uitnodiging wordt opnieuw verstuurd.",
            "%(num)d mislukte uitnodigingen worden opnieuw verstuurd.",
            n,
        ),
        "success",
    )
    return redirect(url_for(".questionnaire_detail", questionnaire_id=q.id))


@bp.route("/vragenlijsten/<int:questionnaire_id>/resultaten")
@requires(VIEW)
def questionnaire_results(questionnaire_id: int):  # type: ignore[no-untyped-def]
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    return form_page(
        "meedenkgroepen/questionnaire_results.html", q=q, r=results(current_municipality(), q)
    )


def _export_name(q: Questionnaire, ext: str) -> str:
    return f"vragenlijst-{q.id}-antwoorden.{ext}"


@bp.route("/vragenlijsten/<int:questionnaire_id>/antwoorden.csv")
@requires(VIEW)
def questionnaire_csv(questionnaire_id: int):  # type: ignore[no-untyped-def]
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    header, rows = export_rows(current_municipality(), q)
    record(
        "meedenkgroepen.results.exported",
        object_type="vragenlijst",
        object_id=q.id,
        details={"format": "csv"},
    )
    db.session.commit()
    return csv_response([safe_cell(h) for h in header], rows, _export_name(q, "csv"))


@bp.route("/vragenlijsten/<int:questionnaire_id>/antwoorden.xlsx")
@requires(VIEW)
def questionnaire_xlsx(questionnaire_id: int):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    header, rows = export_rows(current_municipality(), q)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Antwoorden")
    ws.append([safe_cell(h) for h in header])
    for row in rows:
        # every cell as text, quoted when it would start a formula
        ws.append([v if isinstance(v, int) else safe_cell(v) for v in row])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    record(
        "meedenkgroepen.results.exported",
        object_type="vragenlijst",
        object_id=q.id,
        details={"format": "xlsx"},
    )
    db.session.commit()
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_export_name(q, "xlsx")}"'},
    )


def _paper_form(q: Questionnaire) -> PaperResponseForm:
    form = PaperResponseForm()
    open_invitations = (
        db.session.execute(
            scoped(Invitation)
            .where(Invitation.questionnaire_id == q.id, Invitation.answered_at.is_(None))
            .options(joinedload(Invitation.resident))  # the names in one query
        )
        .scalars()
        .all()
    )
    form.invitation_id.choices = [
        (0, _("— Niet bekend of niet vastleggen —")),
        *sorted(
            ((i.id, i.resident.name) for i in open_invitations if i.resident is not None),
            key=lambda c: c[1],
        ),
    ]
    return form


@bp.route("/vragenlijsten/<int:questionnaire_id>/papier", methods=["GET", "POST"])
@requires(PANELS_MANAGE)
def questionnaire_paper(questionnaire_id: int):  # type: ignore[no-untyped-def]
    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    form = _paper_form(q)
    answer_errors: dict[int, str] = {}
    values = request.form if request.method == "POST" else None
    if request.method == "POST":
        valid = form.validate_on_submit()
        answers, answer_errors = parse_answers(q.questions, request.form)
        if not answers and not answer_errors and q.questions:
            # every question is optional, but a record without one answer is a slip of the
            # keyboard, not a response: counted, it would lower every percentage
            answer_errors[q.questions[0].id] = _(
                "Vul minstens één antwoord in: een lege vragenlijst wordt niet meegeteld."
            )
        if valid and not answer_errors:
            if form.invitation_id.data:
                inv = get_scoped_or_404(Invitation, form.invitation_id.data)
                if inv.questionnaire_id != q.id or not mark_answered(
                    q.municipality_id, inv.id, form.channel.data
                ):
                    form.invitation_id.errors.append(
                        _("Deze inwoner heeft de vragenlijst al ingevuld.")
                    )
                    return _paper_page(q, form, answer_errors, values)
            store_response(
                q.municipality_id,
                q,
                answers,
                channel=form.channel.data,
                entered_by=current_user.username,
            )
            record(
                "meedenkgroepen.response.entered",
                object_type="vragenlijst",
                object_id=q.id,
                details={
                    "channel": form.channel.data,
                    "invitation": form.invitation_id.data or None,
                },
            )
            db.session.commit()
            flash(_("De antwoorden zijn vastgelegd."), "success")
            return redirect(url_for(".questionnaire_paper", questionnaire_id=q.id))
    return _paper_page(q, form, answer_errors, values)


def _paper_page(q, form, answer_errors, values):  # type: ignore[no-untyped-def]
    return form_page(
        "meedenkgroepen/questionnaire_paper.html",
        invalid=bool(answer_errors),
        q=q,
        form=form,
        errors=answer_errors,
        values=values,
    )
