"""The register of advice files: requests, unsolicited advice, the advice, the responses."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from intranet.plugin_api import (
    Column,
    Filter,
    Listing,
    Organisation,
    _,
    _l,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    is_htmx,
    like_pattern,
    record,
    requires,
    scoped,
)

from .. import deadlines, service, states
from ..forms import (
    AdviceRequestForm,
    AdviceTextForm,
    ConsultationForm,
    FollowupForm,
    ParticipationForm,
    RecommendationForm,
    ResponseForm,
)
from ..models import (
    POLICY_AREAS,
    AdviceConsultation,
    AdviceFile,
    AdviceRecommendation,
    AdviceStatusChange,
)
from . import bp
from .common import permissions, today

ADVICE_FILES = Listing(
    "adviescommissie.index",
    columns=[
        Column("onderwerp", _l("Onderwerp"), AdviceFile.subject),
        Column("beleidsterrein", _l("Beleidsterrein"), AdviceFile.policy_area),
        Column("ontvangen", _l("Ontvangen"), AdviceFile.received_on, first="af"),
        Column("uiterste-datum", _l("Uiterste datum"), AdviceFile.deadline),
        Column("status", _l("Status"), AdviceFile.status),
    ],
    default_sort="ontvangen",
    default_order="af",
    filters=[
        Filter(
            "zoek",
            _l("Zoek op onderwerp"),
            lambda stmt, value: stmt.where(AdviceFile.subject.ilike(like_pattern(value))),
        ),
        Filter(
            "status",
            _l("Status"),
            lambda stmt, value: stmt.where(AdviceFile.status == value),
            choices=list(states.STATUSES.items()),
        ),
        Filter(
            "soort",
            _l("Soort"),
            lambda stmt, value: stmt.where(AdviceFile.solicited.is_(value == "gevraagd")),
            choices=[("gevraagd", _l("Gevraagd advies")), ("ongevraagd", _l("Ongevraagd advies"))],
        ),
        Filter(
            "beleidsterrein",
            _l("Beleidsterrein"),
            lambda stmt, value: stmt.where(AdviceFile.policy_area == value),
            choices=list(POLICY_AREAS.items()),
        ),
    ],
    per_page=50,
    tiebreak=AdviceFile.id.desc(),
)


@bp.route("/")
@requires("adviescommissie.view")
def index():  # type: ignore[no-untyped-def]
    listing = ADVICE_FILES.run(scoped(AdviceFile))
    return render_template(
        "adviescommissie/index.html",
        files=listing.items,
        listing=listing,
        status=listing.values["status"],
        kind=listing.values["soort"],
        statuses=states.STATUSES,
        today=today(),
        is_overdue=deadlines.is_overdue,
    )


def _fill(advice: AdviceFile, form: AdviceRequestForm) -> None:
    advice.subject = form.subject.data.strip()
    advice.policy_area = form.policy_area.data
    advice.subject_kind = form.subject_kind.data
    advice.department = (form.department.data or "").strip()
    advice.official = (form.official.data or "").strip()
    advice.description = form.description.data or ""
    advice.documents = form.documents.data or ""
    advice.received_on = form.received_on.data
    advice.timeliness = form.timeliness.data or ""
    advice.timeliness_note = form.timeliness_note.data or ""
    if advice.solicited:
        advice.deadline = form.deadline.data or deadlines.advice_deadline(form.received_on.data)
    else:
        advice.deadline = form.deadline.data
    advice.decision_date = form.decision_date.data
    computed = deadlines.timeliness_for(advice.deadline, advice.decision_date)
    if advice.solicited and computed is not None:
        advice.timeliness = computed  # judged from the decision date, not by hand


def _create(solicited: bool):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = AdviceRequestForm()
    if not solicited:
        form.received_on.label.text = _("Datum gestart")
        form.deadline.label.text = _("Streefdatum advies")
        form.deadline.description = _("Mag leeg blijven.")
    if form.validate_on_submit():
        advice = AdviceFile(
            municipality_id=municipality.id,
            solicited=solicited,
            status=states.initial_status(solicited),
            created_by=current_user.username,
        )
        _fill(advice, form)
        db.session.add(advice)
        db.session.flush()
        db.session.add(
            AdviceStatusChange(
                municipality_id=municipality.id,
                advice_id=advice.id,
                from_status=None,
                to_status=advice.status,
                by=current_user.username,
            )
        )
        record(
            "adviescommissie.created",
            object_type="adviescommissie_advice",
            object_id=advice.id,
            details={"solicited": solicited},
        )
        db.session.commit()
        flash(_("Het dossier is geregistreerd."), "success")
        return redirect(url_for(".detail", advice_id=advice.id))
    return form_page(
        "adviescommissie/request_form.html", form=form, advice=None, solicited=solicited
    )


@bp.route("/aanvragen/nieuw", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def create_request():  # type: ignore[no-untyped-def]
    return _create(True)


@bp.route("/ongevraagd/nieuw", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def create_unsolicited():  # type: ignore[no-untyped-def]
    return _create(False)


@bp.route("/dossiers/<int:advice_id>/bewerken", methods=["GET", "POST"])
@requires("adviescommissie.manage")
def edit(advice_id: int):  # type: ignore[no-untyped-def]
    advice = get_scoped_or_404(AdviceFile, advice_id)
    form = AdviceRequestForm(obj=advice)
    if form.validate_on_submit():
        _fill(advice, form)
        record("adviescommissie.changed", object_type="adviescommissie_advice", object_id=advice.id)
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".detail", advice_id=advice.id))
    return form_page(
        "adviescommissie/request_form.html", form=form, advice=advice, solicited=advice.solicited
    )


def _recommendation_form(**kwargs) -> RecommendationForm:  # type: ignore[no-untyped-def]
    """The add-a-recommendation form; its box has an id of its own for focus and errors."""
    form = RecommendationForm(**kwargs)
    form.text.id = "aanbeveling-tekst"
    return form


def _detail_context(advice: AdviceFile, **forms) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """What the file's page and its in-place (htmx) fragments render from; ``forms`` replace
    the blank forms (to show errors after a POST)."""
    held = permissions()
    text_form = forms.get("text_form") or AdviceTextForm(
        formdata=None, advice_text=advice.advice_text
    )
    recommendation_form = forms.get("recommendation_form") or _recommendation_form(formdata=None)
    response_forms = {}
    for rec in advice.recommendations:
        given = forms.get("response_forms", {}).get(rec.id)
        response_forms[rec.id] = given or ResponseForm(
            formdata=None,
            prefix=f"r{rec.id}",
            response=rec.response or "",
            reasoning=rec.reasoning,
        )
    open_for_advice = states.is_open_for_advice(advice.status)
    awaiting_response = states.is_awaiting_response(advice.status)
    transitions = states.allowed_targets(advice.status, held)
    facts = advice.facts()
    return {
        "advice": advice,
        "transitions": transitions,
        "blocker": states.blocker,
        "facts": facts,
        "ready_step": _ready_step(transitions, facts),
        "open_for_advice": open_for_advice,
        "awaiting_response": awaiting_response,
        "text_form": text_form,
        "recommendation_form": recommendation_form,
        "response_forms": response_forms,
    }


def _ready_step(transitions, facts):  # type: ignore[no-untyped-def]
    """The step the recommendations and responses lead to (adopt, or finish the response),
    once nothing blocks it; else None."""
    return next(
        (
            t
            for t in transitions
            if t.target in (states.ADOPTED, states.RESPONSE_RECEIVED)
            and not states.blocker(t.target, facts)
        ),
        None,
    )


def _open_sections(advice: AdviceFile, context: dict, forms: dict) -> dict[str, bool]:  # type: ignore[type-arg]
    """Which parts of the page are unfolded: the part the user works on at this status, and
    any part with a refused form; finished parts stay folded with their summary line."""
    status = advice.status
    refused = {name for name, form in forms.items() if getattr(form, "errors", None)}
    if any(f.errors for f in forms.get("response_forms", {}).values()):
        refused.add("response_forms")
    return {
        "gegevens": status == states.RECEIVED,
        "advies": context["open_for_advice"] or "text_form" in refused,
        "aanbevelingen": context["open_for_advice"]
        or context["awaiting_response"]
        or bool(refused & {"recommendation_form", "response_forms"}),
        "geraadpleegd": context["open_for_advice"] or "consultation_form" in refused,
        "participatie": context["open_for_advice"],
        "vervolg": status in (states.SENT, states.RESPONSE_RECEIVED) or "followup_form" in refused,
    }


def render_detail(advice: AdviceFile, status: int = 200, **forms):  # type: ignore[no-untyped-def]
    """The file's page; ``forms`` replace the blank forms (to show errors after a POST)."""
    context = _detail_context(advice, **forms)
    followup_form = forms.get("followup_form") or FollowupForm(
        formdata=None, followup_note=advice.followup_note
    )
    consultation_form = forms.get("consultation_form") or _consultation_form(formdata=None)
    target_url = None
    if advice.target_plugin:
        for target in service.participation_targets(current_municipality()):
            if (target.plugin, target.key) == (advice.target_plugin, advice.target_key):
                target_url = target.url
    return render_template(
        "adviescommissie/detail.html",
        **context,
        sections=_open_sections(advice, context, forms),
        text_saved=request.args.get("opgeslagen") == "advies" and status == 200,
        target_url=target_url,
        followup_form=followup_form,
        consultation_form=consultation_form,
        today=today(),
        is_overdue=deadlines.is_overdue,
    ), status


