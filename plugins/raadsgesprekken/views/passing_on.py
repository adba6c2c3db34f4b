"""The doorgeefluik: bundle a period's reports for the executive, record the executive's
answer per idea, and tell the residents who wanted to hear back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from intranet.plugin_api import (
    _,
    csv_response,
    current_municipality,
    db,
    dutch_date,
    form_page,
    get_scoped_or_404,
    is_htmx,
    ngettext,
    record,
    render_audited,
    requires,
    scoped,
    today,
    utcnow,
)

from .. import notify
from ..anonymise import scrub
from ..forms import AnswerForm, SummaryForm, SummarySentForm
from ..models import (
    CLOSED,
    CONSENT_ANONYMISED,
    CONSENT_CONTACT,
    ConversationAppointment,
    ConversationReport,
    ConversationRequest,
    ExecutiveSummary,
    ReportIdea,
    ResidentFeedback,
)
from ..rules import can_move
from ..service import (
    actor_name,
    consenting,
    in_default_language,
    local_to_utc,
    set_status,
    settings,
)
from . import bp


def _names(report: ConversationReport) -> list[str]:
    names = []
    for r in report.appointment.requests:
        if r.resident is not None:
            names.append(r.resident.name)
        if r.trusted_name:
            names.append(r.trusted_name)
    return names


def _usable(reports: list[ConversationReport]) -> list[ConversationReport]:
    """The reports that may go to the executive: those whose every resident consents to
    anonymised use of what they told (the rule of ``may_contact``, one query for all)."""
    may = consenting(
        (r for report in reports for r in report.appointment.requests), CONSENT_ANONYMISED
    )
    return [
        report
        for report in reports
        if all(r.resident is None or r.resident_id in may for r in report.appointment.requests)
    ]


#: a report with its conversation's requests and residents, and its ideas, read at once
_REPORT_LOADS = (
    selectinload(ConversationReport.appointment)
    .selectinload(ConversationAppointment.requests)
    .selectinload(ConversationRequest.resident),
    selectinload(ConversationReport.ideas),
)


def summary_content(summary: ExecutiveSummary) -> dict:  # type: ignore[type-arg]
    """Themes with counts, anonymised quotes and ideas: what the executive gets to see.

    Checked each time it is shown, printed or exported: a consent withdrawn after the bundle
    was made takes that conversation out of it.
    """
    reports = _usable(
        db.session.execute(
            scoped(ConversationReport)
            .where(ConversationReport.id.in_(summary.report_ids or [-1]))
            .order_by(ConversationReport.id)
            .options(*_REPORT_LOADS)
        )
        .scalars()
        .all()
    )
    themes = Counter(t for r in reports for t in r.themes)
    quotes = []
    for r in reports:
        names = _names(r)
        quotes.extend((", ".join(r.themes), scrub(q, names)) for q in r.quote_list)
    ideas = []
    for r in reports:
        names = _names(r)
        for idea in r.ideas:
            if idea.summary_id == summary.id:
                ideas.append((idea, scrub(idea.text, names), ", ".join(r.themes)))
    return {
        "reports": reports,
        "conversations": len(reports),
        "residents": sum(len(r.appointment.requests) for r in reports),
        "themes": themes.most_common(),
        "quotes": quotes,
        "ideas": ideas,
    }


@dataclass(frozen=True)
class LoopCounts:
    """Where the ideas stand on their way to the college and back (for the widget)."""

    not_passed_on: int  # ideas in reports not yet bundled into a summary
    unanswered: int  # ideas in a summary without the college's answer
    overdue_ideas: int  # of those: in a summary whose answer term has passed
    overdue_summaries: int


def executive_loop_counts(municipality=None, on: date | None = None) -> LoopCounts:  # type: ignore[no-untyped-def]
    """Count unanswered ideas and overdue answers, the term in working days after sending."""
    municipality = municipality or current_municipality()
    on = on or today()
    not_passed_on = db.session.execute(
        select(func.count()).select_from(
            scoped(ReportIdea, municipality).where(ReportIdea.summary_id.is_(None)).subquery()
        )
    ).scalar_one()
    unanswered = overdue_ideas = overdue_summaries = 0
    for summ in db.session.execute(scoped(ExecutiveSummary, municipality)).scalars():
        open_ideas = len(summ.unanswered())
        unanswered += open_ideas
        if summ.is_overdue(on):
            overdue_ideas += open_ideas
            overdue_summaries += 1
    return LoopCounts(not_passed_on, unanswered, overdue_ideas, overdue_summaries)


@bp.route("/doorgeefluik")
@requires("raadsgesprekken.pass_on")
def summaries():  # type: ignore[no-untyped-def]
    rows = db.session.execute(
        scoped(ExecutiveSummary).order_by(ExecutiveSummary.period_start.desc())
    ).scalars()
    return render_template(
        "raadsgesprekken/summaries.html",
        rows=list(rows),
        today=today(),
        loops=executive_loop_counts(),
    )


@bp.route("/doorgeefluik/nieuw", methods=["GET", "POST"])
@requires("raadsgesprekken.pass_on")
def new_summary():  # type: ignore[no-untyped-def]
    form = SummaryForm()
    if form.validate_on_submit():
        start = local_to_utc(form.period_start.data, time(0, 0))
        end = local_to_utc(form.period_end.data + timedelta(days=1), time(0, 0))
        reports = (
            db.session.execute(
                scoped(ConversationReport)
                .join(
                    ConversationAppointment,
                    ConversationAppointment.id == ConversationReport.appointment_id,
                )
                .where(
                    ConversationAppointment.starts_at >= start,
                    ConversationAppointment.starts_at < end,
                )
                .order_by(ConversationAppointment.starts_at)
            )
            .scalars()
            .all()
        )
        reports = _usable(list(reports))  # bundled only with anonymised-use consent
        if not reports:
            form.period_end.errors = [
                *form.period_end.errors,
                _("In deze periode zijn geen verslagen geschreven."),
            ]
        else:
            summary = ExecutiveSummary(
                municipality_id=current_municipality().id,
                title=form.title.data.strip(),
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                created_by=actor_name(),
                report_ids=[r.id for r in reports],
            )
            db.session.add(summary)
            db.session.flush()
            for r in reports:
                for idea in r.ideas:
                    if idea.summary_id is None:
                        idea.summary_id = summary.id
            record(
                "raadsgesprekken.summary.created",
                object_type="raadsgesprekken_summary",
                object_id=summary.id,
                details={"reports": summary.report_ids},
            )
            db.session.commit()
            flash(_("De samenvatting voor het college is gemaakt."), "success")
            return redirect(url_for(".summary", summary_id=summary.id))
    return form_page("raadsgesprekken/summary_form.html", form=form)


def _feedback_requests(summary: ExecutiveSummary, content: dict) -> list[ConversationRequest]:  # type: ignore[type-arg]
    wanting = [
        r for report in content["reports"] for r in report.appointment.requests if r.wants_feedback
    ]
    may = consenting(wanting, CONSENT_CONTACT)
    return [r for r in wanting if r.resident is not None and r.resident_id in may]


@bp.route("/doorgeefluik/<int:summary_id>")
@requires("raadsgesprekken.pass_on")
def summary(summary_id: int):  # type: ignore[no-untyped-def]
    summ = get_scoped_or_404(ExecutiveSummary, summary_id)
    content = summary_content(summ)
    sent = {
        f.request_id: f
        for f in db.session.execute(
            scoped(ResidentFeedback).where(ResidentFeedback.summary_id == summ.id)
        ).scalars()
    }
    record(
        "raadsgesprekken.summary.viewed",
        object_type="raadsgesprekken_summary",
        object_id=summ.id,
    )
    return render_audited(
        "raadsgesprekken/summary.html",
        summary=summ,
        content=content,
        answer_form=AnswerForm(),
        sent_form=_sent_form(summ),
        feedback_requests=_feedback_requests(summ, content),
        sent=sent,
        all_answered=all(i.answer for i, *_ in content["ideas"]),
        today=today(),
    )


def _sent_form(summ: ExecutiveSummary) -> SummarySentForm:
    """The form prefilled with what was recorded (a new one gets the default term)."""
    form = SummarySentForm(formdata=None)
    if summ.sent_on is not None:
        form.sent_on.data = summ.sent_on
    if summ.answer_term_days is not None:
        form.answer_term_days.data = summ.answer_term_days
    return form


@bp.route("/doorgeefluik/<int:summary_id>/verstuurd", methods=["POST"])
@requires("raadsgesprekken.pass_on")
def summary_sent(summary_id: int):  # type: ignore[no-untyped-def]
    """Record when the summary went to the college and the term for its answers."""
    summ = get_scoped_or_404(ExecutiveSummary, summary_id)
    form = SummarySentForm()
    if not form.validate_on_submit():
        content = summary_content(summ)
        return form_page(
            "raadsgesprekken/summary.html",
            summary=summ,
            content=content,
            answer_form=AnswerForm(formdata=None),
            sent_form=form,
            feedback_requests=_feedback_requests(summ, content),
            sent={},
            all_answered=all(i.answer for i, *_ in content["ideas"]),
            today=today(),
        )
    summ.sent_on = form.sent_on.data
    summ.answer_term_days = form.answer_term_days.data
    record(
        "raadsgesprekken.summary.sent",
        object_type="raadsgesprekken_summary",
        object_id=summ.id,
        details={"sent_on": summ.sent_on.isoformat(), "term": summ.answer_term_days},
    )
    db.session.commit()
    flash(
        _(
            "Vastgelegd: verstuurd op %(sent)s, antwoord verwacht uiterlijk %(due)s.",
            sent=dutch_date(summ.sent_on),
            due=dutch_date(summ.answer_due),
        ),
        "success",
    )
    return redirect(url_for(".summary", summary_id=summ.id))


@bp.route("/doorgeefluik/<int:summary_id>/afdrukken")
@requires("raadsgesprekken.pass_on")
def summary_print(summary_id: int):  # type: ignore[no-untyped-def]
    summ = get_scoped_or_404(ExecutiveSummary, summary_id)
    return render_template(
        "raadsgesprekken/summary_print.html",
        summary=summ,
        content=summary_content(summ),
        municipality=current_municipality(),
    )


@bp.route("/doorgeefluik/<int:summary_id>/export.csv")
@requires("raadsgesprekken.pass_on")
def summary_csv(summary_id: int):  # type: ignore[no-untyped-def]
    summ = get_scoped_or_404(ExecutiveSummary, summary_id)
    content = summary_content(summ)
    rows: list[list[object]] = [["thema", theme, count, ""] for theme, count in content["themes"]]
    rows += [["citaat", themes, "", text] for themes, text in content["quotes"]]
    rows += [["idee", themes, idea.answer or "", text] for idea, text, themes in content["ideas"]]
    record(
        "raadsgesprekken.summary.exported",
        object_type="raadsgesprekken_summary",
        object_id=summ.id,
    )
    db.session.commit()
    return csv_response(
        [_("soort"), _("thema('s)"), _("aantal of antwoord college"), _("tekst")],
        rows,
        f"doorgeefluik-{summ.period_start.isoformat()}-{summ.period_end.isoformat()}.csv",
    )


@bp.route("/doorgeefluik/ideeen/<int:idea_id>/antwoord", methods=["POST"])
@requires("raadsgesprekken.pass_on")
def answer(idea_id: int):  # type: ignore[no-untyped-def]
    """The executive's answer to one idea. A plain post reloads the summary at the idea; an
    htmx post (answering idea after idea) gets the idea's section back, with the focus on the
    next idea's answer box, or the refused box with its Dutch error next to it (400)."""
    idea = get_scoped_or_404(ReportIdea, idea_id)
    if idea.summary_id is None:
        abort(404)
    form = AnswerForm()
    form.answer.id = f"answer-{idea.id}"  # the error summary links to this idea's box
    if not form.validate_on_submit():
        summ = get_scoped_or_404(ExecutiveSummary, idea.summary_id)
        content = summary_content(summ)
        if is_htmx():
            return _idea_fragment(summ, content, idea, form=form), 400
        return form_page(
            "raadsgesprekken/summary.html",
            summary=summ,
            content=content,
            answer_form=form,
            sent_form=_sent_form(summ),
            error_idea=idea.id,
            feedback_requests=_feedback_requests(summ, content),
            sent={},
            all_answered=False,
            today=today(),
        )
    idea.answer = form.answer.data.strip()
    idea.answered_at = utcnow()
    idea.answered_by = actor_name()
    record("raadsgesprekken.idea.answered", object_type="raadsgesprekken_idea", object_id=idea.id)
    db.session.commit()
    if is_htmx():
        summ = get_scoped_or_404(ExecutiveSummary, idea.summary_id)
        return _idea_fragment(summ, summary_content(summ), idea, saved=True)
    flash(_("Het antwoord van het college is vastgelegd."), "success")
    return redirect(url_for(".summary", summary_id=idea.summary_id, _anchor=f"idee-{idea.id}"))


