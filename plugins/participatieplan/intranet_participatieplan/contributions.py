"""Clients' input at werkateliers, for the core's contributions ledger.

Only the clients' side is a participant's contribution (the municipality's and politics' input
is their own work). The plugin records per input whether it was used, with the reason, and
the date of that decision; the decision is reported back to the participants in the next
werkatelier, so the decision date counts as the feedback date ("meeting").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy.orm import selectinload

from intranet.plugin_api import Contribution, db, feedback_due, scoped

from .models import P, Workshop, WorkshopInput

DECISION_STATUS = {"gebruikt": "used", "niet_gebruikt": "not_used"}


def _url(municipality: Any, endpoint: str, **kwargs: Any) -> str | None:
    """The page's address, or None without a request (the CLI's access-request export)."""
    if not has_request_context():
        return None
    return url_for(endpoint, municipality=municipality.slug, **kwargs)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def contributions(municipality, resident=None, since: date | None = None) -> list[Contribution]:  # type: ignore[no-untyped-def]
    """One contribution per client input at a workshop that was held (two queries)."""
    stmt = (
        scoped(WorkshopInput, municipality)
        .where(WorkshopInput.kind == "client")
        .options(selectinload(WorkshopInput.workshop), selectinload(WorkshopInput.participant))
    )
    out = []
    for item in db.session.execute(stmt).scalars():
        workshop: Workshop = item.workshop
        held = workshop.held_on
        resident_id = item.participant.resident_id if item.participant else None
        resident_ids = (resident_id,) if resident_id else ()
        if resident is not None and resident.id not in resident_ids:
            continue
        if since is not None and held < since:
            continue
        decided = item.decision in DECISION_STATUS
        out.append(
            Contribution(
                plugin=P,
                key=f"input-{item.id}",
                kind="workshop_input",
                title=_short(item.text),
                summary=item.text,
                theme=workshop.theme,
                contributed_at=held,
                resident_ids=resident_ids,
                status=DECISION_STATUS.get(item.decision, "received"),
                status_reason=item.reason,
                feedback_due=feedback_due(municipality, "workshop_input", held),
                feedback_sent_at=(item.decided_on or held) if decided else None,
                feedback_how="meeting" if decided else "",
                url=_url(
                    municipality, f"{P}.workshop_detail", workshop_id=workshop.id, _anchor="inbreng"
                ),
            )
        )
    return out
