"""The audit log page for administrators: filter and export."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select

from ..access.permissions import requires
from ..extensions import db
from ..tenancy import current_municipality
from ..web.csv_export import csv_response
from ..web.formatting import AMSTERDAM
from ..web.listing import Column, Filter, Listing
from .labels import action_label, actor_names
from .models import AuditEvent
from .service import record

bp = Blueprint("audit", __name__, url_prefix="/<municipality>/audit")

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000


def _parse_day(value: str | None) -> datetime | None:
    if not value:
        return None
    day = None
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):  # how people type it, and a browser's date input
        try:
            day = datetime.strptime(value.strip(), fmt).date()
            break
        except ValueError:
            continue
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def _date_filter(column_op):  # type: ignore[no-untyped-def]
    """A date filter; a date that does not parse narrows nothing (the page says why)."""

    def apply(stmt, value):  # type: ignore[no-untyped-def]
        day = _parse_day(value)
        return stmt if day is None else stmt.where(column_op(day))

    return apply


RESULTS = [
    ("success", lazy_gettext("gelukt")),
    ("denied", lazy_gettext("geweigerd")),
    ("failure", lazy_gettext("mislukt")),
    ("error", lazy_gettext("fout")),
]

EVENTS = Listing(
    "audit.index",
    columns=[
        Column("tijd", lazy_gettext("Tijd"), AuditEvent.time, first="af"),
        Column("medewerker", lazy_gettext("Medewerker"), AuditEvent.actor),
        Column("handeling", lazy_gettext("Handeling"), AuditEvent.action),
        Column("object", lazy_gettext("Object"), AuditEvent.object_type),
        Column("resultaat", lazy_gettext("Resultaat"), AuditEvent.result),
    ],
    default_sort="tijd",
    default_order="af",
    filters=[
        Filter(
            "handeling",
            lazy_gettext("Handeling (begint met)"),
            lambda stmt, v: stmt.where(AuditEvent.action.startswith(v, autoescape=True)),
            hint=lazy_gettext("Bijvoorbeeld resident. of auth.login"),
        ),
        Filter(
            "medewerker",
            lazy_gettext("Medewerker (gebruikersnaam)"),
            lambda stmt, v: stmt.where(AuditEvent.actor == v),
        ),
        Filter(
            "soort",
            lazy_gettext("Soort object"),
            lambda stmt, v: stmt.where(AuditEvent.object_type == v),
            hint=lazy_gettext("Bijvoorbeeld resident"),
        ),
        Filter(
            "object",
            lazy_gettext("Objectnummer"),
            lambda stmt, v: stmt.where(AuditEvent.object_id == v),
        ),
        Filter(
            "resultaat",
            lazy_gettext("Resultaat"),
            lambda stmt, v: stmt.where(AuditEvent.result == v),
            choices=RESULTS,
        ),
        Filter(
            "van",
            lazy_gettext("Vanaf datum"),
            _date_filter(lambda day: AuditEvent.time >= day),
            hint=lazy_gettext("dd-mm-jjjj, bijvoorbeeld 30-11-2026"),
        ),
        Filter(
            "tot",
            lazy_gettext("Tot en met datum"),
            _date_filter(lambda day: AuditEvent.time < day + timedelta(days=1)),
            hint=lazy_gettext("dd-mm-jjjj, bijvoorbeeld 30-11-2026"),
        ),
    ],
    per_page=PAGE_SIZE,
    tiebreak=AuditEvent.id.desc(),
)


def _base():  # type: ignore[no-untyped-def]
    return select(AuditEvent).where(AuditEvent.municipality_id == current_municipality().id)


def _date_errors(values: dict[str, str]) -> dict[str, str]:
    return {
        key: _("Vul een datum in als dd-mm-jjjj, bijvoorbeeld 30-11-2026.")
        for key in ("van", "tot")
        if values.get(key) and _parse_day(values[key]) is None
    }


@bp.route("/")
@requires("core.audit.view")
def index():  # type: ignore[no-untyped-def]
    """The log, newest first by default; sort, filters and page live in the URL."""
    listing = EVENTS.run(_base())
    events = listing.items
    return render_template(
        "audit/index.html",
        events=events,
        listing=listing,
        errors=_date_errors(listing.values),
        results=dict(RESULTS),
        action_label=action_label,
        actors=actor_names(current_municipality().id, {e.actor for e in events}),
    )


@bp.route("/export.csv")
@requires("core.audit.view")
def export():  # type: ignore[no-untyped-def]
    stmt, _values = EVENTS.filtered(_base())
    stmt = stmt.order_by(AuditEvent.time.desc(), AuditEvent.id.desc())
    record("audit.exported", object_type="audit", details={"filters": dict(request.args)})
    db.session.commit()
    rows = (
        (
            e.time.isoformat(),
            e.actor,
            e.action,
            e.object_type,
            e.object_id,
            e.result,
            e.origin,
            json.dumps(e.details, ensure_ascii=False),
        )
        for e in db.session.execute(stmt.limit(EXPORT_LIMIT)).scalars()
    )
    return csv_response(
        [
            _("tijd"),
            _("medewerker"),
            _("handeling"),
            _("soort"),
            _("object"),
            _("resultaat"),
            _("herkomst"),
            _("details"),
        ],
        rows,
        "auditlog.csv",
    )
