"""The agreed values and the reverse test (omgekeerde toets) of each advice file."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    record,
    render_audited,
    requires,
    scoped,
)

from .. import service
from ..forms import AssessmentForm, ExplanationForm, ValueForm
from ..models import AdviceFile, AdviceValueAssessment, AgreedValue
from . import bp


@bp.route("/waarden", methods=["GET", "POST"])
@requires("adviescommissie.view")
def values():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    service.ensure_default_values(municipality)
    db.session.commit()
    rows = list(
        db.session.execute(
            scoped(AgreedValue).order_by(
                AgreedValue.active.desc(), AgreedValue.position, AgreedValue.id
            )
        ).scalars()
    )
    return render_template("adviescommissie/values.html", values=rows, form=ValueForm())


@bp.route("/waarden/nieuw", methods=["POST"])
@requires("adviescommissie.manage")
def add_value():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = ValueForm()
    if not form.validate_on_submit():
        rows = list(
            db.session.execute(scoped(AgreedValue).order_by(AgreedValue.position)).scalars()
        )
        return form_page("adviescommissie/values.html", values=rows, form=form)
    position = max(
        (v.position for v in db.session.execute(scoped(AgreedValue)).scalars()), default=0
    )
    value = AgreedValue(
        municipality_id=municipality.id,
        position=position + 1,
        name=form.name.data.strip(),
        agreements=form.agreements.data or "",
    )
    db.session.add(value)
    db.session.flush()
    record("adviescommissie.value_added", object_type="adviescommissie_value", object_id=value.id)
    db.session.commit()
    flash(_("De waarde is toegevoegd."), "success")
    return redirect(url_for(".values"))


@bp.route("/waarden/<int:value_id>/bewerken", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def edit_value(value_id: int):  # type: ignore[no-untyped-def]
    value = get_scoped_or_404(AgreedValue, value_id)
    form = ValueForm(obj=value)
    if form.validate_on_submit():
        value.name = form.name.data.strip()
        value.agreements = form.agreements.data or ""
        record(
            "adviescommissie.value_changed", object_type="adviescommissie_value", object_id=value.id
        )
        db.session.commit()
        flash(_("De waarde is opgeslagen."), "success")
        return redirect(url_for(".values"))
    return form_page("adviescommissie/value_form.html", form=form, value=value)


@bp.route("/waarden/<int:value_id>/actief", methods=["POST"])
@requires("adviescommissie.manage")
def toggle_value(value_id: int):  # type: ignore[no-untyped-def]
    value = get_scoped_or_404(AgreedValue, value_id)
    value.active = not value.active
    record(
        "adviescommissie.value_toggled",
        object_type="adviescommissie_value",
        object_id=value.id,
        details={"active": value.active},
    )
    db.session.commit()
    flash(_("De waarde is bijgewerkt."), "success")
    return redirect(url_for(".values"))


def _assessment(advice: AdviceFile, value: AgreedValue) -> AdviceValueAssessment:
    for existing in advice.assessments:
        if existing.value_id == value.id:
            return existing
    row = AdviceValueAssessment(municipality_id=advice.municipality_id, value_id=value.id)
    advice.assessments.append(row)
    return row


def render_test(advice: AdviceFile, status: int = 200, given: dict | None = None):  # type: ignore[no-untyped-def]
    """The reverse-test page; ``given`` maps ("e"|"a", value id) to a form with errors."""
    given = given or {}
    municipality = current_municipality()
    service.ensure_default_values(municipality)
    values = service.active_values(municipality)
    by_value = {a.value_id: a for a in advice.assessments}
    rows = []
    for value in values:
        a = by_value.get(value.id)
        explanation_form = given.get(("e", value.id)) or ExplanationForm(
            formdata=None, prefix=f"e{value.id}", explanation=a.explanation if a else ""
        )
        assessment_form = given.get(("a", value.id)) or AssessmentForm(
            formdata=None,
            prefix=f"a{value.id}",
            assessment=(a.assessment if a and a.assessment else "serves"),
            assessment_note=a.assessment_note if a else "",
        )
        rows.append((value, a, explanation_form, assessment_form))
    return render_audited("adviescommissie/value_test.html", advice=advice, rows=rows), status


@bp.route("/dossiers/<int:advice_id>/waarden")
@requires("adviescommissie.view")
def value_test(advice_id: int):  # type: ignore[no-untyped-def]
    return render_test(get_scoped_or_404(AdviceFile, advice_id))


def _active_value(value_id: int) -> AgreedValue:
    value = get_scoped_or_404(AgreedValue, value_id)
    if not value.active:
        abort(404)
    return value


@bp.route("/dossiers/<int:advice_id>/waarden/<int:value_id>/toelichting", methods=["POST"])
@requires("adviescommissie.respond")
def save_explanation(advice_id: int, value_id: int):  # type: ignore[no-untyped-def]
    """The municipality explains how the proposal serves this value."""
    advice = get_scoped_or_404(AdviceFile, advice_id)
    value = _active_value(value_id)
    form = ExplanationForm(prefix=f"e{value.id}")
    if not form.validate_on_submit():
        return render_test(advice, 400, {("e", value.id): form})
    _assessment(advice, value).explanation = form.explanation.data
    record(
        "adviescommissie.value_explained",
        object_type="adviescommissie_advice",
        object_id=advice.id,
        details={"value": value.id},
    )
    db.session.commit()
    flash(_("De toelichting bij „%(name)s” is opgeslagen.", name=value.name), "success")
    return redirect(url_for(".value_test", advice_id=advice.id))


@bp.route("/dossiers/<int:advice_id>/waarden/<int:value_id>/oordeel", methods=["POST"])
@requires("adviescommissie.member")
def save_assessment(advice_id: int, value_id: int):  # type: ignore[no-untyped-def]
    """The committee's assessment of the proposal against this value."""
    advice = get_scoped_or_404(AdviceFile, advice_id)
    value = _active_value(value_id)
    form = AssessmentForm(prefix=f"a{value.id}")
    if not form.validate_on_submit():
        return render_test(advice, 400, {("a", value.id): form})
    row = _assessment(advice, value)
    row.assessment = form.assessment.data
    row.assessment_note = form.assessment_note.data or ""
    record(
        "adviescommissie.value_assessed",
        object_type="adviescommissie_advice",
        object_id=advice.id,
        details={"value": value.id, "assessment": row.assessment},
    )
    db.session.commit()
    flash(_("Het oordeel bij „%(name)s” is opgeslagen.", name=value.name), "success")
    return redirect(url_for(".value_test", advice_id=advice.id))
