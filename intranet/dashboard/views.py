"""The start page (what is on today, the widgets of the employee's roles) and the
participation calendar of one municipality."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, current_app, render_template, request, session
from flask_login import current_user

from ..access.permissions import effective_permissions, requires
from ..plugin_manager import flatten
from ..tenancy import current_municipality
from ..timeutil import local_today
from ..web.formatting import format_month
from .calendar import month_bounds, plugin_items_between, to_ical, visible_to

bp = Blueprint("core", __name__, url_prefix="/<municipality>")


@bp.route("/")
@requires("core.dashboard")
def dashboard():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    host = current_app.extensions["intranet"].plugins
    widgets = flatten(
        host.call_for_page(municipality, "intranet_dashboard_widgets", employee=current_user)
    )
    widgets.sort(key=lambda w: (w.order, w.title))
    day = local_today()
    today_items = _todays_items(host, municipality, day)
    return render_template("dashboard.html", widgets=widgets, today_items=today_items, day=day)


def _todays_items(host, municipality, day: date) -> list:  # type: ignore[no-untyped-def]
    """Today's calendar items on the start page: the same items, times and order as the
    calendar and the feed, and the same rule for who sees which."""
    return _visible_items(host, municipality, day, day + timedelta(days=1))


def _visible_items(host, municipality, start: date, end: date) -> list:  # type: ignore[no-untyped-def]
    """The items between ``start`` and ``end`` that the signed-in employee may see."""
    held = effective_permissions(current_user, municipality)
    allowed = visible_to(held, current_app.extensions["intranet"].permissions)
    pairs = plugin_items_between(host, municipality, start, end, allowed=allowed)
    return [item for _plugin, item in pairs]


def _requested_month() -> tuple[int, int, bool]:
    today = local_today()
    try:
        year = int(request.args.get("jaar", today.year))
        month = int(request.args.get("maand", today.month))
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise ValueError
    except ValueError:
        return today.year, today.month, False
    return year, month, True


@bp.route("/kalender")
@requires("core.dashboard")
def calendar():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    year, month, valid = _requested_month()
    start, end = month_bounds(year, month)
    host = current_app.extensions["intranet"].plugins
    items = _visible_items(host, municipality, start, end)
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    from .feed import NEW_ADDRESS_KEY, feed_of

    return render_template(
        "calendar.html",
        items=items,
        feed=feed_of(current_user.id),
        new_address=session.pop(NEW_ADDRESS_KEY, None),
        month_name=format_month(year, month),
        previous=previous,
        following=following,
        invalid_month=not valid,
    )


@bp.route("/kalender.ics")
@requires("core.dashboard")
def calendar_feed():  # type: ignore[no-untyped-def]
    """Three months back to a year ahead, for a calendar program's subscription."""
    municipality = current_municipality()
    today = local_today()
    start = date(today.year - (today.month <= 3), (today.month - 4) % 12 + 1, 1)
    end = date(today.year + 1, today.month, 1)
    host = current_app.extensions["intranet"].plugins
    items = _visible_items(host, municipality, start, end)
    body = to_ical(items, municipality.name, request.host.split(":")[0])
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="kalender-{municipality.slug}.ics"'},
    )
