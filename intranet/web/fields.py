"""Form fields whose parse errors are plain Dutch, for the core and plugins alike."""

from __future__ import annotations

from typing import Any

from wtforms import DateField, SelectMultipleField, TimeField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

DATE_MESSAGE = "Vul een geldige datum in, bijvoorbeeld 2026-07-01."
TIME_MESSAGE = "Vul een geldige tijd in, bijvoorbeeld 10:30."


class DutchDateField(DateField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(DATE_MESSAGE) from exc


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
            raise ValidationError("Kies alleen uit de getoonde mogelijkheden.")
