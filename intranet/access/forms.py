"""Forms for access administrators."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from ..timeutil import local_today
from ..web.fields import CheckboxListField, DutchDateField


class RoleForm(FlaskForm):
    name = StringField(
        _l("Korte naam"),
        validators=[
            InputRequired(message=_l("Vul een korte naam in, bijvoorbeeld 'griffie'.")),
            Regexp(
                r"^[a-z0-9][a-z0-9-]{1,79}\Z",
                message=_l("Gebruik kleine letters, cijfers en streepjes (2 tot 80 tekens)."),
            ),
        ],
    )
    title = StringField(
        _l("Naam van de rol"),
        validators=[
            InputRequired(message=_l("Vul de naam van de rol in.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    description = TextAreaField(
        _l("Omschrijving"),
        validators=[Optional(), Length(max=2000, message=_l("Hoogstens 2000 tekens."))],
    )
    permissions = CheckboxListField(_l("Rechten"), choices=[])


class GroupMappingForm(FlaskForm):
    group_dn = StringField(
        _l("Directorygroep (DN)"),
        description=_l("Zoek de groep hierboven en kies hem; of vul de volledige DN in."),
        validators=[
            InputRequired(message=_l("Vul de volledige DN van de groep in.")),
            Length(max=500, message=_l("Hoogstens 500 tekens.")),
            Regexp(
                r"^[^=,]+=[^,]+(,[^=,]+=.+)*\Z",
                message=_l("Dit is geen DN; bijvoorbeeld cn=griffie,ou=groups,dc=gemeente,dc=nl."),
            ),
        ],
    )
    role_id = SelectField(
        _l("Rol"), coerce=int, choices=[], validators=[InputRequired(message=_l("Kies een rol."))]
    )


class GrantForm(FlaskForm):
    role_id = SelectField(
        _l("Rol"), coerce=int, choices=[], validators=[InputRequired(message=_l("Kies een rol."))]
    )
    reason = TextAreaField(
        _l("Reden"),
        validators=[
            InputRequired(
                message=_l(
                    "Leg uit waarom deze medewerker de rol krijgt; dit is nodig voor de jaarlijkse controle."
                )
            ),
            Length(max=1000, message=_l("Hoogstens 1000 tekens.")),
        ],
    )
    expires_on = DutchDateField(
        _l("Geldig tot en met (optioneel)"),
        validators=[Optional()],
        description=_l("Laat leeg voor onbepaalde tijd."),
    )

    def validate_expires_on(self, field: DutchDateField) -> None:
        if field.data and field.data < local_today():
            raise ValidationError(_("De einddatum ligt in het verleden."))
