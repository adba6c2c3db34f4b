"""Intake: the clerk's office registers a request that came in by phone or e-mail."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from intranet.plugin_api import (
    Column,
    Filter,
    Listing,
    Resident,
    _,
    _l,
    current_municipality,
    db,
    form_page,
    get_scoped_or_404,
    give_consent,
    like_pattern,
    local_today,
    may_see_special,
    parse_id,
    record,
    render_audited,
    requires,
    scoped,
)

from ..forms import RequestForm
from ..models import (
    CANCELLED,
    CHANNELS,
    CONSENT_ANONYMISED,
    CONSENT_CONTACT,
    FORMS,
    GROUPINGS,
    NEEDS,
    RECEIVED_VIA,
    REQUESTED,
    REQUESTERS,
    STATUSES,
    ConversationRequest,
)
from ..service import in_default_language, list_labels, set_status
from . import bp


def _resident_choices() -> list[tuple[int, str]]:
    residents = db.session.execute(scoped(Resident).order_by(Resident.name, Resident.id)).scalars()
    return [(0, _("Nieuwe inwoner"))] + [
        (r.id, f"{r.name}{' (' + r.neighbourhood + ')' if r.neighbourhood else ''}")
        for r in residents
    ]


REQUESTS = Listing(
    "raadsgesprekken.requests",
    columns=[
        Column("datum", _l("Datum"), ConversationRequest.requested_on, first="af"),
        Column("status", _l("Status"), ConversationRequest.status),
        Column("wijk", _l("Wijk"), ConversationRequest.neighbourhood),
    ],
    default_sort="datum",
    default_order="af",
    filters=[
        Filter(
            "status",
            _l("Status"),
            lambda stmt, value: stmt.where(ConversationRequest.status == value),
            choices=list(STATUSES.items()),
        ),
        Filter(
            "wijk",
            _l("Wijk"),
            lambda stmt, value: stmt.where(
                ConversationRequest.neighbourhood.ilike(like_pattern(value))
            ),
        ),
    ],
    per_page=50,
    tiebreak=ConversationRequest.id.desc(),
)


@bp.route("/aanvragen")
@requires("raadsgesprekken.intake")
def requests():  # type: ignore[no-untyped-def]
    listing = REQUESTS.run(
        scoped(ConversationRequest).options(selectinload(ConversationRequest.resident))
    )
    rows = listing.items
    record(
        "raadsgesprekken.request.list",
        object_type="raadsgesprekken_request",
        details={"shown": [r.id for r in rows]},
    )
    # the kind of care is health data: a column only for those allowed, and that read audited
    # the template prints each through special(), which audits the read per resident
    show_care = bool(rows) and may_see_special()
    return render_audited(
        "raadsgesprekken/requests.html",
        rows=rows,
        listing=listing,
        status=listing.values["status"],
        statuses=STATUSES,
        show_care=show_care,
        plannable={REQUESTED, CANCELLED},
    )


@bp.route("/aanvragen/nieuw", methods=["GET", "POST"])
@requires("raadsgesprekken.intake")
def new_request():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = RequestForm()
    form.resident_id.choices = _resident_choices()
    if request.method == "GET" and (chosen := parse_id(request.args.get("inwoner"))):
        form.resident_id.data = chosen
    form.care_kinds.choices = [(c, c) for c in list_labels("care")]
    if form.validate_on_submit():
        if form.resident_id.data:
            resident = get_scoped_or_404(Resident, form.resident_id.data)
        else:
            resident = Resident(
                municipality_id=municipality.id,
                name=form.new_name.data.strip(),
                kind=form.new_kind.data or "client",
                email=(form.new_email.data or "").strip() or None,
                phone=(form.new_phone.data or "").strip() or None,
                address=(form.new_address.data or "").strip() or None,
                neighbourhood=(form.new_neighbourhood.data or "").strip() or None,
            )
            db.session.add(resident)
            db.session.flush()
            record("resident.created", object_type="resident", object_id=resident.id)
        req = ConversationRequest(
            municipality_id=municipality.id,
            resident_id=resident.id,
            requester=form.requester.data,
            care_kinds=list(form.care_kinds.data),
            received_via=form.received_via.data,
            form=form.form.data,
            form_address=(form.form_address.data or "").strip(),
            grouping=form.grouping.data,
            trusted_name=(form.trusted_name.data or "").strip(),
            trusted_relation=(form.trusted_relation.data or "").strip(),
            needs=list(form.needs.data or []),
            preferred_times=(form.preferred_times.data or "").strip(),
            client_council_member=bool(form.client_council_member.data),
            channel=form.channel.data,
            requested_on=form.requested_on.data,
            neighbourhood=resident.neighbourhood or "",
            status=REQUESTED,
        )
        db.session.add(req)
        db.session.flush()
        req.status = ""
        with in_default_language():  # stored: stays Dutch
            channel = str(CHANNELS[req.channel]).lower()
        set_status(req, REQUESTED, reason=f"Binnengekomen via {channel}")
        for wanted, purpose, scope in (
            (
                form.consent_contact.data,
                CONSENT_CONTACT,
                "Contact opnemen om een gesprek met raadsleden te plannen en terug te koppelen.",
            ),
            (
                form.consent_anonymised.data,
                CONSENT_ANONYMISED,
                "Wat de inwoner vertelt, zonder naam, doorgeven aan het college.",
            ),
        ):
            if wanted and not resident.has_consent(purpose):
                give_consent(
                    resident,
                    purpose,
                    method=form.consent_method.data,
                    given_on=form.requested_on.data or local_today(),
                    recorded_by=current_user.username,
                    scope=scope,
                )
        record(
            "raadsgesprekken.request.created",
            object_type="raadsgesprekken_request",
            object_id=req.id,
            details={"resident": resident.id},
        )
        db.session.commit()
        flash(_("De aanvraag is geregistreerd."), "success")
        return redirect(url_for(".request_detail", request_id=req.id))
    return form_page("raadsgesprekken/request_form.html", form=form)


@bp.route("/aanvragen/<int:request_id>")
@requires("raadsgesprekken.intake")
def request_detail(request_id: int):  # type: ignore[no-untyped-def]
    req = get_scoped_or_404(ConversationRequest, request_id)
    record(
        "raadsgesprekken.request.viewed",
        object_type="raadsgesprekken_request",
        object_id=req.id,
    )
    show_care = may_see_special()  # the template reads through special(), which audits
    return render_audited(
        "raadsgesprekken/request_detail.html",
        req=req,
        show_care=show_care,
        labels={
            "requester": REQUESTERS,
            "received_via": RECEIVED_VIA,
            "form": FORMS,
            "grouping": GROUPINGS,
            "needs": NEEDS,
            "channel": CHANNELS,
        },
        consents=(CONSENT_CONTACT, CONSENT_ANONYMISED),
        needs_text=", ".join(str(NEEDS.get(n, n)) for n in req.needs),
        cancelled=CANCELLED,
    )