@bp.route("/dossiers/<int:advice_id>")
@requires("adviescommissie.view")
def detail(advice_id: int):  # type: ignore[no-untyped-def]
    return render_detail(get_scoped_or_404(AdviceFile, advice_id))


@bp.route("/dossiers/<int:advice_id>/status", methods=["POST"])
@requires("adviescommissie.view")
def change_status(advice_id: int):  # type: ignore[no-untyped-def]
    """Take one step in the status flow; the state machine decides who may take which step."""
    advice = get_scoped_or_404(AdviceFile, advice_id)
    target = request.form.get("target", "")
    try:
        service.move(advice, target, permissions(), current_user.username, today())
    except PermissionError:
        abort(403)
    except states.TransitionError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return render_detail(advice, status=400)
    db.session.commit()
    flash(_("Het dossier staat nu op „%(status)s”.", status=advice.status_label), "success")
    return redirect(url_for(".detail", advice_id=advice.id))


def _require_open(advice: AdviceFile) -> bool:
    if states.is_open_for_advice(advice.status):
        return True
    flash(_("Het advies is al vastgesteld; draai de vaststelling eerst terug."), "error")
    return False


@bp.route("/dossiers/<int:advice_id>/advies", methods=["POST"])
@requires("adviescommissie.member")
def save_text(advice_id: int):  # type: ignore[no-untyped-def]
    advice = get_scoped_or_404(AdviceFile, advice_id)
    if not _require_open(advice):
        return render_detail(advice, status=409)
    form = AdviceTextForm()
    if not form.validate_on_submit():
        return render_detail(advice, status=400, text_form=form)
    advice.advice_text = form.advice_text.data
    record("adviescommissie.advice_text", object_type="adviescommissie_advice", object_id=advice.id)
    db.session.commit()
    # the confirmation stands just before the recommendation box, where the secretary goes
    # on (focused with JavaScript; without it the anchor puts the next Tab in the box)
    return redirect(
        url_for(".detail", advice_id=advice.id, opgeslagen="advies", _anchor="advies-opgeslagen")
    )


