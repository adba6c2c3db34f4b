"""Forms for organisations and their contact persons, with Dutch messages next to each field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import (
    URL,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..residents.forms import PHONE
from .models import ORGANISATION_KINDS


class OrganisationForm(FlaskForm):
    name = StringField(
        "Naam",
        validators=[
            InputRequired(message="Vul de naam van de organisatie in."),
            Length(max=200, message="De naam mag hoogstens 200 tekens lang zijn."),
        ],
    )
    kind = SelectField(
        "Soort organisatie",
        choices=[("", "Kies een soort"), *ORGANISATION_KINDS.items()],
        validate_choice=False,
        validators=[InputRequired(message="Kies een soort organisatie.")],
    )
    email = StringField(
        "E-mailadres",
        validators=[
            Optional(),
            Email(message="Dit is geen geldig e-mailadres, bijvoorbeeld info@voorbeeld.nl."),
            Length(max=254, message="Het e-mailadres is te lang."),
        ],
    )
    phone = StringField(
        "Telefoonnummer",
        validators=[
            Optional(),
            Regexp(
                PHONE,
                message="Gebruik alleen cijfers, spaties, streepjes en eventueel een + vooraan.",
            ),
        ],
    )
    website = StringField(
        "Website",
        validators=[
            Optional(),
            URL(message="Dit is geen geldig webadres, bijvoorbeeld https://www.voorbeeld.nl."),
            Length(max=300, message="Het webadres mag hoogstens 300 tekens lang zijn."),
        ],
    )
    notes = TextAreaField(
        "Notities",
        validators=[
            Optional(),
            Length(max=5000, message="De notities mogen hoogstens 5000 tekens lang zijn."),
        ],
    )

    def validate_kind(self, field: SelectField) -> None:
        if field.data not in ORGANISATION_KINDS:
            raise ValidationError("Kies een soort organisatie uit de lijst.")


class ContactForm(FlaskForm):
    resident_id = StringField(
        "Inwonernummer",
        description="Het nummer uit het inwonersregister (zie de adresbalk op de pagina van de inwoner).",
        validators=[
            InputRequired(message="Vul het nummer van de inwoner in."),
            Regexp(r"^[0-9]{1,9}$", message="Vul een inwonernummer in, alleen cijfers."),
        ],
    )
    role = StringField(
        "Rol bij de organisatie",
        validators=[
            Optional(),
            Length(max=120, message="De rol mag hoogstens 120 tekens lang zijn."),
        ],
    )


def organisation_choices(municipality_id: int) -> list[tuple[str, str]]:
    """For a plugin's SelectField: the municipality's organisations, an empty choice first."""
    from sqlalchemy import select

    from ..extensions import db
    from .models import Organisation

    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.municipality_id == municipality_id)
        .order_by(Organisation.name)
    ).all()
    return [("", "Geen organisatie"), *((str(i), n) for i, n in rows)]
