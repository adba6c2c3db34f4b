"""Reach: who did the council members talk with, so the working group can steer its
outreach towards residents who are normally not heard."""

from __future__ import annotations

from collections import Counter

from flask import render_template, request

from intranet.plugin_api import REACH_THRESHOLD, _, _l, db, requires, scoped

from ..models import CLOSED, FORMS, GROUPINGS, HELD, REPORTED, ConversationRequest
from . import bp

HELD_STATUSES = (HELD, REPORTED, CLOSED)
#: a figure under this many people could point at one resident (often with their kind of
#: care, a health matter): it is never shown to council members; the core's reach threshold
THRESHOLD = REACH_THRESHOLD
OTHER = _l("Overige (kleine aantallen samen)")


def suppress_small(rows: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], bool]:
    """Hide every category under the threshold: together they become one unnamed "other"
    row when that reaches the threshold; otherwise they are left out and the flag says so."""
    shown = [(label, n) for label, n in rows if n >= THRESHOLD]
    small = sum(n for _label, n in rows if 0 < n < THRESHOLD)
    if small >= THRESHOLD:
        return [*shown, (OTHER, small)], False
    return shown, small > 0


def reach_figures(rows: list[ConversationRequest]) -> dict[str, list[tuple[str, int]]]:
    care = Counter(k for r in rows for k in r.care_kinds)
    forms = Counter(FORMS.get(r.form, r.form) for r in rows)
    grouping = Counter(GROUPINGS.get(r.grouping, r.grouping) for r in rows)
    hoods = Counter(r.neighbourhood or _("Onbekend") for r in rows)
    council = Counter(
        _("Lid van een cliëntenraad")
        if r.client_council_member
        else _("Geen lid van een cliëntenraad")
        for r in rows
    )
    return {
        "care": care.most_common(),
        "form": forms.most_common(),
        "grouping": grouping.most_common(),
        "neighbourhood": hoods.most_common(),
        "council": sorted(council.items()),
    }


@bp.route("/bereik")
@requires("raadsgesprekken.view")
def reach():  # type: ignore[no-untyped-def]
    scope = request.args.get("telling", "gevoerd")
    stmt = scoped(ConversationRequest)
    if scope != "aanvragen":
        scope = "gevoerd"
        stmt = stmt.where(ConversationRequest.status.in_(HELD_STATUSES))
    rows = db.session.execute(stmt).scalars().all()
    figures: dict[str, list[tuple[str, int]]] = {}
    hidden: dict[str, bool] = {}
    for key, values in reach_figures(rows).items():
        figures[key], hidden[key] = suppress_small(values)
    return render_template(
        "raadsgesprekken/reach.html",
        figures=figures,
        hidden=hidden,
        total=len(rows),
        too_few=len(rows) < THRESHOLD,
        scope=scope,
    )