@bp.route("/dossiers/<int:advice_id>/aanbevelingen", methods=["POST"])
@requires("adviescommissie.member")
def add_recommendation(advice_id: int):  # type: ignore[no-untyped-def]
    advice = get_scoped_or_404(AdviceFile, advice_id)
    if not _require_open(advice):
        return render_detail(advice, status=409)
    form = _recommendation_form()
    if not form.validate_on_submit():
        if is_htmx():
            return _recommendations_fragment(advice, form=form), 400
        return render_detail(advice, status=400, recommendation_form=form)
    number = max((r.number for r in advice.recommendations), default=0) + 1
    advice.recommendations.append(
        AdviceRecommendation(
            municipality_id=advice.municipality_id, number=number, text=form.text.data
        )
    )
    record(
        "adviescommissie.recommendation_added",
        object_type="adviescommissie_advice",
        object_id=advice.id,
        details={"number": number},
    )
    db.session.commit()
    message = _("Aanbeveling %(number)s is toegevoegd.", number=number)
    if is_htmx():
        return _recommendations_fragment(advice, message=message)
    flash(message, "success")
    return redirect(url_for(".detail", advice_id=advice.id, _anchor="aanbeveling-toevoegen"))


def _recommendations_fragment(
    advice: AdviceFile, *, form: RecommendationForm | None = None, message: str = ""
) -> str:
    """The recommendations with the add box, for an htmx add: the focus back in the box
    (empty after a save, with its Dutch error after a refusal)."""
    context = _detail_context(advice, **({"recommendation_form": form} if form else {}))
    refused = form is not None and bool(form.errors)
    return render_template(
        "adviescommissie/_recommendations_response.html",
        **context,
        # refused: the summary by the box, which lists and links the error
        focus_id="aanbeveling-foutmeldingen" if refused else context["recommendation_form"].text.id,
        message=message,
        inline=True,
    )


