"""Special-category data (AVG art. 9: health, for instance the kind of care or what someone
needs) is rendered through one helper, never printed straight from a row.

``special(value, resident=…, field=…)`` — a Python function and the Jinja global of the same
name — returns the value only to an employee holding ``core.privacy.special``; everyone else
gets a short Dutch notice instead. Each read is audited as ``privacy.special_read``: one event
per resident per request, naming the fields read (a list of fifty requests writes one event
per resident on it, not one per cell). The events are written when the response leaves; if
the view left other changes uncommitted, those are not ours to commit and the view's own
commit (``render_audited``) carries the events.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, g, has_request_context
from markupsafe import Markup, escape

from ..access.permissions import has_permission
from ..audit.models import AuditEvent
from ..audit.service import record
from ..extensions import db
from ..web.i18n import N_

PERMISSION = "core.privacy.special"
WITHHELD = N_(
    "Bijzonder persoonsgegeven: alleen zichtbaar met het recht ‘Bijzondere persoonsgegevens inzien’"
)


def may_see_special() -> bool:
    """May the signed-in employee see special-category data here (no audit: nothing read)?"""
    return has_request_context() and has_permission(PERMISSION)


def special(
    value: Any,
    *,
    field: str,
    resident: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    withheld: str | None = None,
) -> Any:
    """``value`` for who may see it (and the read audited once per request), else a notice.

    ``resident`` is a Resident or a resident id; ``field`` names what was read ("behoeften",
    "soort zorg", "motivatie", …) for the access log. Empty values are returned as they are:
    nothing is read, so nothing is audited.
    """
    if value is None or value == "" or value == []:
        return value
    if not may_see_special():
        return _notice(withheld)
    resident_id = getattr(resident, "id", resident)
    reads: dict[Any, dict[str, Any]] = g.setdefault("special_reads", {})
    read = reads.setdefault(
        resident_id, {"fields": set(), "object_type": object_type, "object_id": object_id}
    )
    read["fields"].add(field)
    return value


def _notice(text: str | None) -> Markup:
    from flask_babel import gettext

    message = text or gettext(WITHHELD)
    return Markup('<span class="special-withheld">{}</span>').format(escape(message))


def _write_reads(response: Response) -> Response:
    reads: dict[Any, dict[str, Any]] = g.pop("special_reads", {})
    if not reads:
        return response
    for resident_id, read in reads.items():
        details: dict[str, Any] = {"fields": sorted(read["fields"])}
        if resident_id is not None:
            details["resident"] = str(resident_id)
        record(
            "privacy.special_read",
            object_type=read["object_type"] or ("resident" if resident_id is not None else None),
            object_id=read["object_id"] if read["object_type"] else resident_id,
            details=details,
        )
    session = db.session
    only_audit = (
        all(isinstance(obj, AuditEvent) for obj in session.new)
        and not session.dirty
        and not session.deleted
    )
    if only_audit:
        session.commit()
    return response


def init_app(app: Flask) -> None:
    app.add_template_global(special, "special")
    app.add_template_global(may_see_special, "may_see_special")
    app.after_request(_write_reads)
