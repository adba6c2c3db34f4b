"""Forms for residents and consents, with Dutch messages next to each field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..timeutil import local_today
from ..web.fields import DATE_MESSAGE, DutchDateField, email_field, phone_field
from .models import CONSENT_METHODS, RESIDENT_KINDS


class ResidentForm(FlaskForm):
    name = StringField(
        _l("Naam"),
        validators=[
            InputRequired(message=_l("Vul de naam van de inwoner in.")),
            Length(max=200, message=_l("De naam mag hoogstens 200 tekens lang zijn.")),
        ],
    )
    email = email_field(
        _l("E-mailadres"),
        _l("Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl."),
    )
    phone = phone_field(_l("Telefoonnummer"))
    address = StringField(
        _l("Adres"),
        validators=[
            Optional(),
            Length(max=300, message=_l("Het adres mag hoogstens 300 tekens lang zijn.")),
        ],
    )
    kind = SelectField(
        _l("Soort deelnemer"),
        choices=list(RESIDENT_KINDS.items()),
        validators=[InputRequired(message=_l("Kies een soort deelnemer."))],
    )
    neighbourhood = StringField(
        _l("Wijk"),
        validators=[
            Optional(),
            Length(max=120, message=_l("De wijk mag hoogstens 120 tekens lang zijn.")),
        ],
    )
    notes = TextAreaField(
        _l("Notities"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("De notities mogen hoogstens 5000 tekens lang zijn.")),
        ],
        description=_l(
            "Schrijf hier alleen op wat nodig is voor de participatie; geen medische gegevens."
        ),
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
        _l("Doel"),
        choices=[],
        validators=[InputRequired(message=_l("Kies waarvoor de inwoner toestemming geeft."))],
        description=_l("De onderdelen gebruiken de toestemming alleen voor dit doel."),
    )
    scope = TextAreaField(
        _l("Reikwijdte"),
        validators=[Optional(), Length(max=2000, message=_l("Hoogstens 2000 tekens."))],
    )
    method = SelectField(
        _l("Hoe gegeven"),
        choices=list(CONSENT_METHODS.items()),
        validators=[InputRequired(message=_l("Kies hoe de toestemming is gegeven."))],
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.purpose.choices = [("", _("Kies een doel")), *consent_purpose_choices()]

    given_on = DutchDateField(
        _l("Datum"),
        default=local_today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )

    def validate_given_on(self, field: DutchDateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_("De datum kan niet in de toekomst liggen."))
