"""The audit log page for administrators: filter and export."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..access.permissions import requires
from ..extensions import db
from ..tenancy import current_municipality
from ..web.csv_export import csv_response
from ..web.formatting import AMSTERDAM
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


def _filtered():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    args = request.args
    errors: dict[str, str] = {}
    stmt = select(AuditEvent).where(AuditEvent.municipality_id == municipality.id)
    if action := (args.get("handeling") or "").strip()[:80]:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    if actor := (args.get("medewerker") or "").strip()[:200]:
        stmt = stmt.where(AuditEvent.actor == actor)
    if object_type := (args.get("soort") or "").strip()[:80]:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id := (args.get("object") or "").strip()[:80]:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    if result := (args.get("resultaat") or "").strip()[:20]:
        stmt = stmt.where(AuditEvent.result == result)
    start, end = _parse_day(args.get("van")), _parse_day(args.get("tot"))
    if args.get("van") and start is None:
        errors["van"] = _("Vul een datum in als dd-mm-jjjj, bijvoorbeeld 30-11-2026.")
    if args.get("tot") and end is None:
        errors["tot"] = _("Vul een datum in als dd-mm-jjjj, bijvoorbeeld 30-11-2026.")
    if start:
        stmt = stmt.where(AuditEvent.time >= start)
    if end:
        stmt = stmt.where(AuditEvent.time < end + timedelta(days=1))
    return stmt.order_by(AuditEvent.time.desc(), AuditEvent.id.desc()), errors


@bp.route("/")
@requires("core.audit.view")
def index():  # type: ignore[no-untyped-def]
    stmt, errors = _filtered()
    events = db.session.execute(stmt.limit(PAGE_SIZE)).scalars().all()
    return render_template(
        "audit/index.html",
        events=events,
        errors=errors,
        args=request.args,
        action_label=action_label,
        actors=actor_names(current_municipality().id, {e.actor for e in events}),
    )


@bp.route("/export.csv")
@requires("core.audit.view")
def export():  # type: ignore[no-untyped-def]
    stmt, _errors = _filtered()
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
