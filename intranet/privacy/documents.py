"""The access-request document as HTML and PDF (WeasyPrint renders the same template)."""

from __future__ import annotations

from typing import Any

from flask import render_template


def access_request_html(data: dict[str, Any], resident_label: str, *, standalone: bool) -> str:
    return render_template(
        "privacy/access_document.html",
        data=data,
        resident_label=resident_label,
        standalone=standalone,
    )


def access_request_pdf(data: dict[str, Any], resident_label: str) -> bytes:
    from weasyprint import HTML

    html = access_request_html(data, resident_label, standalone=True)
    return HTML(string=html).write_pdf()
