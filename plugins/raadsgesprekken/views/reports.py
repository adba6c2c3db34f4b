"""Conversation reports: written by an assigned council member; every read is audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from intranet.plugin_api import _, db, form_page, record, record_now, requires

from ..forms import ReportForm
from ..models import CLOSED, HELD, REPORTED, ConversationReport, ReportIdea
from ..rules import can_move
from ..service import (
    actor_name,
    get_visible_appointment,
    is_assigned,
    is_clerk,
    list_labels,
    may_see_identifiable_report,
    set_status,
)
from . import bp


@bp.route("/gesprekken/<int:appointment_id>/verslag/schrijven", methods=["GET", "POST"])
@requires("raadsgesprekken.report")
def write_report(appointment_id: int):  # type: ignore[no-untyped-def]
    appt = get_visible_appointment(appointment_id)
    if not (is_assigned(appt) or is_clerk()):
        abort(403)
    statuses = {r.status for r in appt.requests}
    if appt.cancelled or not statuses or not statuses <= {HELD, REPORTED}:
        flash(
            _("Een verslag schrijft u na het gesprek, als het als gevoerd is gemarkeerd."), "error"
        )
        return redirect(url_for(".appointment", appointment_id=appt.id))
    report = appt.report
    form = ReportForm()
    form.themes.choices = [
        (t, t) for t in list_labels("theme", include=report.themes if report else [])
    ]
    form.feedback.choices = [(r.id, r.display_name) for r in appt.requests]
    if not form.is_submitted() and report is not None:
        form.themes.data = list(report.themes)
        form.important.data = report.important
        form.quotes.data = report.quotes
        form.ideas.data = "\n".join(i.text for i in report.ideas)
        form.feedback.data = [r.id for r in appt.requests if r.wants_feedback]
    if form.validate_on_submit():
        if report is None:
            report = ConversationReport(
                municipality_id=appt.municipality_id, appointment=appt, written_by=actor_name()
            )
            db.session.add(report)
        report.themes = list(form.themes.data)
        report.important = form.important.data.strip()
        report.quotes = (form.quotes.data or "").strip()
        report.written_by = actor_name()
        lines = [line.strip() for line in (form.ideas.data or "").splitlines() if line.strip()]
        kept = {i.text: i for i in report.ideas}
        for idea in list(report.ideas):
            if idea.text not in lines and not idea.answer:
                report.ideas.remove(idea)
        for line in lines:
            if line not in kept:
                report.ideas.append(ReportIdea(municipality_id=appt.municipality_id, text=line))
        wanted = set(form.feedback.data or [])
        for r in appt.requests:
            r.wants_feedback = r.id in wanted
            if can_move(r.status, REPORTED) and r.status != REPORTED:
                set_status(r, REPORTED)
        db.session.flush()
        record(
            "raadsgesprekken.report.written",
            object_type="raadsgesprekken_report",
            object_id=report.id,
            details={"appointment": appt.id},
        )
        db.session.commit()
        flash(_("Het verslag is opgeslagen."), "success")
        return redirect(url_for(".report", appointment_id=appt.id))
    return form_page("raadsgesprekken/report_form.html", form=form, appt=appt)


@bp.route("/gesprekken/<int:appointment_id>/verslag")
@requires("raadsgesprekken.reports.read")
def report(appointment_id: int):  # type: ignore[no-untyped-def]
    appt = get_visible_appointment(appointment_id)
    if appt.report is None or not may_see_identifiable_report(appt):
        abort(404)
    record_now(
        "raadsgesprekken.report.viewed",
        object_type="raadsgesprekken_report",
        object_id=appt.report.id,
        details={"appointment": appt.id},
    )
    return render_template(
        "raadsgesprekken/report.html",
        appt=appt,
        report=appt.report,
        may_edit=(is_assigned(appt) or is_clerk()) and not appt.report.anonymised_at,
        clerk=is_clerk(),
    )


@bp.route("/gesprekken/<int:appointment_id>/afronden", methods=["POST"])
@requires("raadsgesprekken.schedule")
def close(appointment_id: int):  # type: ignore[no-untyped-def]
    appt = get_visible_appointment(appointment_id)
    moved = 0
    for r in appt.requests:
        if can_move(r.status, CLOSED):
            set_status(r, CLOSED)
            moved += 1
    if moved:
        db.session.commit()
        flash(_("Het gesprek is afgerond."), "success")
    else:
        flash(_("Alleen een gesprek met een verslag kan worden afgerond."), "error")
    return redirect(url_for(".appointment", appointment_id=appt.id))
