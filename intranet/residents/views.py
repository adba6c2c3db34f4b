"""The residents registry: list, search, detail, create, edit, consents. Every read is audited."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import or_

from ..access.permissions import requires
from ..audit.service import record, render_audited
from ..extensions import db
from ..tenancy import current_municipality, get_scoped_or_404, scoped
from ..web.listing import Column, Filter, Listing, like_pattern
from ..web.pages import form_page
from . import service
from .forms import ConsentForm, ResidentForm
from .models import RESIDENT_KINDS, Consent, Resident

bp = Blueprint("residents", __name__, url_prefix="/<municipality>/inwoners")


def _search_filter(query: str):  # type: ignore[no-untyped-def]
    like = like_pattern(query)
    return or_(Resident.name.ilike(like), Resident.email.ilike(like), Resident.phone.ilike(like))


RESIDENTS = Listing(
    "residents.index",
    columns=[
        Column("naam", lazy_gettext("Naam"), Resident.name),
        Column("soort", lazy_gettext("Soort"), Resident.kind),
        Column("wijk", lazy_gettext("Wijk"), Resident.neighbourhood),
        Column("email", lazy_gettext("E-mailadres"), Resident.email),
    ],
    default_sort="naam",
    filters=[
        Filter(
            "q",
            lazy_gettext("Zoek op naam, e-mailadres of telefoonnummer"),
            lambda stmt, value: stmt.where(_search_filter(value)),
        ),
        Filter(
            "soort",
            lazy_gettext("Soort"),
            lambda stmt, value: stmt.where(Resident.kind == value),
            choices=list(RESIDENT_KINDS.items()),
        ),
    ],
    tiebreak=Resident.id,
)


@bp.route("/")
@requires("core.residents.view")
def index():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    listing = RESIDENTS.run(
        scoped(Resident, municipality), per_page=current_app.config["RESIDENTS_PER_PAGE"]
    )
    residents = listing.items
    record(
        "resident.list",
        object_type="resident",
        details={
            "page": listing.page,
            "searched": listing.filtered,
            "shown": [r.id for r in residents],
        },
    )
    return render_audited(
        "residents/index.html",
        residents=residents,
        listing=listing,
        query=listing.values["q"],
        page=listing.page,
        pages=listing.pages,
        total=listing.total,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("core.residents.edit")
def create():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    form = ResidentForm()
    if form.validate_on_submit():
        resident = Resident(municipality_id=municipality.id)
        _fill(resident, form)
        db.session.add(resident)
        db.session.flush()
        record("resident.created", object_type="resident", object_id=resident.id)
        db.session.commit()
        flash(_("De inwoner is geregistreerd."), "success")
        return redirect(url_for(".detail", resident_id=resident.id))
    return form_page("residents/form.html", form=form, resident=None)


def _fill(resident: Resident, form: ResidentForm) -> None:
    resident.name = form.name.data.strip()
    resident.email = (form.email.data or "").strip() or None
    resident.phone = (form.phone.data or "").strip() or None
    resident.address = (form.address.data or "").strip() or None
    resident.kind = form.kind.data
    resident.neighbourhood = (form.neighbourhood.data or "").strip() or None
    resident.notes = form.notes.data or ""


@bp.route("/<int:resident_id>")
@requires("core.residents.view")
def detail(resident_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    record("resident.viewed", object_type="resident", object_id=resident.id)
    return render_audited(
        "residents/detail.html",
        resident=resident,
        consent_form=ConsentForm(),
        contributions=_contributions(resident),
    )


def _contributions(resident: Resident) -> list:  # type: ignore[type-arg]
    """What the resident contributed in the enabled plugins and what was done with it (one
    hook call per plugin; read under the page's own audit event)."""
    from ..feedback.service import contributions

    return contributions(current_municipality(), resident=resident)


@bp.route("/<int:resident_id>/bewerken", methods=["GET", "POST"])
@requires("core.residents.edit")
def edit(resident_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    form = ResidentForm(obj=resident)
    if form.validate_on_submit():
        changed = [
            name
            for name in ("name", "email", "phone", "address", "kind", "neighbourhood", "notes")
            if (getattr(form, name).data or None) != (getattr(resident, name) or None)
        ]
        _fill(resident, form)
        record(
            "resident.changed",
            object_type="resident",
            object_id=resident.id,
            details={"fields": changed},
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".detail", resident_id=resident.id))
    if request.method == "GET":
        record("resident.viewed", object_type="resident", object_id=resident.id)
    return render_audited(
        "residents/form.html", form=form, resident=resident
    ), 400 if form.errors else 200


@bp.route("/<int:resident_id>/toestemmingen", methods=["POST"])
@requires("core.residents.edit")
def add_consent(resident_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        return form_page(
            "residents/detail.html",
            resident=resident,
            consent_form=form,
            contributions=_contributions(resident),
        )
    service.give_consent(
        resident,
        form.purpose.data,
        method=form.method.data,
        given_on=form.given_on.data,
        recorded_by=current_user.username,
        scope=form.scope.data or "",
    )
    db.session.commit()
    flash(_("De toestemming is vastgelegd."), "success")
    return redirect(url_for(".detail", resident_id=resident.id))


@bp.route("/<int:resident_id>/toestemmingen/<int:consent_id>/intrekken", methods=["POST"])
@requires("core.residents.edit")
def withdraw_consent(resident_id: int, consent_id: int):  # type: ignore[no-untyped-def]
    resident = get_scoped_or_404(Resident, resident_id)
    consent = get_scoped_or_404(Consent, consent_id)
    if consent.resident_id != resident.id:
        return redirect(url_for(".detail", resident_id=resident.id))
    if service.withdraw_consent(consent):
        db.session.commit()
        flash(_("De toestemming is ingetrokken."), "success")
    return redirect(url_for(".detail", resident_id=resident.id))