def _recommendation(advice: AdviceFile, recommendation_id: int) -> AdviceRecommendation:
    rec = get_scoped_or_404(AdviceRecommendation, recommendation_id)
    if rec.advice_id != advice.id:
        abort(404)
    return rec


@bp.route(
    "/dossiers/<int:advice_id>/aanbevelingen/<int:recommendation_id>/verwijderen",
    methods=["POST"],
)
@requires("adviescommissie.member")
def delete_recommendation(advice_id: int, recommendation_id: int):  # type: ignore[no-untyped-def]
    advice = get_scoped_or_404(AdviceFile, advice_id)
    rec = _recommendation(advice, recommendation_id)
    if not _require_open(advice):
        return render_detail(advice, status=409)
    advice.recommendations.remove(rec)
    db.session.flush()
    # renumber so the numbers stay 1..n without gaps (two passes: the pair is unique)
    for offset, other in enumerate(advice.recommendations, start=1):
        other.number = 10000 + offset
    db.session.flush()
    for offset, other in enumerate(advice.recommendations, start=1):
        other.number = offset
    record(
        "adviescommissie.recommendation_deleted",
        object_type="adviescommissie_advice",
        object_id=advice.id,
    )
    db.session.commit()
    flash(_("De aanbeveling is verwijderd."), "success")
    return redirect(url_for(".detail", advice_id=advice.id, _anchor="aanbevelingen"))


@bp.route(
    "/dossiers/<int:advice_id>/aanbevelingen/<int:recommendation_id>/reactie",
    methods=["POST"],
)
@requires("adviescommissie.respond")
def respond(advice_id: int, recommendation_id: int):  # type: ignore[no-untyped-def]
    """The municipality's response to one recommendation, while the advice awaits it."""
    advice = get_scoped_or_404(AdviceFile, advice_id)
    rec = _recommendation(advice, recommendation_id)
    if not states.is_awaiting_response(advice.status):
        flash(_("Een reactie kan alleen worden vastgelegd als het advies is verzonden."), "error")
        return render_detail(advice, status=409)
    form = ResponseForm(prefix=f"r{rec.id}")
    if not form.validate_on_submit():
        if is_htmx():
            return _response_fragment(advice, rec, form=form), 400
        return render_detail(advice, status=400, response_forms={rec.id: form})
    rec.response = form.response.data
    rec.reasoning = form.reasoning.data
    rec.responded_on = today()
    rec.responded_by = current_user.username
    record(
        "adviescommissie.response",
        object_type="adviescommissie_advice",
        object_id=advice.id,
        details={"number": rec.number, "response": rec.response},
    )
    db.session.commit()
    message = _("De reactie op aanbeveling %(number)s is vastgelegd.", number=rec.number)
    if is_htmx():
        return _response_fragment(advice, rec, message=message)
    flash(message, "success")
    following = _following(advice, rec)
    if following is not None:
        anchor = f"aanbeveling-{following.id}"
    elif _ready_step(states.allowed_targets(advice.status, permissions()), advice.facts()):
        anchor = "dossier-acties"  # the next Tab is "Reactie van de gemeente afronden"
    else:
        anchor = "reacties"
    return redirect(url_for(".detail", advice_id=advice.id, _anchor=anchor))


