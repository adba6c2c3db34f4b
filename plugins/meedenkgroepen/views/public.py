"""Pages for residents without an account, under ``/publiek/<municipality>/meedenkgroepen/``.

A deployment can expose only ``/publiek/`` (and ``/static/``) to the internet; see
``deploy/nginx/intranet.conf``. The core's guard 404s these pages when
the plugin is switched off for the municipality; the token also names the municipality, and
every row is fetched through ``scoped``, so a link never works under another municipality.
"""

from __future__ import annotations

from flask import render_template, request

from intranet.plugin_api import _, csrf, current_municipality, db, public, record, scoped, utcnow

from ..models import Invitation, PanelMember, Questionnaire
from ..service import mark_answered, parse_answers, questionnaire_is_open, store_response
from ..tokens import (
    TokenError,
    load_answer_token,
    load_unsubscribe_token,
    make_unsubscribe_token,
)
from . import public_bp

NO_REFERRER = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


def _problem(title: str, text: str, status: int):  # type: ignore[no-untyped-def]
    body = render_template("meedenkgroepen/public_message.html", title=title, text=text)
    return body, status, NO_REFERRER


def _invalid():  # type: ignore[no-untyped-def]
    return _problem(
        _("Deze link werkt niet"),
        _(
            "De link is niet compleet of klopt niet. Kopieer de hele link uit de e-mail, of neem contact op met de gemeente."
        ),
        404,
    )


@public_bp.route("/vragenlijst/<token>", methods=["GET", "POST"])
@public
def answer(token: str):  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    try:
        data = load_answer_token(token)
    except TokenError as exc:
        if exc.reason == "expired":
            return _problem(
                _("Deze link is verlopen"),
                _("U kunt deze vragenlijst niet meer invullen. Dank u wel voor uw interesse."),
                410,
            )
        return _invalid()
    if data.municipality_id != municipality.id:
        return _invalid()
    invitation = db.session.execute(
        scoped(Invitation, municipality).where(Invitation.id == data.ident)
    ).scalar_one_or_none()
    if invitation is None:
        return _invalid()
    q = db.session.execute(
        scoped(Questionnaire, municipality).where(Questionnaire.id == invitation.questionnaire_id)
    ).scalar_one()
    if invitation.answered_at is not None:
        return _problem(
            _("U heeft deze vragenlijst al ingevuld"),
            _(
                "Dank u wel! Uw antwoorden zijn ontvangen. Een link kan maar één keer worden gebruikt."
            ),
            410,
        )
    if not questionnaire_is_open(q):
        return _problem(
            _("Deze vragenlijst is gesloten"),
            _("De vragenlijst kan niet meer worden ingevuld. Dank u wel voor uw interesse."),
            410,
        )
    unsubscribe_token = (
        make_unsubscribe_token(municipality.id, invitation.member_id)
        if invitation.member_id
        else None
    )
    errors: dict[int, str] = {}
    if request.method == "POST":
        answers, errors = parse_answers(q.questions, request.form)
        if not errors:
            if not mark_answered(municipality.id, invitation.id, "online"):
                db.session.rollback()
                return _problem(
                    _("U heeft deze vragenlijst al ingevuld"),
                    _(
                        "Dank u wel! Uw antwoorden zijn ontvangen. Een link kan maar één keer worden gebruikt."
                    ),
                    410,
                )
            store_response(municipality.id, q, answers, channel="online")
            record(
                "meedenkgroepen.response.received",
                object_type="vragenlijst",
                object_id=q.id,
                details={"channel": "online"},
                municipality=municipality,
            )
            db.session.commit()
            body = render_template("meedenkgroepen/public_thanks.html", q=q)
            return body, 200, NO_REFERRER
    body = render_template(
        "meedenkgroepen/public_answer.html",
        q=q,
        token=token,
        errors=errors,
        values=request.form if request.method == "POST" else None,
        unsubscribe_token=unsubscribe_token,
    )
    return body, 400 if errors else 200, NO_REFERRER


def _member_for(token: str) -> PanelMember | None:
    """The panel member a signed unsubscribe link names, in this municipality only."""
    municipality = current_municipality()
    try:
        data = load_unsubscribe_token(token)
    except TokenError:
        return None
    if data.municipality_id != municipality.id:
        return None
    return db.session.execute(
        scoped(PanelMember, municipality).where(PanelMember.id == data.ident)
    ).scalar_one_or_none()


def _unsubscribe(member: PanelMember) -> bool:
    """Take the member off the panel; returns whether they were already off."""
    if member.left_at is not None:
        return True
    member.left_at = utcnow()
    member.left_via = "afmeldlink"
    record(
        "meedenkgroepen.panel.member.left",
        object_type="resident",
        object_id=member.resident_id,
        details={"panel": member.panel_id, "via": "afmeldlink"},
        municipality=current_municipality(),
    )
    db.session.commit()
    return False


def _is_one_click() -> bool:
    """RFC 8058: the mail program POSTs exactly ``List-Unsubscribe=One-Click``, nothing else."""
    form = request.form
    return list(form.keys()) == ["List-Unsubscribe"] and form.getlist("List-Unsubscribe") == [
        "One-Click"
    ]


@public_bp.route("/afmelden/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # only for the RFC 8058 one-click body; every other POST is checked below
def unsubscribe(token: str):  # type: ignore[no-untyped-def]
    """GET asks (a mail scanner or link preview fetching the link changes nothing); the
    button POSTs with a CSRF token; a mail program's one-click POST is authenticated by the
    signed token alone."""
    member = _member_for(token)
    if member is None:
        return _invalid()
    if request.method == "GET":
        body = render_template(
            "meedenkgroepen/public_unsubscribe_confirm.html",
            panel=member.panel,
            token=token,
            already=member.left_at is not None,
        )
        return body, 200, NO_REFERRER
    if _is_one_click():
        _unsubscribe(member)
        return "Afgemeld.", 200, {**NO_REFERRER, "Content-Type": "text/plain; charset=utf-8"}
    csrf.protect()  # raises CSRFError (a Dutch 400 page) without a valid token
    already = _unsubscribe(member)
    body = render_template(
        "meedenkgroepen/public_unsubscribed.html", panel=member.panel, already=already
    )
    return body, 200, NO_REFERRER
