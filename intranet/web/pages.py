"""Rendering a page that holds forms, with the status a refused POST deserves."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from wtforms import Form


def form_page(
    template: str, *forms: Form | None, invalid: bool = False, **context: Any
) -> tuple[str, int]:
    """Render ``template``; status 400 when a POST was refused, else 200.

    A POST counts as refused when one of the forms has errors: the ``forms`` given, and any
    form among the template's ``context`` values (so ``form_page("x.html", form=form)``
    suffices), or when ``invalid`` says the input was refused otherwise. The page shows
    the errors next to the fields and keeps what was typed; the status tells browsers,
    tests and monitoring that nothing was saved.
    """
    checked = [*forms, *(v for v in context.values() if isinstance(v, Form))]
    refused = invalid or any(f is not None and f.errors for f in checked)
    status = 400 if request.method == "POST" and refused else 200
    return render_template(template, **context), status
