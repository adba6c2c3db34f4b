"""Forms of the reach pages: the period filter, reach groups, assignments, outreach actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..residents.models import CONSENT_METHODS
from ..timeutil import today
from ..web.fields import DATE_MESSAGE, DutchDateField


class PeriodForm(FlaskForm):
    """The period of the reach page, read from the URL (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    van = DutchDateField("Van", validators=[Optional()])
    tot = DutchDateField("Tot en met", validators=[Optional()])

    def validate_tot(self, field: DutchDateField) -> None:
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError("De einddatum ligt vóór de begindatum.")


class ReachGroupForm(FlaskForm):
    name = StringField(
        "Naam van de groep",
        validators=[
            InputRequired(message="Vul de naam van de groep in."),
            Length(max=120, message="De naam mag hoogstens 120 tekens lang zijn."),
        ],
    )
    description = TextAreaField(
        "Omschrijving",
        validators=[
            Optional(),
            Length(max=2000, message="De omschrijving mag hoogstens 2000 tekens lang zijn."),
        ],
    )
    special = BooleanField(
        "Zegt iets over gezondheid (bijzonder persoonsgegeven)",
        description="Bijvoorbeeld een licht verstandelijke beperking. Alleen medewerkers met "
        "inzage in bijzondere persoonsgegevens zien en wijzigen wie in deze groep valt.",
    )


class AssignmentForm(FlaskForm):
    group = SelectField(
        "Groep",
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message="Kies een groep.")],
    )
    consent_method = SelectField(
        "Hoe is toestemming gegeven",
        choices=[("", "Kies hoe"), *CONSENT_METHODS.items()],
        validate_choice=False,
        validators=[InputRequired(message="Kies hoe de inwoner toestemming heeft gegeven.")],
    )
    consent_given_on = DutchDateField(
        "Toestemming gegeven op",
        default=today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )

    def validate_group(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError("Kies een groep uit de lijst.")

    def validate_consent_method(self, field: SelectField) -> None:
        if field.data not in CONSENT_METHODS:
            raise ValidationError("Kies hoe de inwoner toestemming heeft gegeven.")

    def validate_consent_given_on(self, field: DutchDateField) -> None:
        if field.data and field.data > today():
            raise ValidationError("De datum kan niet in de toekomst liggen.")


class OutreachForm(FlaskForm):
    done_on = DutchDateField(
        "Datum", default=today, validators=[InputRequired(message=DATE_MESSAGE)]
    )
    group = SelectField("Groep", choices=[], validate_choice=False, validators=[Optional()])
    description = TextAreaField(
        "Wat is er gedaan",
        validators=[
            InputRequired(message="Beschrijf wat er is gedaan om de groep te bereiken."),
            Length(max=2000, message="Hoogstens 2000 tekens."),
        ],
    )

    def validate_group(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Kies een groep uit de lijst.")

    def validate_done_on(self, field: DutchDateField) -> None:
        if field.data and field.data > today():
            raise ValidationError("Leg alleen vast wat al gedaan is; de datum ligt in de toekomst.")