def _following(advice: AdviceFile, rec: AdviceRecommendation) -> AdviceRecommendation | None:
    """Where the official goes on responding: the next recommendation without a response
    (after the last, the first one still open); None once every one has a response."""
    open_ones = [r for r in advice.recommendations if not r.response and r.id != rec.id]
    later = [r for r in open_ones if r.number > rec.number]
    return (later or open_ones or [None])[0]


def _response_fragment(
    advice: AdviceFile,
    rec: AdviceRecommendation,
    *,
    form: ResponseForm | None = None,
    message: str = "",
) -> str:
    """One recommendation, for an htmx response save: the focus on the next recommendation's
    response; once all have one, on the step that finishes the response (else the status
    line); or, refused, on the error summary by the form (each error also by its field)."""
    context = _detail_context(advice, **({"response_forms": {rec.id: form}} if form else {}))
    if form is not None:
        focus = f"aanbeveling-{rec.id}-foutmeldingen"  # the summary by the form, focused
    else:
        following = _following(advice, rec)
        if following is not None:
            focus = context["response_forms"][following.id].response.id
        elif context["ready_step"] is not None:
            focus = f"stap-{context['ready_step'].target}"  # all answered: finish the response
        else:
            focus = "aanbeveling-melding"
    return render_template(
        "adviescommissie/_recommendation_response.html",
        **context,
        rec=rec,
        focus_id=focus,
        message=message,
        inline=True,
    )


@bp.route("/dossiers/<int:advice_id>/vervolg", methods=["POST"])
@requires("adviescommissie.member")
def save_followup(advice_id: int):  # type: ignore[no-untyped-def]
    advice = get_scoped_or_404(AdviceFile, advice_id)
    if advice.status not in (states.RESPONSE_RECEIVED, states.CLOSED, states.SENT):
        flash(_("Een vervolgnotitie hoort bij een verzonden advies."), "error")
        return render_detail(advice, status=409)
    form = FollowupForm()
    if not form.validate_on_submit():
        return render_detail(advice, status=400, followup_form=form)
    advice.followup_note = form.followup_note.data
    record("adviescommissie.followup", object_type="adviescommissie_advice", object_id=advice.id)
    db.session.commit()
    flash(_("De vervolgnotitie is opgeslagen."), "success")
    return redirect(url_for(".detail", advice_id=advice.id))


def _consultation_form(**kwargs) -> ConsultationForm:  # type: ignore[no-untyped-def]
    """The municipality's own organisations only: the registry is tenant-scoped."""
    form = ConsultationForm(prefix="raadpleging", **kwargs)
    rows = db.session.execute(scoped(Organisation).order_by(Organisation.name, Organisation.id))
    form.organisation_id.choices = [(0, _("— Kies een organisatie —"))] + [
        (o.id, o.name) for o in rows.scalars()
    ]
    return form


@bp.route("/dossiers/<int:advice_id>/geraadpleegd", methods=["POST"])
@requires("adviescommissie.member")
def add_consultation(advice_id: int):  # type: ignore[no-untyped-def]
    """Record that the committee consulted an organisation for this advice."""
    advice = get_scoped_or_404(AdviceFile, advice_id)
    if advice.status == states.CLOSED:
        flash(_("Het dossier is gesloten."), "error")
        return render_detail(advice, status=409)
    form = _consultation_form()
    if not form.validate_on_submit():
        return render_detail(advice, status=400, consultation_form=form)
    if any(c.organisation_id == form.organisation_id.data for c in advice.consultations):
        form.organisation_id.errors.append(_("Deze organisatie staat al bij dit advies."))
        return render_detail(advice, status=400, consultation_form=form)
    advice.consultations.append(
        AdviceConsultation(
            municipality_id=advice.municipality_id,
            organisation_id=form.organisation_id.data,
            consulted_on=form.consulted_on.data,
            how=form.how.data or "",
            recorded_by=current_user.username,
        )
    )
    record(
        "adviescommissie.consultation_added",
        object_type="adviescommissie_advice",
        object_id=advice.id,
        details={"organisation": form.organisation_id.data},
    )
    db.session.commit()
    flash(_("De raadpleging is vastgelegd."), "success")
    return redirect(url_for(".detail", advice_id=advice.id, _anchor="geraadpleegd"))