def _idea_fragment(
    summ: ExecutiveSummary,
    content: dict,  # type: ignore[type-arg]
    idea: ReportIdea,
    *,
    form: AnswerForm | None = None,
    saved: bool = False,
) -> str:
    """One idea's section as the summary page renders it, for an htmx save."""
    ideas = content["ideas"]
    position = next((i for i, (each, *_rest) in enumerate(ideas) if each.id == idea.id), None)
    if position is None:  # not in the summary's period any more: let the page say so
        abort(404)
    _same, text, themes = ideas[position]
    if form is not None:
        focus = f"answer-{idea.id}"
    elif position + 1 < len(ideas):
        focus = f"answer-{ideas[position + 1][0].id}"
    else:
        focus = "idee-melding"
    return render_template(
        "raadsgesprekken/_idea_answer_response.html",
        summary=summ,
        idea=idea,
        text=text,
        themes=themes,
        number=position + 1,
        f=form,
        focus_id=focus,
        saved=saved,
        feedback_requests=_feedback_requests(summ, content),
        all_answered=all(i.answer for i, *_ in ideas),
    )


def _answers_per_request(summ: ExecutiveSummary, content: dict) -> dict[int, list[tuple[str, str]]]:  # type: ignore[type-arg]
    out: dict[int, list[tuple[str, str]]] = {}
    for idea, _text, _themes in content["ideas"]:
        for r in idea.report.appointment.requests:
            out.setdefault(r.id, []).append((idea.text, idea.answer))
    return out


