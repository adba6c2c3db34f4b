"""What every page's layout needs: the navigation from enabled plugins and plugin notices."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access.permissions import effective_permissions, has_permission
from ..contract import NavItem
from ..plugin_manager import CORE, flatten
from ..residents.models import RESIDENT_KINDS
from .i18n import text

#: core items from this order on are administration, shown in their own group
ADMIN_ORDER = 800
#: the session key of the menu area the employee last worked in (opened on the start page)
LAST_AREA = "menu_area"


def _allowed_items() -> list[tuple[str, NavItem]]:
    """(plugin name, item) for every menu item the signed-in employee may use here."""
    municipality = g.get("municipality")
    if municipality is None or not current_user.is_authenticated:
        return []
    if current_user.municipality_id != municipality.id:
        return []
    if "_nav_items" in g:
        return g._nav_items  # type: ignore[no-any-return]
    host = current_app.extensions["intranet"].plugins
    held = effective_permissions(current_user, municipality)
    items: list[tuple[str, NavItem]] = []
    for result in host.call_for_page(municipality, "intranet_navigation", employee=current_user):
        for item in flatten([result]):
            if item.permission in held:
                items.append((result.plugin, item))
    g._nav_items = items
    return items


def _page_url(endpoint: str) -> str:
    """The address of a municipality's menu page, built once per process.

    The menu, the breadcrumbs and the test for the current group asked ``url_for`` for the
    same few addresses some forty times a page. They depend only on the endpoint, the
    municipality and where the app is mounted, none of which changes while a process runs.
    """
    key = (request.script_root, g.municipality.slug, endpoint)
    urls: dict[tuple[str, str, str], str] = current_app.extensions.setdefault(
        "intranet.page_urls", {}
    )
    url = urls.get(key)
    if url is None:
        url = urls[key] = url_for(endpoint, municipality=g.municipality.slug)
    return url


def _entry(item: NavItem) -> dict[str, Any]:
    return {"label": text(item.label), "url": _page_url(item.endpoint), "endpoint": item.endpoint}


def _menu() -> list[tuple[str, dict[str, Any]]]:
    """(group key, entry) for every menu item the employee may use, in menu order.

    Built once per request: the menu, the breadcrumbs and ``navigation()`` all read it. Each
    entry knows whether the current page is it or lies below it (``current``).
    """
    if "_menu" in g:
        return g._menu  # type: ignore[no-any-return]
    menu = []
    for plugin, item in sorted(_allowed_items(), key=lambda pi: (pi[1].order, pi[1].label)):
        entry = _entry(item)
        entry["current"] = _is_current(entry)
        menu.append((_group_key(plugin, item), entry))
    if "_nav_items" in g:  # nobody signed in yet: not kept, like the items themselves
        g._menu = menu
    return menu


def navigation() -> list[dict[str, Any]]:
    """Every menu item the employee may use, in one list (menu order)."""
    return [entry for _key, entry in _menu()]


def _group_key(plugin: str, item: NavItem) -> str:
    if plugin == CORE:
        return "beheer" if item.order >= ADMIN_ORDER else "algemeen"
    return plugin


def navigation_groups() -> list[dict[str, Any]]:
    """The menu per area: the core's daily pages, each plugin, then administration.

    Each group has a heading and is a ``<details>`` element, so it folds without JavaScript;
    the group of the current page is open; on the start page, the area last worked in.
    """
    host = current_app.extensions["intranet"].plugins
    groups: dict[str, dict[str, Any]] = {}
    order: dict[str, int] = {}
    for key, entry in _menu():
        if key not in groups:
            if key == "algemeen":
                title = str(_l("Algemeen"))
            elif key == "beheer":
                title = str(_l("Beheer"))
            else:
                title = host.title_of(key)
            groups[key] = {"key": key, "title": title, "items": [], "current": False}
            order[key] = 0 if key == "algemeen" else (2 if key == "beheer" else 1)
        groups[key]["items"].append(entry)
        if entry["current"]:
            groups[key]["current"] = True
    result = sorted(groups.values(), key=lambda grp: order[grp["key"]])
    start_area = _start_page_area(result)
    for group in result:
        shown = group["key"] == start_area if start_area is not None else group["current"]
        group["open"] = shown or len(result) <= 2
    return result


def _start_page_area(groups: list[dict[str, Any]]) -> str | None:
    """On the start page, the one area whose group is open; elsewhere None (and the area of
    the page is remembered for the next visit to the start page).

    The start page used to open every group, so a clerk Tabbed past the general and the
    other plugins' items to reach the area they work in. Now it opens the area the employee
    last worked in, or the first plugin's when there is none yet.
    """
    keys = [grp["key"] for grp in groups]
    if request.endpoint != "core.dashboard":
        current = next((grp["key"] for grp in groups if grp["current"]), None)
        if current is not None and session.get(LAST_AREA) != current:
            session[LAST_AREA] = current
        return None
    remembered = session.get(LAST_AREA)
    if remembered in keys:
        return str(remembered)
    plugins = [k for k in keys if k not in ("algemeen", "beheer")]
    return plugins[0] if plugins else (keys[0] if keys else "")


def _is_current(entry: dict[str, Any]) -> bool:
    if request.endpoint == entry["endpoint"]:
        return True
    path = entry["url"].rstrip("/")
    start = _page_url("core.dashboard").rstrip("/")
    return path != start and request.path.startswith(path + "/")


def breadcrumbs() -> list[dict[str, str]]:
    """The trail above the page: the start page, the area's page and, deeper down, the
    menu item the page belongs to. The current page itself is added by the template."""
    municipality = g.get("municipality")
    if municipality is None or request.endpoint == "core.dashboard":
        return []
    entries = navigation()  # the request's menu, built once (see _menu)
    if not entries:
        return []
    trail = [
        {
            "label": str(_l("Start")),
            "url": _page_url("core.dashboard"),
        }
    ]
    parents = [
        e
        for e in entries
        if e["endpoint"] != "core.dashboard" and e["current"] and request.endpoint != e["endpoint"]
    ]
    # the longest matching menu address is the nearest parent; a shorter one its area
    parents.sort(key=lambda e: len(e["url"]))
    seen = set()
    for entry in parents:
        if entry["url"] not in seen:
            seen.add(entry["url"])
            trail.append({"label": entry["label"], "url": entry["url"]})
    return trail


def init_app(app: Flask) -> None:
    @app.context_processor
    def layout_context() -> dict[str, Any]:
        return {
            "navigation": navigation,
            "navigation_groups": navigation_groups,
            "breadcrumbs": breadcrumbs,
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

    @app.template_filter("waarde")
    def record_value(value: Any) -> str:
        """A value of a personal-data record as a reader reads it: a list of contributions as
        "one; two", nothing as a dash (not ``['one', 'two']`` or ``None``)."""
        if isinstance(value, list | tuple | set):
            value = "; ".join(str(v) for v in value if v not in (None, ""))
        return "—" if value in (None, "") else str(value)

    @app.template_filter("medewerker")
    def employee_name(username: str | None) -> str:
        """Who did something, as the audit log names them: "Mirjam Bakker (raadslid)" rather
        than the bare user name stored with a report or a status change; once per request."""
        from ..audit.labels import actor_names

        municipality = g.get("municipality")
        if not username or municipality is None:
            return username or ""
        known: dict[str, str] = g.setdefault("employee_names", {})
        if username not in known:
            known.update(actor_names(municipality.id, [username]))
            known.setdefault(username, username)
        return known[username]

    @app.template_filter("tijd")
    def format_time(value: Any) -> str:
        """The one filter for a time of day: Europe/Amsterdam, whatever the server's zone."""
        from ..web.formatting import local_time

        return local_time(value)
