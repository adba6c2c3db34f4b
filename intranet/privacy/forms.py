"""Forms for privacy requests."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

#: a hundred years: longer is a typing error, not a policy
MAX_RETENTION_DAYS = 36_500


class ErasureForm(FlaskForm):
    reason = TextAreaField(
        _l("Grondslag van het verzoek"),
        validators=[
            InputRequired(
                message=_l(
                    "Leg vast op grond waarvan u verwijdert, bijvoorbeeld het kenmerk van het verwijderverzoek."
                )
            ),
            Length(max=1000, message=_l("Hoogstens 1000 tekens.")),
        ],
        description=_l("Noem geen persoonsgegevens: dit blijft bewaard als verantwoording."),
    )
    confirm = StringField(
        _l("Typ VERWIJDEREN ter bevestiging"),
        validators=[InputRequired(message=_l("Typ VERWIJDEREN om te bevestigen."))],
    )

    def validate_confirm(self, field: StringField) -> None:
        if (field.data or "").strip() != "VERWIJDEREN":
            raise ValidationError(_("Typ precies VERWIJDEREN om te bevestigen."))


class RetentionForm(FlaskForm):
    """The municipality's own period for one retention category; empty means the default."""

    days = StringField(
        _l("Eigen bewaartermijn in dagen"),
        validators=[Length(max=10, message=_l("Vul een aantal dagen in, bijvoorbeeld 730."))],
    )

    def validate_days(self, field: StringField) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        if not (text.isdigit() and text.isascii()) or not 1 <= int(text) <= MAX_RETENTION_DAYS:
            raise ValidationError(
                _(
                    "Vul een heel aantal dagen in tussen 1 en %(max)d, "
                    "of laat het veld leeg voor de standaardtermijn.",
                    max=MAX_RETENTION_DAYS,
                )
            )

    @property
    def chosen_days(self) -> int | None:
        text = (self.days.data or "").strip()
        return int(text) if text else None
