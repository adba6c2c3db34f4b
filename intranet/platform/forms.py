"""Forms of the platform administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, Regexp

from ..municipalities.service import SLUG_PATTERN


class MunicipalityForm(FlaskForm):
    slug = StringField(
        _l("Korte naam (in de adresbalk)"),
        validators=[
            InputRequired(message=_l("Vul een korte naam in, bijvoorbeeld 'zwolle'.")),
            Regexp(
                SLUG_PATTERN.pattern,
                message=_l(
                    "Gebruik 2 tot 40 kleine letters, cijfers of streepjes; begin met een letter."
                ),
            ),
        ],
    )
    name = StringField(
        _l("Naam"),
        validators=[
            InputRequired(message=_l("Vul de naam van de gemeente in.")),
            Length(max=120, message=_l("De naam mag hoogstens 120 tekens lang zijn.")),
        ],
    )


class PluginToggleForm(FlaskForm):
    plugin = HiddenField(validators=[InputRequired()])
    action = HiddenField(validators=[InputRequired()])
