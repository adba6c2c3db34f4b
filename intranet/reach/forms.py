"""Forms of the reach pages: the period filter, reach groups, assignments, outreach actions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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

    van = DutchDateField(_l("Van"), validators=[Optional()])
    tot = DutchDateField(_l("Tot en met"), validators=[Optional()])

    def validate_tot(self, field: DutchDateField) -> None:
        if field.data and self.van.data and field.data < self.van.data:
            raise ValidationError(_("De einddatum ligt vóór de begindatum."))


class ReachGroupForm(FlaskForm):
    name = StringField(
        _l("Naam van de groep"),
        validators=[
            InputRequired(message=_l("Vul de naam van de groep in.")),
            Length(max=120, message=_l("De naam mag hoogstens 120 tekens lang zijn.")),
        ],
    )
    description = TextAreaField(
        _l("Omschrijving"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("De omschrijving mag hoogstens 2000 tekens lang zijn.")),
        ],
    )
    special = BooleanField(
        _l("Zegt iets over gezondheid (bijzonder persoonsgegeven)"),
        description=_l(
            "Bijvoorbeeld een licht verstandelijke beperking. Alleen medewerkers met "
            "inzage in bijzondere persoonsgegevens zien en wijzigen wie in deze groep valt."
        ),
    )


class AssignmentForm(FlaskForm):
    group = SelectField(
        _l("Groep"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message=_l("Kies een groep."))],
    )
    consent_method = SelectField(
        _l("Hoe is toestemming gegeven"),
        choices=[("", _l("Kies hoe")), *CONSENT_METHODS.items()],
        validate_choice=False,
        validators=[InputRequired(message=_l("Kies hoe de inwoner toestemming heeft gegeven."))],
    )
    consent_given_on = DutchDateField(
        _l("Toestemming gegeven op"),
        default=today,
        validators=[InputRequired(message=DATE_MESSAGE)],
    )

    def validate_group(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_("Kies een groep uit de lijst."))

    def validate_consent_method(self, field: SelectField) -> None:
        if field.data not in CONSENT_METHODS:
            raise ValidationError(_("Kies hoe de inwoner toestemming heeft gegeven."))

    def validate_consent_given_on(self, field: DutchDateField) -> None:
        if field.data and field.data > today():
            raise ValidationError(_("De datum kan niet in de toekomst liggen."))


class OutreachForm(FlaskForm):
    done_on = DutchDateField(
        _l("Datum"), default=today, validators=[InputRequired(message=DATE_MESSAGE)]
    )
    # no Optional(): it would pass whitespace through unchecked; validate_group allows ""
    group = SelectField(_l("Groep"), choices=[], validate_choice=False)
    description = TextAreaField(
        _l("Wat is er gedaan"),
        validators=[
            InputRequired(message=_l("Beschrijf wat er is gedaan om de groep te bereiken.")),
            Length(max=2000, message=_l("Hoogstens 2000 tekens.")),
        ],
    )

    def validate_group(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_("Kies een groep uit de lijst."))

    def validate_done_on(self, field: DutchDateField) -> None:
        if field.data and field.data > today():
            raise ValidationError(
                _("Leg alleen vast wat al gedaan is; de datum ligt in de toekomst.")
            )