@bp.route("/doorgeefluik/<int:summary_id>/terugkoppelen", methods=["POST"])
@requires("raadsgesprekken.pass_on")
def send_feedback(summary_id: int):  # type: ignore[no-untyped-def]
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        abort(400)
    summ = get_scoped_or_404(ExecutiveSummary, summary_id)
    content = summary_content(summ)
    if not all(i.answer for i, *_ in content["ideas"]):
        flash(_("Leg eerst bij elk idee het antwoord van het college vast."), "error")
        return redirect(url_for(".summary", summary_id=summ.id))
    done = {
        f.request_id
        for f in db.session.execute(
            scoped(ResidentFeedback).where(ResidentFeedback.summary_id == summ.id)
        ).scalars()
    }
    todo = [r for r in _feedback_requests(summ, content) if r.id not in done]
    outcome = notify.send_feedback(summ, todo, _answers_per_request(summ, content))
    mailed = set(outcome.mailed)
    for r in todo:
        if r.resident.email and r.resident.email in mailed:
            method = "mail"
        elif not r.resident.email:
            method = "letter"
        else:
            continue  # mail failed: try again later
        db.session.add(
            ResidentFeedback(
                municipality_id=summ.municipality_id,
                summary_id=summ.id,
                request_id=r.id,
                method=method,
                sent_by=actor_name(),
            )
        )
    for report in content["reports"]:
        for r in report.appointment.requests:
            if can_move(r.status, CLOSED) and (not r.wants_feedback or r.id in done or r in todo):
                set_status(r, CLOSED, reason="Teruggekoppeld" if r.wants_feedback else "")
    record(
        "raadsgesprekken.feedback.sent",
        object_type="raadsgesprekken_summary",
        object_id=summ.id,
        details={
            "mailed": len(outcome.mailed),
            "letters": len(outcome.letters),
            "failed": len(outcome.failed),
        },
    )
    db.session.commit()
    if outcome.mailed:
        flash(
            ngettext(
                "Terugkoppeling per e-mail verstuurd aan %(num)d inwoner.",
                "Terugkoppeling per e-mail verstuurd aan %(num)d inwoners.",
                len(outcome.mailed),
            ),
            "success",
        )
    if outcome.letters:
        flash(
            ngettext(
                "%(num)d inwoner zonder e-mailadres krijgt een brief: print de brief.",
                "%(num)d inwoners zonder e-mailadres krijgen een brief: print de brieven.",
                len(outcome.letters),
            ),
            "info",
        )
    if outcome.failed:
        flash(
            ngettext(
                "%(num)d e-mail kon niet worden verstuurd; probeer het later opnieuw.",
                "%(num)d e-mails konden niet worden verstuurd; probeer het later opnieuw.",
                len(outcome.failed),
            ),
            "error",
        )
    if not todo:
        flash(_("Er was niemand meer om terug te koppelen."), "info")
    return redirect(url_for(".summary", summary_id=summ.id))


@bp.route("/doorgeefluik/<int:summary_id>/brieven")
@requires("raadsgesprekken.pass_on")
def feedback_letters(summary_id: int):  # type: ignore[no-untyped-def]
    summ = get_scoped_or_404(ExecutiveSummary, summary_id)
    content = summary_content(summ)
    letters = [r for r in _feedback_requests(summ, content) if not r.resident.email]
    record(
        "raadsgesprekken.letter.printed",
        object_type="raadsgesprekken_summary",
        object_id=summ.id,
        details={"kind": "feedback", "requests": [r.id for r in letters]},
    )
    with in_default_language():  # letters to residents
        return render_audited(
            "raadsgesprekken/letter_feedback.html",
            summary=summ,
            letters=letters,
            answers=_answers_per_request(summ, content),
            settings=settings(),
            municipality=current_municipality(),
        )
