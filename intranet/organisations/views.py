"""Organisations in the registry: list, detail, create, edit, contact persons. Reads audited."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..access.permissions import requires
from ..audit.service import record, render_audited
from ..extensions import db
from ..residents.models import Resident
from ..tenancy import current_municipality, get_scoped_or_404, scoped
from ..web.pages import form_page
from .forms import ContactForm, OrganisationForm
from .models import Organisation, OrganisationContact

bp = Blueprint("organisations", __name__, url_prefix="/<municipality>/organisaties")

#: a contact person speaks for the organisation only while they agreed to be approached
CONTACT_PURPOSE = "core.contact"
FIELDS = ("name", "kind", "email", "phone", "website", "notes")


@bp.route("/")
@requires("core.organisations.view")
def index():  # type: ignore[no-untyped-def]
    organisations = (
        db.session.execute(scoped(Organisation).order_by(Organisation.name, Organisation.id))
        .scalars()
        .all()
    )
    record("organisation.list", object_type="organisation", details={"shown": len(organisations)})
    return render_audited("organisations/index.html", organisations=organisations)


def _fill(organisation: Organisation, form: OrganisationForm) -> None:
    organisation.name = form.name.data.strip()
    organisation.kind = form.kind.data
    organisation.email = (form.email.data or "").strip() or None
    organisation.phone = (form.phone.data or "").strip() or None
    organisation.website = (form.website.data or "").strip() or None
    organisation.notes = form.notes.data or ""


@bp.route("/nieuw", methods=["GET", "POST"])
@requires("core.organisations.edit")
def create():  # type: ignore[no-untyped-def]
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = Organisation(municipality_id=current_municipality().id)
        _fill(organisation, form)
        db.session.add(organisation)
        db.session.flush()
        record("organisation.created", object_type="organisation", object_id=organisation.id)
        db.session.commit()
        flash(_("De organisatie is geregistreerd."), "success")
        return redirect(url_for(".detail", organisation_id=organisation.id))
    return form_page("organisations/form.html", form=form, organisation=None)


@bp.route("/<int:organisation_id>")
@requires("core.organisations.view")
def detail(organisation_id: int):  # type: ignore[no-untyped-def]
    organisation = get_scoped_or_404(Organisation, organisation_id)
    record("organisation.viewed", object_type="organisation", object_id=organisation.id)
    return render_audited(
        "organisations/detail.html", organisation=organisation, contact_form=ContactForm()
    )


@bp.route("/<int:organisation_id>/bewerken", methods=["GET", "POST"])
@requires("core.organisations.edit")
def edit(organisation_id: int):  # type: ignore[no-untyped-def]
    organisation = get_scoped_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        changed = [
            n
            for n in FIELDS
            if (getattr(form, n).data or None) != (getattr(organisation, n) or None)
        ]
        _fill(organisation, form)
        record(
            "organisation.changed",
            object_type="organisation",
            object_id=organisation.id,
            details={"fields": changed},
        )
        db.session.commit()
        flash(_("De wijzigingen zijn opgeslagen."), "success")
        return redirect(url_for(".detail", organisation_id=organisation.id))
    return form_page("organisations/form.html", form=form, organisation=organisation)


@bp.route("/<int:organisation_id>/verwijderen", methods=["POST"])
@requires("core.organisations.edit")
def delete(organisation_id: int):  # type: ignore[no-untyped-def]
    """Remove an organisation; plugins' records keep their own text and lose only the link."""
    organisation = get_scoped_or_404(Organisation, organisation_id)
    record("organisation.deleted", object_type="organisation", object_id=organisation.id)
    db.session.delete(organisation)
    db.session.commit()
    flash(_("De organisatie is verwijderd."), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:organisation_id>/contactpersonen", methods=["POST"])
@requires("core.organisations.edit")
def add_contact(organisation_id: int):  # type: ignore[no-untyped-def]
    organisation = get_scoped_or_404(Organisation, organisation_id)
    form = ContactForm()
    if form.validate_on_submit():
        resident = db.session.execute(
            scoped(Resident).where(Resident.id == int(form.resident_id.data))
        ).scalar_one_or_none()
        if resident is None:
            form.resident_id.errors.append(_("Er is geen inwoner met dit nummer in deze gemeente."))
        elif not resident.has_consent(CONTACT_PURPOSE):
            form.resident_id.errors.append(
                _(
                    "Deze inwoner heeft geen toestemming gegeven om benaderd te worden; "
                    "leg eerst de toestemming vast in het inwonersregister."
                )
            )
        elif any(c.resident_id == resident.id for c in organisation.contacts):
            form.resident_id.errors.append(_("Deze inwoner is al contactpersoon."))
        else:
            contact = OrganisationContact(
                municipality_id=organisation.municipality_id,
                organisation_id=organisation.id,
                resident_id=resident.id,
                role=(form.role.data or "").strip(),
            )
            db.session.add(contact)
            db.session.flush()
            record(
                "organisation.contact_added",
                object_type="organisation",
                object_id=organisation.id,
                details={"resident": resident.id},
            )
            db.session.commit()
            flash(_("De contactpersoon is toegevoegd."), "success")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    return form_page(
        "organisations/detail.html", organisation=organisation, contact_form=form, invalid=True
    )


@bp.route("/<int:organisation_id>/contactpersonen/<int:contact_id>/verwijderen", methods=["POST"])
@requires("core.organisations.edit")
def remove_contact(organisation_id: int, contact_id: int):  # type: ignore[no-untyped-def]
    organisation = get_scoped_or_404(Organisation, organisation_id)
    contact = get_scoped_or_404(OrganisationContact, contact_id)
    if contact.organisation_id == organisation.id:
        record(
            "organisation.contact_removed",
            object_type="organisation",
            object_id=organisation.id,
            details={"resident": contact.resident_id},
        )
        db.session.delete(contact)
        db.session.commit()
        flash(_("De contactpersoon is verwijderd."), "success")
    return redirect(url_for(".detail", organisation_id=organisation.id))


@bp.app_template_global("organisations_of_resident")
def _organisations_global(resident: Resident) -> list[OrganisationContact]:
    return organisations_of(resident.id)


def organisations_of(resident_id: int) -> list[OrganisationContact]:
    """The organisations a resident speaks for (for the access request)."""
    return list(
        db.session.execute(
            select(OrganisationContact).where(OrganisationContact.resident_id == resident_id)
        ).scalars()
    )
