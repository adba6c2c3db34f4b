"""The municipality's feedback terms: one number of working days per kind of contribution."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from ..contract import CONTRIBUTION_KINDS

#: about a year of working days: longer is a typing error, not a policy
MAX_TERM = 250


def terms_form(current: dict[str, int]) -> FlaskForm:
    """A form with a field per kind (named after the kind), filled with the terms in force."""

    class TermsForm(FlaskForm):
        pass

    for kind, label in CONTRIBUTION_KINDS.items():
        setattr(
            TermsForm,
            kind,
            IntegerField(
                label,
                default=current.get(kind),
                validators=[
                    InputRequired(message=_l("Vul een aantal werkdagen in, bijvoorbeeld 20.")),
                    NumberRange(
                        min=1,
                        max=MAX_TERM,
                        message=_l("Vul een aantal werkdagen in van 1 tot en met 250."),
                    ),
                ],
                description=_l("Werkdagen na de bijdrage; weekend en feestdagen tellen niet mee."),
            ),
        )
    return TermsForm()
