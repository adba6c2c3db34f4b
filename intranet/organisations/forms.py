"""Forms for organisations and their contact persons, with Dutch messages next to each field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..web.fields import email_field, phone_field
from .models import ORGANISATION_KINDS


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Naam"),
        validators=[
            InputRequired(message=_l("Vul de naam van de organisatie in.")),
            Length(max=200, message=_l("De naam mag hoogstens 200 tekens lang zijn.")),
        ],
    )
    kind = SelectField(
        _l("Soort organisatie"),
        choices=[("", _l("Kies een soort")), *ORGANISATION_KINDS.items()],
        validate_choice=False,
        validators=[InputRequired(message=_l("Kies een soort organisatie."))],
    )
    email = email_field(
        _l("E-mailadres"),
        _l("Dit is geen geldig e-mailadres, bijvoorbeeld info@voorbeeld.nl."),
    )
    phone = phone_field(_l("Telefoonnummer"))
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            URL(message=_l("Dit is geen geldig webadres, bijvoorbeeld https://www.voorbeeld.nl.")),
            Length(max=300, message=_l("Het webadres mag hoogstens 300 tekens lang zijn.")),
        ],
    )
    notes = TextAreaField(
        _l("Notities"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("De notities mogen hoogstens 5000 tekens lang zijn.")),
        ],
    )

    def validate_kind(self, field: SelectField) -> None:
        if field.data not in ORGANISATION_KINDS:
            raise ValidationError(_("Kies een soort organisatie uit de lijst."))


class ContactForm(FlaskForm):
    resident_id = StringField(
        _l("Inwonernummer"),
        description=_l(
            "Het nummer uit het inwonersregister (zie de adresbalk op de pagina van de inwoner)."
        ),
        validators=[
            InputRequired(message=_l("Vul het nummer van de inwoner in.")),
            Regexp(r"^[0-9]{1,9}\Z", message=_l("Vul een inwonernummer in, alleen cijfers.")),
        ],
    )
    role = StringField(
        _l("Rol bij de organisatie"),
        validators=[
            Optional(),
            Length(max=120, message=_l("De rol mag hoogstens 120 tekens lang zijn.")),
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
    return [("", _("Geen organisatie")), *((str(i), n) for i, n in rows)]
