"""Forms for residents and consents, with Dutch messages next to each field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from ..timeutil import local_today
from ..web.fields import DATE_MESSAGE, DutchDateField
from .models import CONSENT_METHODS, RESIDENT_KINDS

PHONE = r"^\+?[0-9 ()-]{6,20}$"


class ResidentForm(FlaskForm):
    name = StringField(
        "Naam",
        validators=[
            InputRequired(message="Vul de naam van de inwoner in."),
            Length(max=200, message="De naam mag hoogstens 200 tekens lang zijn."),
        ],
    )
    email = StringField(
        "E-mailadres",
        validators=[
            Optional(),
            Email(message="Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl."),
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
    address = StringField(
        "Adres",
        validators=[
            Optional(),
            Length(max=300, message="Het adres mag hoogstens 300 tekens lang zijn."),
        ],
    )
    kind = SelectField(
        "Soort deelnemer",
        choices=list(RESIDENT_KINDS.items()),
        validators=[InputRequired(message="Kies een soort deelnemer.")],
    )
    neighbourhood = StringField(
        "Wijk",
        validators=[
            Optional(),
            Length(max=120, message="De wijk mag hoogstens 120 tekens lang zijn."),
        ],
    )
    notes = TextAreaField(
        "Notities",
        validators=[
            Optional(),
            Length(max=5000, message="De notities mogen hoogstens 5000 tekens lang zijn."),
        ],
        description="Schrijf hier alleen op wat nodig is voor de participatie; geen medische gegevens.",
    )


def consent_purpose_choices() -> list[tuple[str, str]]:
    from flask import current_app

    purposes = current_app.extensions["intranet"].consent_purposes
    return [
        (code, p.label)
        for code, (_plugin, p) in sorted(purposes.items(), key=lambda kv: kv[1][1].label)
    ]


class ConsentForm(FlaskForm):
    purpose = SelectField(
        "Doel",
        choices=[],
        validators=[InputRequired(message="Kies waarvoor de inwoner toestemming geeft.")],
        description="De onderdelen gebruiken de toestemming alleen voor dit doel.",
    )
    scope = TextAreaField(
        "Reikwijdte",
        validators=[Optional(), Length(max=2000, message="Hoogstens 2000 tekens.")],
    )
    method = SelectField(
        "Hoe gegeven",
        choices=list(CONSENT_METHODS.items()),
        validators=[InputRequired(message="Kies hoe de toestemming is gegeven.")],
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.purpose.choices = [("", "Kies een doel"), *consent_purpose_choices()]

    given_on = DutchDateField(
        "Datum",
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )

    def validate_given_on(self, field: DutchDateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError("De datum kan niet in de toekomst liggen.")
