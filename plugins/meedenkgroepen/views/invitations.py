"""The invitations of one questionnaire as a list that works (sort, filter, paging in the URL),
and reminding several invitees at once.

Only invitees who still consent to the panel are listed or reminded (a withdrawal hides them
at once); the reminder itself goes through the same job as the "remind everyone" button, which
checks consent and panel membership again as each mail leaves. An invitation gets at most one
reminder, and none after the questionnaire closed.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from sqlalchemy import func, or_, update
from sqlalchemy.orm import contains_eager

from intranet.plugin_api import (
    Column,
    Filter,
    Listing,
    Resident,
    _,
    _l,
    clean_arg,
    db,
    form_page,
    get_scoped_or_404,
    like_pattern,
    local_today,
    ngettext,
    parse_ids,
    record,
    requires,
    scoped,
)

from ..models import (
    FAILED,
    NEW_ATTEMPT,
    PANEL_CONSENT,
    PENDING,
    SENT,
    SKIPPED,
    Invitation,
    Questionnaire,
)
from ..service import left_out, still_consenting
from . import PANELS_MANAGE, VIEW, bp

#: the most invitations one bulk post names (a page holds 50; "all" goes by the filter)
MAX_CHOSEN = 500

STATES = [
    ("open", _l("Nog niet geantwoord")),
    ("te-herinneren", _l("Nog niet geantwoord, nog geen herinnering")),
    ("herinnerd", _l("Herinnerd")),
    ("beantwoord", _l("Geantwoord")),
    ("mislukt", _l("Verzending mislukt")),
    ("overgeslagen", _l("Overgeslagen")),
]


def _remindable():  # type: ignore[no-untyped-def]
    """Sent, not answered, no reminder yet (the one-reminder rule)."""
    return (
        (Invitation.status == SENT)
        & Invitation.answered_at.is_(None)
        & Invitation.reminder_status.is_(None)
    )


def _state(stmt, value: str):  # type: ignore[no-untyped-def]
    conditions = {
        "open": (Invitation.status == SENT) & Invitation.answered_at.is_(None),
        "te-herinneren": _remindable(),
        "herinnerd": Invitation.reminded_at.is_not(None),
        "beantwoord": Invitation.answered_at.is_not(None),
        "mislukt": or_(Invitation.status == FAILED, Invitation.reminder_status == FAILED),
        "overgeslagen": Invitation.status == SKIPPED,
    }
    return stmt.where(conditions[value])


INVITATIONS = Listing(
    "meedenkgroepen.questionnaire_invitations",
    columns=[
        Column("naam", _l("Inwoner"), Resident.name),
        Column("verstuurd", _l("Uitgenodigd"), Invitation.sent_at, first="af"),
        Column("herinnerd", _l("Herinnerd"), Invitation.reminded_at, first="af"),
        Column("geantwoord", _l("Geantwoord"), Invitation.answered_at, first="af"),
    ],
    default_sort="naam",
    filters=[
        Filter(
            "zoek",
            _l("Zoek op naam"),
            lambda stmt, value: stmt.where(Resident.name.ilike(like_pattern(value))),
        ),
        Filter("stand", _l("Stand"), _state, choices=STATES),
    ],
    per_page=50,
    tiebreak=Invitation.id,
)


def _invited(q: Questionnaire):  # type: ignore[no-untyped-def]
    return scoped(Invitation).where(Invitation.questionnaire_id == q.id)


def _listed(q: Questionnaire):  # type: ignore[no-untyped-def]
    """The invitations of ``q`` whose resident still consents to the panel."""
    return still_consenting(_invited(q), Invitation, q.municipality_id, PANEL_CONSENT).join(
        Resident, Resident.id == Invitation.resident_id
    )


def _page(q: Questionnaire, error: str = "", chosen: set[int] | None = None):  # type: ignore[no-untyped-def]
    stmt = _listed(q)
    listing = INVITATIONS.run(
        stmt.options(contains_eager(Invitation.resident)), questionnaire_id=q.id
    )
    # left out: consent withdrawn, or the resident no longer known (erased)
    hidden = left_out(_invited(q), stmt, Invitation)
    filtered, _values = INVITATIONS.filtered(stmt)
    remindable = db.session.execute(
        filtered.with_only_columns(func.count(Invitation.id)).where(_remindable())
    ).scalar_one()
    record(
        "meedenkgroepen.invitations.viewed",
        object_type="vragenlijst",
        object_id=q.id,
        details={"residents": [i.resident_id for i in listing.items]},
    )
    body, status = form_page(
        "meedenkgroepen/questionnaire_invitations.html",
        invalid=bool(error),
        q=q,
        listing=listing,
        invitations=listing.items,
        hidden=hidden,
        remindable=remindable,
        closed=q.closes_on < local_today(),
        error=error,
        chosen=chosen or set(),
        SENT=SENT,
    )
    db.session.commit()  # after rendering: a commit would expire every row shown
    return body, status


@bp.route("/vragenlijsten/<int:questionnaire_id>/uitnodigingen")
@requires(VIEW)
def questionnaire_invitations(questionnaire_id: int):  # type: ignore[no-untyped-def]
    return _page(get_scoped_or_404(Questionnaire, questionnaire_id))


def _chosen_ids() -> set[int]:
    return set(parse_ids(request.form.getlist("uitnodiging")[:MAX_CHOSEN]))


def _back(q: Questionnaire) -> dict[str, Any]:
    """The list's state (filters, sort, page) the bulk form carried, to return to."""
    keys = [f.key for f in INVITATIONS.filters] + ["sorteer", "volgorde", "pagina"]
    state = {k: clean_arg(request.form.get(k)) for k in keys}
    return {"questionnaire_id": q.id, **{k: v for k, v in state.items() if v}}


