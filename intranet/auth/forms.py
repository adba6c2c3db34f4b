"""The sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        _l("Gebruikersnaam"),
        validators=[
            DataRequired(message=_l("Vul uw gebruikersnaam in.")),
            Length(max=256, message=_l("Deze gebruikersnaam is te lang.")),
        ],
    )
    # No DataRequired here: an empty password gets the same answer as a wrong one.
    password = PasswordField(_l("Wachtwoord"))
    next = HiddenField()
