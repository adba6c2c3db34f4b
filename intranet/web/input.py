"""Control characters (NUL and friends) are refused once, for every request and every form.

PostgreSQL refuses a NUL byte in text, and no person types a control character on purpose:
they come from copy-paste accidents, broken clients or attacks. Two layers, both here:

* **Every form field.** Each WTForms text field (``StringField`` and its subclasses:
  ``TextAreaField``, ``EmailField``, ``PasswordField`` …) of every
  ``FlaskForm`` — the core's, every plugin's, and forms added later — gets the
  ``NoControlCharacters`` validator through Flask-WTF's form meta (``bind_field``). The
  form then shows a Dutch message next to the field where it was typed, and nothing is saved.
  Hidden fields (``next`` after sign-in, …) were typed by nobody: there the characters are
  filtered out instead (and what remains is checked as before, e.g. by ``safe_next``).
* **The address itself.** A control character in the path or in a query parameter (name or
  value) is answered with a 400 page in plain Dutch before any view or database query runs.
  Query parameters are filters, page numbers and links, not something worth repairing, and
  stripping silently would show results for a different search than the one typed.

Tab, line feed and carriage return stay allowed in form fields (text areas have lines).
Views that read ``request.form`` by hand check ``has_control_characters`` themselves.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest
from wtforms import Field, Form, HiddenField, StringField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation

#: C0 controls except tab, LF and CR; DEL; and the C1 controls
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: in an address not even tab or line breaks belong
CONTROL_IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

FIELD_MESSAGE = _l(
    "Dit veld bevat een onzichtbaar stuurteken (bijvoorbeeld een nul-teken) dat hier niet "
    "mag staan. Typ de tekst opnieuw in, of plak hem eerst in een gewone teksteditor."
)
ADDRESS_MESSAGE = _l(
    "Het adres of de zoekopdracht bevat een onzichtbaar stuurteken (bijvoorbeeld een "
    "nul-teken) dat niet is toegestaan. Ga terug en typ de zoekopdracht opnieuw in."
)


def has_control_characters(value: object) -> bool:
    """True when a submitted value holds a control character other than tab, LF or CR."""
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


class NoControlCharacters:
    """WTForms validator: refuse control characters with a Dutch message on the field."""

    field_flags: dict[str, Any] = {}

    def __call__(self, form: Form, field: Field) -> None:
        if any(has_control_characters(raw) for raw in field.raw_data or []):
            field.errors[:] = []
            raise StopValidation(FIELD_MESSAGE)


_NO_CONTROL = NoControlCharacters()
_original_bind_field = DefaultMeta.bind_field


def strip_control_characters(value: Any) -> Any:
    """Filter for hidden fields: nobody typed them, so there is no one to show an error to."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def _bind_field(self: DefaultMeta, form: Form, unbound_field: Any, options: dict) -> Field:  # type: ignore[type-arg]
    field = _original_bind_field(self, form, unbound_field, options)
    if isinstance(field, HiddenField):
        field.filters = (*field.filters, strip_control_characters)
    elif isinstance(field, StringField) and _NO_CONTROL not in field.validators:
        field.validators = [_NO_CONTROL, *field.validators]
    return field


class ControlCharacterInAddress(BadRequest):
    """A 400 whose page says what was wrong (see ``init_app``)."""

    description = ADDRESS_MESSAGE


def _refuse_control_characters_in_address(_endpoint: str | None, _values: Any) -> None:
    """Runs as the first URL value preprocessor: before the municipality is looked up."""
    if CONTROL_IN_ADDRESS.search(request.path):
        raise ControlCharacterInAddress()
    for name, values in request.args.lists():
        if CONTROL_IN_ADDRESS.search(name) or any(CONTROL_IN_ADDRESS.search(v) for v in values):
            raise ControlCharacterInAddress()


def init_app(app: Flask) -> None:
    """Install both layers; call before any other URL value preprocessor is registered."""
    FlaskForm.Meta.bind_field = _bind_field  # type: ignore[method-assign]
    app.url_value_preprocessor(_refuse_control_characters_in_address)

    @app.errorhandler(ControlCharacterInAddress)
    def control_character_page(_exc: ControlCharacterInAddress):  # type: ignore[no-untyped-def]
        from .errors import render_error

        return render_error(400, ADDRESS_MESSAGE)
