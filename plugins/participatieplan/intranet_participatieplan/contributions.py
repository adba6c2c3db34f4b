"""Clients' input at werkateliers, for the core's contributions ledger.

Only the clients' side is a participant's contribution (the municipality's and politics' input
is their own work). The plugin records per input whether it was used, with the reason, and
the date of that decision; the decision is reported back to the participants in the next
werkatelier, so the decision date counts as the feedback date ("meeting").
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import selectinload

from intranet.plugin_api import Contribution, db, feedback_due, page_url, scoped, short_text

from .models import P, Workshop, WorkshopInput

DECISION_STATUS = {"gebruikt": "used", "niet_gebruikt": "not_used"}


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
                title=short_text(item.text),
                summary=item.text,
                theme=workshop.theme,
                contributed_at=held,
                resident_ids=resident_ids,
                status=DECISION_STATUS.get(item.decision, "received"),
                status_reason=item.reason,
                feedback_due=feedback_due(municipality, "workshop_input", held),
                feedback_sent_at=(item.decided_on or held) if decided else None,
                feedback_how="meeting" if decided else "",
                url=page_url(
                    municipality, f"{P}.workshop_detail", workshop_id=workshop.id, _anchor="inbreng"
                ),
            )
        )
    return out
