"""Forms for privacy requests."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError


class ErasureForm(FlaskForm):
    reason = TextAreaField(
        "Grondslag van het verzoek",
        validators=[
            InputRequired(
                message="Leg vast op grond waarvan u verwijdert, bijvoorbeeld het kenmerk van het verwijderverzoek."
            ),
            Length(max=1000, message="Hoogstens 1000 tekens."),
        ],
        description="Noem geen persoonsgegevens: dit blijft bewaard als verantwoording.",
    )
    confirm = StringField(
        "Typ VERWIJDEREN ter bevestiging",
        validators=[InputRequired(message="Typ VERWIJDEREN om te bevestigen.")],
    )

    def validate_confirm(self, field: StringField) -> None:
        if (field.data or "").strip() != "VERWIJDEREN":
            raise ValidationError("Typ precies VERWIJDEREN om te bevestigen.")
