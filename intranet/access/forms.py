"""Forms for access administrators."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from ..timeutil import local_today
from ..web.fields import CheckboxListField, DutchDateField


class RoleForm(FlaskForm):
    name = StringField(
        "Korte naam",
        validators=[
            InputRequired(message="Vul een korte naam in, bijvoorbeeld 'griffie'."),
            Regexp(
                r"^[a-z0-9][a-z0-9-]{1,79}$",
                message="Gebruik kleine letters, cijfers en streepjes (2 tot 80 tekens).",
            ),
        ],
    )
    title = StringField(
        "Naam van de rol",
        validators=[
            InputRequired(message="Vul de naam van de rol in."),
            Length(max=200, message="Hoogstens 200 tekens."),
        ],
    )
    description = TextAreaField(
        "Omschrijving", validators=[Optional(), Length(max=2000, message="Hoogstens 2000 tekens.")]
    )
    permissions = CheckboxListField("Rechten", choices=[])


class GroupMappingForm(FlaskForm):
    group_dn = StringField(
        "Directorygroep (DN)",
        description="Zoek de groep hierboven en kies hem; of vul de volledige DN in.",
        validators=[
            InputRequired(message="Vul de volledige DN van de groep in."),
            Length(max=500, message="Hoogstens 500 tekens."),
            Regexp(
                r"^[^=,]+=[^,]+(,[^=,]+=.+)*$",
                message="Dit is geen DN; bijvoorbeeld cn=griffie,ou=groups,dc=gemeente,dc=nl.",
            ),
        ],
    )
    role_id = SelectField(
        "Rol", coerce=int, choices=[], validators=[InputRequired(message="Kies een rol.")]
    )


class GrantForm(FlaskForm):
    role_id = SelectField(
        "Rol", coerce=int, choices=[], validators=[InputRequired(message="Kies een rol.")]
    )
    reason = TextAreaField(
        "Reden",
        validators=[
            InputRequired(
                message="Leg uit waarom deze medewerker de rol krijgt; dit is nodig voor de jaarlijkse controle."
            ),
            Length(max=1000, message="Hoogstens 1000 tekens."),
        ],
    )
    expires_on = DutchDateField(
        "Geldig tot en met (optioneel)",
        validators=[Optional()],
        description="Laat leeg voor onbepaalde tijd.",
    )

    def validate_expires_on(self, field: DutchDateField) -> None:
        if field.data and field.data < local_today():
            raise ValidationError("De einddatum ligt in het verleden.")
