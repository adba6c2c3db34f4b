"""Form fields whose parse errors are plain Dutch, for the core and plugins alike."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, SelectMultipleField, StringField, TimeField
from wtforms.validators import Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

DATE_MESSAGE = _l("Vul een geldige datum in, bijvoorbeeld 21-11-2026.")
TIME_MESSAGE = _l("Vul een geldige tijd in, bijvoorbeeld 10:30.")
DATETIME_MESSAGE = _l("Vul een geldige datum en tijd in, bijvoorbeeld 21-11-2026 19:30.")
#: digits, spaces, brackets and dashes, an optional + in front: how people write a number
PHONE = r"^\+?[0-9 ()-]{6,20}\Z"
PHONE_MESSAGE = _l("Gebruik alleen cijfers, spaties, streepjes en eventueel een + vooraan.")
#: what the browser's date input sends first (and what the field renders), then how people type
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class _TypedDate:
    """What the date and the date-and-time field share: spaces forgiven, an empty box left to
    the field's own required message, one Dutch sentence for what cannot be read, and a value
    rendered back in the browser input's own form."""

    message: Any = DATE_MESSAGE
    strptime_format: list[str]

    def process_formdata(self, valuelist: list[Any]) -> None:
        # an empty box is no date rather than a wrong one: the field's own "required" message
        # (or Optional) decides, instead of "Vul een geldige datum in"
        if not valuelist:
            return  # not posted at all: the default stays, as with WTForms' own field
        typed = [str(v).strip() for v in valuelist]
        self.raw_data = typed  # so that InputRequired sees spaces alone as nothing typed
        if not any(typed):
            self.data = None
            return
        try:
            super().process_formdata(typed)  # type: ignore[misc]
        except ValueError as exc:
            raise ValueError(self.message) from exc

    def _value(self) -> str:
        # a typed 21-11-2026 comes back as 2026-11-21: a date input drops any other form, so a
        # form refused for another field would otherwise lose the date
        if self.data is not None and not self.process_errors:
            return str(self.data.strftime(self.strptime_format[0]))
        return super()._value()  # type: ignore[misc,no-any-return]


class DutchDateField(_TypedDate, DateField):
    """The one date field of the core and the plugins: it accepts the browser's 2026-11-21
    and a typed 21-11-2026."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", DATE_FORMATS)
        super().__init__(*args, **kwargs)


class DutchDateTimeField(_TypedDate, DateTimeLocalField):
    """A moment: the browser's 2026-11-21T19:30 and a typed 21-11-2026 19:30."""

    message = DATETIME_MESSAGE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", DATETIME_FORMATS)
        super().__init__(*args, **kwargs)


class DutchTimeField(TimeField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(TIME_MESSAGE) from exc


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes; render with the ``checkboxes`` macro of macros/forms.html."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        allowed = {str(value) for value, *_rest in self.iter_choices()}
        if any(str(d) not in allowed for d in self.data or []):
            raise ValidationError(_("Kies alleen uit de getoonde mogelijkheden."))


class AtLeastOne:
    """A list of checkboxes of which at least one must be ticked; marks the field required
    (the legend says "verplicht") without a ``required`` attribute on every checkbox."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            raise ValidationError(self.message)


def email_field(label: Any, invalid: Any, **kw: Any) -> StringField:
    """An optional e-mail address, checked for its form and for SMTP's 254 characters;
    ``invalid`` names an example address that fits the field."""
    return StringField(
        label,
        validators=[
            Optional(),
            Email(message=invalid),
            Length(max=254, message=_l("Het e-mailadres is te lang.")),
        ],
        **kw,
    )


def phone_field(label: Any, **kw: Any) -> StringField:
    """An optional telephone number, by the one rule of the residents register."""
    return StringField(label, validators=[Optional(), Regexp(PHONE, message=PHONE_MESSAGE)], **kw)