@bp.route(
    "/dossiers/<int:advice_id>/geraadpleegd/<int:consultation_id>/verwijderen", methods=["POST"]
)
@requires("adviescommissie.member")
def delete_consultation(advice_id: int, consultation_id: int):  # type: ignore[no-untyped-def]
    advice = get_scoped_or_404(AdviceFile, advice_id)
    consultation = get_scoped_or_404(AdviceConsultation, consultation_id)
    if consultation.advice_id != advice.id:
        abort(404)
    if advice.status == states.CLOSED:
        flash(_("Het dossier is gesloten."), "error")
        return render_detail(advice, status=409)
    record(
        "adviescommissie.consultation_removed",
        object_type="adviescommissie_advice",
        object_id=advice.id,
        details={"organisation": consultation.organisation_id},
    )
    db.session.delete(consultation)
    db.session.commit()
    flash(_("De raadpleging is verwijderd."), "success")
    return redirect(url_for(".detail", advice_id=advice.id, _anchor="geraadpleegd"))


@bp.route("/dossiers/<int:advice_id>/participatie", methods=["GET", "POST"])
@requires("adviescommissie.member")
def participation(advice_id: int):  # type: ignore[no-untyped-def]
    """AdviceFile on who should think along and how, optionally linked to another plugin's group."""
    advice = get_scoped_or_404(AdviceFile, advice_id)
    targets = service.participation_targets(current_municipality())
    by_value = {service.target_choice_value(t): t for t in targets}
    form = ParticipationForm(
        obj=advice if request.method == "GET" else None,
    )
    current = f"{advice.target_plugin}|{advice.target_key}" if advice.target_plugin else ""
    choices = [("", _("Niet koppelen"))] + [
        (value, f"{t.title} ({t.kind})") for value, t in by_value.items()
    ]
    if current and current not in by_value:
        choices.append((current, _("%(title)s (niet meer beschikbaar)", title=advice.target_title)))
    form.target.choices = choices
    if request.method == "GET":
        form.target.data = current
    if form.validate_on_submit():
        chosen = form.target.data or ""
        if chosen and chosen != current and chosen not in by_value:
            form.target.errors = [_("Kies een meedenkgroep of traject uit de lijst.")]
        else:
            advice.participation_advice = form.participation_advice.data or ""
            if not chosen:
                advice.target_plugin = advice.target_key = advice.target_title = None
            elif chosen in by_value:
                target = by_value[chosen]
                advice.target_plugin = target.plugin
                advice.target_key = target.key
                advice.target_title = target.title[:300]
            record(
                "adviescommissie.participation",
                object_type="adviescommissie_advice",
                object_id=advice.id,
                details={"linked": bool(chosen)},
            )
            db.session.commit()
            flash(_("Het participatieadvies is opgeslagen."), "success")
            return redirect(url_for(".detail", advice_id=advice.id, _anchor="participatie"))
    return form_page(
        "adviescommissie/participation.html", form=form, advice=advice, targets=targets
    )


@bp.route("/dossiers/<int:advice_id>/afdrukken")
@requires("adviescommissie.view")
def print_advice(advice_id: int):  # type: ignore[no-untyped-def]
    advice = get_scoped_or_404(AdviceFile, advice_id)
    return render_template(
        "adviescommissie/print_advice.html",
        advice=advice,
        values=service.active_values(current_municipality()),
        policy_areas=POLICY_AREAS,
    )
