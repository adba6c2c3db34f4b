"""Small helpers for the views."""

from __future__ import annotations

from typing import Any

from flask import render_template


def page(template: str, form: Any = None, **context: Any):  # type: ignore[no-untyped-def]
    """Render a form page: status 400 when the posted form has errors (values are kept)."""
    status = 400 if form is not None and form.errors else 200
    return render_template(template, form=form, **context), status
