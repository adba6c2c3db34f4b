"""The personal calendar feed: an address with a secret token that a calendar program can
subscribe to without a session.

Only a SHA-256 hash of the token is stored; the address is shown once, when it is made. The
feed is computed with the permissions of the employee the token belongs to, so it shows what
that employee may see in the intranet and nothing more. Fetches are rate-limited per token and
written to the audit log at most once an hour per feed (calendar programs poll often).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import date, timedelta

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access.permissions import effective_permissions, public, requires
from ..audit.service import record
from ..extensions import db, limiter
from ..tenancy import current_municipality
from ..timeutil import as_utc, today, utcnow
from .calendar import plugin_items_between, to_ical, visible_to
from .models import CalendarFeed
from .views import bp

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{40,64}")
#: one fetch per feed written to the audit log per this period
AUDIT_EVERY = timedelta(hours=1)
#: the session key that carries a new address to the page once (PRG)
NEW_ADDRESS_KEY = "calendar_feed_new_address"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(employee_id: int) -> CalendarFeed | None:
    return db.session.execute(
        select(CalendarFeed).where(CalendarFeed.employee_id == employee_id)
    ).scalar_one_or_none()


def new_feed(employee) -> tuple[CalendarFeed, str]:  # type: ignore[no-untyped-def]
    """Make (or replace) the employee's feed; returns it and the new token. The old one stops."""
    token = secrets.token_urlsafe(32)
    feed = feed_of(employee.id)
    if feed is None:
        feed = CalendarFeed(municipality_id=employee.municipality_id, employee_id=employee.id)
        db.session.add(feed)
    feed.token_hash = token_hash(token)
    feed.created_at = utcnow()
    feed.last_audited_at = None
    return feed, token


def _token_key() -> str:
    """Rate-limit key: the feed address (its hash), not the caller's address."""
    token = (request.view_args or {}).get("token", "")
    return "calendar-feed:" + token_hash(str(token))


@bp.route("/kalender/abonnement", methods=["POST"])
@requires("core.dashboard")
def calendar_subscription():  # type: ignore[no-untyped-def]
    """Make, renew or revoke the signed-in employee's personal feed address."""
    action = request.form.get("actie", "")
    if action == "intrekken":
        feed = feed_of(current_user.id)
        if feed is not None:
            db.session.delete(feed)
            record("calendar.feed.revoked", object_type="calendar_feed", object_id=feed.id)
            db.session.commit()
        flash(_("Uw kalenderadres is ingetrokken: het werkt niet meer."), "success")
        return redirect(url_for(".calendar", _anchor="abonneren"))
    if action != "maken":
        abort(400)
    feed, token = new_feed(current_user)
    renewed = feed.id is not None  # an existing feed; a new one has no id before the flush
    db.session.flush()
    record(
        "calendar.feed.renewed" if renewed else "calendar.feed.created",
        object_type="calendar_feed",
        object_id=feed.id,
    )
    db.session.commit()
    session[NEW_ADDRESS_KEY] = url_for(".calendar_personal_feed", token=token, _external=True)
    flash(
        _("Uw nieuwe kalenderadres staat hieronder; het vorige werkt niet meer.")
        if renewed
        else _("Uw kalenderadres staat hieronder."),
        "success",
    )
    return redirect(url_for(".calendar", _anchor="abonneren"))


@bp.route("/kalender/<token>.ics")
@public
@limiter.limit(
    lambda: current_app.config.get("CALENDAR_FEED_LIMIT", "60 per hour"), key_func=_token_key
)
def calendar_personal_feed(token: str):  # type: ignore[no-untyped-def]
    """The feed a calendar program subscribes to; the token is the only credential."""
    municipality = current_municipality()
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404)
    digest = token_hash(token)
    feed = db.session.execute(
        select(CalendarFeed).where(
            CalendarFeed.municipality_id == municipality.id, CalendarFeed.token_hash == digest
        )
    ).scalar_one_or_none()
    # the lookup is by hash; the comparison below is constant-time all the same
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        abort(404)
    employee = feed.employee
    if not employee.active or employee.municipality_id != municipality.id:
        abort(404)
    # compute the feed as this employee: their permissions, and their name in the audit log
    g._login_user = employee
    g.pop("_permissions", None)
    held = effective_permissions(employee, municipality)
    if "core.dashboard" not in held:
        abort(404)
    allowed = visible_to(held, current_app.extensions["intranet"].permissions)
    now_day = today()
    start = date(now_day.year - (now_day.month <= 3), (now_day.month - 4) % 12 + 1, 1)
    end = date(now_day.year + 1, now_day.month, 1)
    host = current_app.extensions["intranet"].plugins
    pairs = plugin_items_between(host, municipality, start, end, allowed=allowed)
    now = utcnow()
    if feed.last_audited_at is None or as_utc(feed.last_audited_at) <= now - AUDIT_EVERY:
        feed.last_audited_at = now
        record(
            "calendar.feed.fetched",
            object_type="calendar_feed",
            object_id=feed.id,
            details={"items": len(pairs)},
        )
    db.session.commit()
    body = to_ical([item for _plugin, item in pairs], municipality.name, request.host)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
