"""What every page's layout needs: the navigation from enabled plugins and plugin notices."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, url_for
from flask_babel import get_locale
from flask_login import current_user

from ..access.permissions import effective_permissions, has_permission
from ..contract import NavItem
from ..plugin_manager import flatten
from ..residents.models import RESIDENT_KINDS


def navigation() -> list[dict[str, Any]]:
    municipality = g.get("municipality")
    if municipality is None or not current_user.is_authenticated:
        return []
    if current_user.municipality_id != municipality.id:
        return []
    host = current_app.extensions["intranet"].plugins
    held = effective_permissions(current_user, municipality)
    items: list[NavItem] = [
        item
        for item in flatten(
            host.call_for_page(municipality, "intranet_navigation", employee=current_user)
        )
        if item.permission in held
    ]
    return [
        {
            "label": i.label,
            "url": url_for(i.endpoint, municipality=municipality.slug),
            "endpoint": i.endpoint,
        }
        for i in sorted(items, key=lambda i: (i.order, i.label))
    ]


def init_app(app: Flask) -> None:
    @app.context_processor
    def layout_context() -> dict[str, Any]:
        return {
            "navigation": navigation,
            "has_permission": has_permission,
            "municipality": g.get("municipality"),
            "plugin_notices": lambda: g.get("plugin_notices", []),
            "resident_kinds": RESIDENT_KINDS,
            "get_locale": get_locale,
        }

    @app.template_filter("datum")
    def format_date(value: Any) -> str:
        """A date (with weekday) in the reader's language, e.g. "woensdag 31 maart 2027"."""
        from ..web.formatting import format_long_date

        return format_long_date(value)

    @app.template_filter("datumtijd")
    def format_datetime(value: Any) -> str:
        """Date and time in the reader's language, Amsterdam time: "31 maart 2027 14:05"."""
        from ..web.formatting import format_date_time

        return format_date_time(value)

    @app.template_filter("getal")
    def format_number(value: Any) -> str:
        """A number with the reader's separators: "1.234,5" in Dutch, "1,234.5" in English."""
        from ..web.formatting import format_number

        return format_number(value)

    @app.template_filter("tijd")
    def format_time(value: Any) -> str:
        """The one filter for a time of day: Europe/Amsterdam, whatever the server's zone."""
        from ..web.formatting import local_time

        return local_time(value)
