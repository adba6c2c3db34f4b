"""The question bank: reusable questions, with a starter set in the spirit of QueZ, offered to
the questionnaire builder of meedenkgroepen through the intranet_question_bank hook."""

from __future__ import annotations

from flask import flash, redirect, url_for

from intranet.plugin_api import _, current_municipality, db, record, requires, scoped

from ..forms import BankQuestionForm
from ..models import BankQuestion
from ..questionbank import seed_starter_set
from . import PLAN_MANAGE, VIEW, bp, page


def _page(form: BankQuestionForm | None = None):  # type: ignore[no-untyped-def]
    questions = (
        db.session.execute(scoped(BankQuestion).order_by(BankQuestion.theme, BankQuestion.id))
        .scalars()
        .all()
    )
    form = form or BankQuestionForm()
    return page("questions.html", form, questions=questions, form=form)


@bp.route("/vragenbank")
@requires(VIEW)
def questions():  # type: ignore[no-untyped-def]
    return _page()


@bp.route("/vragenbank/nieuw", methods=["POST"])
@requires(PLAN_MANAGE)
def question_add():  # type: ignore[no-untyped-def]
    form = BankQuestionForm()
    if not form.validate_on_submit():
        return _page(form)
    question = BankQuestion(
        municipality_id=current_municipality().id,
        theme=(form.theme.data or "").strip(),
        kind=form.kind.data,
        text=form.text.data.strip(),
        options=form.option_list() if form.kind.data in ("single", "multiple") else [],
    )
    db.session.add(question)
    db.session.flush()
    record(
        "participatieplan.question.created",
        object_type="participatieplan_question",
        object_id=question.id,
    )
    db.session.commit()
    flash(_("De vraag staat in de vragenbank."), "success")
    return redirect(url_for(".questions"))


@bp.route("/vragenbank/startset", methods=["POST"])
@requires(PLAN_MANAGE)
def question_starter_set():  # type: ignore[no-untyped-def]
    added = seed_starter_set(current_municipality())
    record(
        "participatieplan.question.starter_set",
        object_type="participatieplan_question",
        details={"added": added},
    )
    db.session.commit()
    flash(_("%(n)s vragen uit de startset toegevoegd.", n=added), "success")
    return redirect(url_for(".questions"))
