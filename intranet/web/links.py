"""Links that hooks report: the same code runs in a request and outside one."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, url_for


def page_url(municipality: Any, endpoint: str, **values: Any) -> str | None:
    """The address of a municipality's page, or None outside a request (the CLI's
    access-request and calendar exports), where no address can be built."""
    if not has_request_context():
        return None
    return url_for(endpoint, municipality=municipality.slug, **values)
