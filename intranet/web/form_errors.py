"""One error summary for every refused form (NL Design System / GOV.UK pattern).

Views render their forms in many templates; rather than every template listing the errors,
this collects the invalid forms from the template context just before a page is rendered, so
``base.html`` shows one summary at the top of the page that links to each field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, before_render_template
from wtforms import Form
from wtforms.fields import Field, FieldList, FormField
from wtforms.widgets import ListWidget


@dataclass(frozen=True)
class PageError:
    """One line of the error summary: the field's label, the message and where it is."""

    href: str
    label: str
    message: str


def _field_target(field: Field) -> str:
    """The element the summary links to: the field itself, or its first option."""
    if isinstance(field.widget, ListWidget):
        return f"{field.id}-0"
    return field.id


def _field_errors(field: Field) -> list[PageError]:
    if isinstance(field, FormField):
        return [e for sub in field.form for e in _field_errors(sub)]
    if isinstance(field, FieldList):
        return [e for sub in field.entries for e in _field_errors(sub)]
    # a message is text: a str, or a translated message (a lazy string) from a validator
    messages = [m for m in field.errors if not isinstance(m, list | tuple | dict)]
    label = field.label.text if field.label is not None else field.name
    return [PageError(f"#{_field_target(field)}", str(label), str(m)) for m in messages]


def form_page_errors(form: Form) -> list[PageError]:
    """Every message of one form, fields in their order, form-wide messages first."""
    out = [PageError("#inhoud", "", str(m)) for m in getattr(form, "form_errors", [])]
    for field in form:
        if field.type in ("CSRFTokenField",):
            for m in field.errors:
                out.append(PageError("#inhoud", "", str(m)))
            continue
        out.extend(_field_errors(field))
    return out


def _forms_in(value: Any) -> list[Form]:
    if isinstance(value, Form):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, Form)]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, Form)]
    return []


def collect(context: dict[str, Any]) -> list[PageError]:
    """The errors of all forms in a template context, each form once, in a stable order."""
    seen: set[int] = set()
    errors: list[PageError] = []
    for value in list(context.values()):
        for form in _forms_in(value):
            if id(form) in seen:
                continue
            seen.add(id(form))
            errors.extend(form_page_errors(form))
    return errors


def init_app(app: Flask) -> None:
    def add_page_errors(sender: Flask, template: Any, context: dict[str, Any], **_: Any) -> None:
        if "page_errors" not in context:
            context["page_errors"] = collect(context)

    before_render_template.connect(add_page_errors, app, weak=False)