@bp.route("/vragenlijsten/<int:questionnaire_id>/uitnodigingen/herinneren", methods=["POST"])
@requires(PANELS_MANAGE)
def questionnaire_remind_chosen(questionnaire_id: int):  # type: ignore[no-untyped-def]
    """Remind the ticked invitees, or with "alle" every remindable invitee the list's filter
    shows (the select-all, decided on the server, so it needs no JavaScript)."""
    from .questionnaires import _queue_mailing

    q = get_scoped_or_404(Questionnaire, questionnaire_id)
    everyone = request.form.get("alle") == "ja"
    chosen = _chosen_ids()
    if q.closes_on < local_today():
        return _page(q, _("De vragenlijst is gesloten; herinneren kan niet meer."), chosen)
    if not everyone and not chosen:
        return _page(
            q,
            _(
                "Kies eerst een of meer inwoners met de vakjes in de lijst, of kies ‘Allen herinneren’."
            ),
        )
    stmt = _listed(q)
    if everyone:
        stmt, _values = INVITATIONS.filtered(stmt, request.form)
    else:
        stmt = stmt.where(Invitation.id.in_(chosen))
    wanted = db.session.execute(stmt.with_only_columns(Invitation.id, _remindable())).all()
    ids = [row[0] for row in wanted if row[1]]
    skipped = len(wanted) - len(ids) + (0 if everyone else len(chosen - {r[0] for r in wanted}))
    if ids:
        db.session.execute(
            update(Invitation)
            .where(Invitation.id.in_(ids), _remindable())
            .values(reminder_status=PENDING, **NEW_ATTEMPT)
            .execution_options(synchronize_session=False)
        )
    record(
        "meedenkgroepen.invitations.reminded",
        object_type="vragenlijst",
        object_id=q.id,
        result="success" if ids else "refused",
        details={"invitations": ids, "skipped": skipped, "all": everyone},
    )
    db.session.commit()
    if ids:
        _queue_mailing(
            q,
            "send_reminders",
            f"Herinneringen vragenlijst: {q.title}",  # a job title: stored, stays Dutch
            remember_as="reminder_job_id",
        )
        flash(
            ngettext(
                "%(num)d herinnering wordt verstuurd; de voortgang staat bij de vragenlijst.",
                "%(num)d herinneringen worden verstuurd; de voortgang staat bij de vragenlijst.",
                len(ids),
            ),
            "success",
        )
    if skipped:
        flash(
            ngettext(
                "%(num)d inwoner overgeslagen: al geantwoord, al herinnerd of niet verstuurd.",
                "%(num)d inwoners overgeslagen: al geantwoord, al herinnerd of niet verstuurd.",
                skipped,
            ),
            "info",
        )
    if not ids and not skipped:
        flash(_("Er was niemand om te herinneren met dit filter."), "info")
    return redirect(url_for(".questionnaire_invitations", **_back(q)))
