"""Reach: who did the council members talk with, so the working group can steer its
outreach towards residents who are normally not heard."""

from __future__ import annotations

from collections import Counter

from flask import render_template, request

from intranet.plugin_api import db, requires, scoped

from ..models import CLOSED, FORMS, GROUPINGS, HELD, REPORTED, ConversationRequest
from . import bp

HELD_STATUSES = (HELD, REPORTED, CLOSED)


def reach_figures(rows: list[ConversationRequest]) -> dict[str, list[tuple[str, int]]]:
    care = Counter(k for r in rows for k in r.care_kinds)
    forms = Counter(FORMS.get(r.form, r.form) for r in rows)
    grouping = Counter(GROUPINGS.get(r.grouping, r.grouping) for r in rows)
    hoods = Counter(r.neighbourhood or "Onbekend" for r in rows)
    council = Counter(
        "Lid van een cliëntenraad" if r.client_council_member else "Geen lid van een cliëntenraad"
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
    return render_template(
        "raadsgesprekken/reach.html", figures=reach_figures(rows), total=len(rows), scope=scope
    )
