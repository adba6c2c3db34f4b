"""The sign-in form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        "Gebruikersnaam",
        validators=[
            DataRequired(message="Vul uw gebruikersnaam in."),
            Length(max=256, message="Deze gebruikersnaam is te lang."),
        ],
    )
    # No DataRequired here: an empty password gets the same answer as a wrong one.
    password = PasswordField("Wachtwoord")
    next = HiddenField()
