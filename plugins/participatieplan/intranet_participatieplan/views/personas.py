"""Personas made with the target group, and the co-creation sessions that made them.

A persona page never shows who took part: the residents who helped are listed only on the
session page, for workshop facilitators, and every such read is audited.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import func, select

from intranet.plugin_api import (
    _,
    current_municipality,
    db,
    get_scoped_or_404,
    record,
    requires,
    scoped,
)

from ..forms import PERSONA_NOTICE, PersonaForm, PersonaUseForm, SessionForm, SessionParticipantForm
from ..models import (
    PERSONA_CONSENT,
    CocreationSession,
    Persona,
    PersonaUse,
    PersonaVersion,
    SessionParticipant,
)
from . import (
    VIEW,
    WORKSHOPS_MANAGE,
    bp,
    chosen_target,
    page,
    residents_with,
    session_choices,
    target_choices,
    workstream_choices,
)


@bp.route("/personas")
@requires(VIEW)
def personas():  # type: ignore[no-untyped-def]
    rows = db.session.execute(scoped(Persona).order_by(Persona.name)).scalars().all()
    sessions = (
        db.session.execute(scoped(CocreationSession).order_by(CocreationSession.held_on.desc()))
        .scalars()
        .all()
    )
    return page("personas.html", personas=rows, sessions=sessions)


def _persona_form(persona: Persona | None = None) -> PersonaForm:
    current = persona.current if persona else None
    form = PersonaForm(obj=current)
    if persona is not None and not form.is_submitted():
        form.name.data = persona.name
        form.status.data = persona.status
        form.session_id.data = current.session_id or 0 if current else 0
    form.session_id.choices = session_choices()
    return form


def _save_version(persona: Persona, form: PersonaForm) -> PersonaVersion:
    number = (persona.current.number if persona.current else 0) + 1
    version = PersonaVersion(
        municipality_id=persona.municipality_id,
        persona_id=persona.id,
        number=number,
        situation=form.situation.data.strip(),
        what_matters=(form.what_matters.data or "").strip(),
        quotes=(form.quotes.data or "").strip(),
        needs=(form.needs.data or "").strip(),
        obstacles=(form.obstacles.data or "").strip(),
        session_id=form.session_id.data or None,
        created_by=current_user.display_name or current_user.username,
    )
    db.session.add(version)
    return version


@bp.route("/personas/nieuw", methods=["GET", "POST"])
@requires(WORKSHOPS_MANAGE)
def persona_create():  # type: ignore[no-untyped-def]
    form = _persona_form()
    if form.validate_on_submit():
        persona = Persona(
            municipality_id=current_municipality().id,
            name=form.name.data.strip(),
            status=form.status.data,
        )
        db.session.add(persona)
        db.session.flush()
        _save_version(persona, form)
        record(
            "participatieplan.persona.created",
            object_type="participatieplan_persona",
            object_id=persona.id,
        )
        db.session.commit()
        flash(_("De persona is opgeslagen."), "success")
        return redirect(url_for(".persona_detail", persona_id=persona.id))
    return page("persona_form.html", form, form=form, persona=None, notice=PERSONA_NOTICE)


@bp.route("/personas/<int:persona_id>/nieuwe-versie", methods=["GET", "POST"])
@requires(WORKSHOPS_MANAGE)
def persona_edit(persona_id: int):  # type: ignore[no-untyped-def]
    persona = get_scoped_or_404(Persona, persona_id)
    form = _persona_form(persona)
    if form.validate_on_submit():
        persona.name = form.name.data.strip()
        persona.status = form.status.data
        version = _save_version(persona, form)
        record(
            "participatieplan.persona.version",
            object_type="participatieplan_persona",
            object_id=persona.id,
            details={"version": version.number},
        )
        db.session.commit()
        flash(_("Er is een nieuwe versie van de persona opgeslagen."), "success")
        return redirect(url_for(".persona_detail", persona_id=persona.id))
    return page("persona_form.html", form, form=form, persona=persona, notice=PERSONA_NOTICE)


def _use_form() -> tuple[PersonaUseForm, dict]:
    form = PersonaUseForm()
    form.workstream_id.choices = workstream_choices(_("Geen werkstroom"))
    form.target.choices, offered = target_choices()
    return form, offered


def _persona_page(persona: Persona, use_form: PersonaUseForm | None = None):  # type: ignore[no-untyped-def]
    helpers = {}
    session_ids = [v.session_id for v in persona.versions if v.session_id]
    if session_ids:
        helpers = dict(
            db.session.execute(
                select(SessionParticipant.session_id, func.count())
                .where(
                    SessionParticipant.municipality_id == persona.municipality_id,
                    SessionParticipant.session_id.in_(session_ids),
                )
                .group_by(SessionParticipant.session_id)
            ).all()
        )
    use_form = use_form or _use_form()[0]
    return page(
        "persona_detail.html",
        use_form,
        persona=persona,
        helpers=helpers,
        use_form=use_form,
        notice=PERSONA_NOTICE,
    )


@bp.route("/personas/<int:persona_id>")
@requires(VIEW)
def persona_detail(persona_id: int):  # type: ignore[no-untyped-def]
    return _persona_page(get_scoped_or_404(Persona, persona_id))


@bp.route("/personas/<int:persona_id>/gebruik", methods=["POST"])
@requires(WORKSHOPS_MANAGE)
def persona_use(persona_id: int):  # type: ignore[no-untyped-def]
    persona = get_scoped_or_404(Persona, persona_id)
    form, offered = _use_form()
    if form.validate_on_submit():
        plugin, key, title = chosen_target(form.target.data or "", offered, (None, None, None))
        if not form.workstream_id.data and not key:
            form.workstream_id.errors.append(_("Kies een werkstroom of een activiteit."))
        else:
            db.session.add(
                PersonaUse(
                    municipality_id=persona.municipality_id,
                    persona_id=persona.id,
                    workstream_id=form.workstream_id.data or None,
                    target_plugin=plugin,
                    target_key=key,
                    target_title=title,
                    note=(form.note.data or "").strip(),
                )
            )
            record(
                "participatieplan.persona.used",
                object_type="participatieplan_persona",
                object_id=persona.id,
            )
            db.session.commit()
            flash(_("Vastgelegd waar de persona wordt gebruikt."), "success")
            return redirect(url_for(".persona_detail", persona_id=persona.id))
    return _persona_page(persona, form)


# -- co-creation sessions -------------------------------------------------------------------
@bp.route("/sessies/nieuw", methods=["GET", "POST"])
@requires(WORKSHOPS_MANAGE)
def session_create():  # type: ignore[no-untyped-def]
    form = SessionForm()
    if form.validate_on_submit():
        session = CocreationSession(
            municipality_id=current_municipality().id,
            title=form.title.data.strip(),
            held_on=form.held_on.data,
            notes=(form.notes.data or "").strip(),
        )
        db.session.add(session)
        db.session.flush()
        record(
            "participatieplan.session.created",
            object_type="participatieplan_session",
            object_id=session.id,
        )
        db.session.commit()
        flash(_("De sessie is opgeslagen."), "success")
        return redirect(url_for(".session_detail", session_id=session.id))
    return page("session_form.html", form, form=form)


def _participant_form() -> SessionParticipantForm:
    form = SessionParticipantForm()
    form.resident_id.choices = [(0, _("Kies een inwoner"))] + [
        (r.id, r.name) for r in residents_with(PERSONA_CONSENT)
    ]
    return form


def _session_page(session: CocreationSession, form: SessionParticipantForm | None = None):  # type: ignore[no-untyped-def]
    if session.participants:
        record(
            "participatieplan.session.participants_viewed",
            object_type="participatieplan_session",
            object_id=session.id,
            details={"residents": [p.resident_id for p in session.participants]},
        )
    form = form or _participant_form()
    versions = (
        db.session.execute(scoped(PersonaVersion).where(PersonaVersion.session_id == session.id))
        .scalars()
        .all()
    )
    body, status = page("session_detail.html", form, session=session, form=form, versions=versions)
    db.session.commit()
    return body, status


@bp.route("/sessies/<int:session_id>")
@requires(WORKSHOPS_MANAGE)
def session_detail(session_id: int):  # type: ignore[no-untyped-def]
    return _session_page(get_scoped_or_404(CocreationSession, session_id))


@bp.route("/sessies/<int:session_id>/deelnemers", methods=["POST"])
@requires(WORKSHOPS_MANAGE)
def session_participant_add(session_id: int):  # type: ignore[no-untyped-def]
    session = get_scoped_or_404(CocreationSession, session_id)
    form = _participant_form()
    if form.validate_on_submit():
        allowed = {r.id for r in residents_with(PERSONA_CONSENT)}
        if form.resident_id.data not in allowed:
            form.resident_id.errors.append(
                _("Kies een inwoner die toestemming heeft gegeven om mee te werken aan persona's.")
            )
        elif any(p.resident_id == form.resident_id.data for p in session.participants):
            form.resident_id.errors.append(_("Deze inwoner staat al bij deze sessie."))
        else:
            db.session.add(
                SessionParticipant(
                    municipality_id=session.municipality_id,
                    session_id=session.id,
                    resident_id=form.resident_id.data,
                )
            )
            record(
                "participatieplan.session.participant_added",
                object_type="participatieplan_session",
                object_id=session.id,
                details={"resident": str(form.resident_id.data)},
            )
            db.session.commit()
            flash(_("De deelnemer is toegevoegd."), "success")
            return redirect(url_for(".session_detail", session_id=session.id))
    return _session_page(session, form)
