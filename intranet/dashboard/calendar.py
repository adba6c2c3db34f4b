"""Collecting calendar items from every enabled plugin and writing them as iCalendar."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from icalendar import Calendar, Event
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from ..access.permissions import PERMISSION_ATTR
from ..contract import CalendarItem
from ..plugin_manager import CORE, PluginHost, flatten
from ..timeutil import as_utc, to_local, utcnow
from ..web.formatting import AMSTERDAM


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def items_between(host: PluginHost, municipality, start: date, end: date) -> list[CalendarItem]:  # type: ignore[no-untyped-def]
    """A plugin that fails is left out (and logged); the others' items still show."""
    return [item for _plugin, item in plugin_items_between(host, municipality, start, end)]


def plugin_items_between(
    host: PluginHost,
    municipality: Any,
    start: date,
    end: date,
    allowed: Any = None,
) -> list[tuple[str, CalendarItem]]:
    """(plugin, item) pairs in time order; with ``allowed(plugin, item)``, only those it lets
    through (the personal feed asks the employee's permissions)."""
    pairs: list[tuple[str, CalendarItem]] = []
    for result in host.call_for_page(municipality, "intranet_calendar_items", start=start, end=end):
        for item in flatten([result]):
            # the hook's contract: a naive datetime is Amsterdam wall-clock time
            item = replace(item, start=_aware(item.start), end=_aware(item.end))
            if item.uid == "":
                item = replace(item, uid=stable_uid(result.plugin, item))
            if allowed is None or allowed(result.plugin, item):
                pairs.append((result.plugin, item))
    return sorted(pairs, key=lambda pair: _sort_key(pair[1].start))


def visible_to(
    held: Collection[str], registry: Mapping[str, tuple[str, Any]]
) -> Callable[[str, CalendarItem], bool]:
    """Which items an employee holding ``held`` sees, for ``plugin_items_between(allowed=…)``.

    The calendar page, its download, the personal feed and the start page all use this one
    rule, so none of them shows a title the employee may not read or links to a page that
    answers 403. An item is shown when the employee holds the item's own ``permission`` (if
    it names one) and the permission that the page it links to asks (its view's
    ``@requires``, found from the address, so a plugin need not repeat it). An item without
    either belongs to its plugin: shown to whoever holds any permission of that plugin.
    """
    plugins_held = {registry[code][0] for code in held if code in registry}

    def allowed(plugin: str, item: CalendarItem) -> bool:
        if item.permission and item.permission not in held:
            return False
        needed = permission_of_page(item.url) if item.url else None
        if needed is not None:
            return needed == "" or needed in held
        return bool(item.permission) or plugin == CORE or plugin in plugins_held

    return allowed


#: what ``permission_of_page`` answers for an address of this app that leads nowhere (404,
#: POST only): no one holds it, so such an item is hidden rather than shown to everyone
NO_PAGE = "\x00no-page"


def permission_of_page(url: str) -> str | None:
    """The permission the page at ``url`` asks: its view's ``@requires`` code, "" for a page
    that asks none, ``NO_PAGE`` for an address of this app that leads nowhere, and None for
    an address elsewhere (or outside a request), where the plugin's own rule applies."""
    parts = urlsplit(url)
    if not has_request_context() or (parts.netloc and parts.netloc != request.host):
        return None
    adapter = current_app.create_url_adapter(request)
    if adapter is None:
        return None
    path = parts.path
    for _attempt in range(2):  # once more after a redirect (a missing trailing slash)
        root = request.script_root
        if root and (path == root or path.startswith(root + "/")):
            path = path[len(root) :] or "/"
        try:
            endpoint, _values = adapter.match(path, method="GET")
        except RequestRedirect as redirect:
            path = urlsplit(redirect.new_url).path
            continue
        except HTTPException:
            return NO_PAGE
        return getattr(current_app.view_functions.get(endpoint), PERMISSION_ATTR, "")
    return NO_PAGE


def stable_uid(plugin: str, item: CalendarItem) -> str:
    """A UID that is the same in every process and on every day, for an item that brings
    none: a calendar program then updates the event instead of adding a copy. (Python's
    ``hash()`` of a string differs per process, so it cannot be used.)"""
    key = f"{plugin}|{item.title}|{item.start.isoformat()}".encode()
    return f"{plugin}-{hashlib.sha256(key).hexdigest()[:32]}@intranet"


def _aware(value: date | datetime | None) -> date | datetime | None:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=AMSTERDAM)
    return value


def _sort_key(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return as_utc(_aware(value))  # type: ignore[return-value, arg-type]
    return datetime(value.year, value.month, value.day, tzinfo=AMSTERDAM)


def to_ical(items: list[CalendarItem], municipality_name: str, host_name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Intranet cliëntparticipatie//NL")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Participatiekalender %(name)s", name=municipality_name))
    for item in items:
        event = Event()
        event.add("uid", item.uid or stable_uid("intranet", item))
        event.add("summary", item.title)
        start = item.start
        if isinstance(start, datetime):
            start = to_local(_aware(start))  # type: ignore[arg-type]  # Amsterdam, with TZID
        event.add("dtstart", start)
        end = item.end
        if isinstance(end, datetime):
            end = to_local(_aware(end))  # type: ignore[arg-type]
        if end is None and not isinstance(start, datetime):
            end = start + timedelta(days=1)
        if end is not None:
            event.add("dtend", end)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if item.category:
            event.add("categories", [item.category])
        event.add("dtstamp", utcnow())
        cal.add_component(event)
    if hasattr(cal, "add_missing_timezones"):  # icalendar >= 6: a VTIMEZONE for each TZID
        cal.add_missing_timezones()
    return cal.to_ical()
