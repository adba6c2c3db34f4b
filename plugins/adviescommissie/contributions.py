"""The committee's recommendations, for the core's contributions ledger.

A recommendation counts once its advice is sent to the municipality; the municipality's
response per recommendation (adopted, partly, not, with reasoning) is the feedback. It is due
on the advice's response date, or else the municipality's term in working days after sending.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import selectinload

from intranet.plugin_api import Contribution, _, db, feedback_due, page_url, scoped, short_text

from .models import AdviceFile

NAME = "adviescommissie"
COMMITTEE = "Adviescommissie sociaal domein"
RESPONSE_STATUS = {"adopted": "used", "partly": "partly_used", "rejected": "not_used"}


def contributions(municipality, resident=None, since: date | None = None) -> list[Contribution]:  # type: ignore[no-untyped-def]
    """One contribution per recommendation of a sent advice (two queries). The committee
    advises as a body: no single resident is its contributor, so a resident's page shows none."""
    if resident is not None:
        return []
    stmt = (
        scoped(AdviceFile, municipality)
        .where(AdviceFile.sent_on.is_not(None))
        .options(selectinload(AdviceFile.recommendations))
    )
    if since is not None:
        stmt = stmt.where(AdviceFile.sent_on >= since)
    out = []
    for advice in db.session.execute(stmt).scalars():
        sent_on: date = advice.sent_on  # type: ignore[assignment]
        due = advice.response_due or feedback_due(municipality, "advice_recommendation", sent_on)
        for rec in advice.recommendations:
            out.append(
                Contribution(
                    plugin=NAME,
                    key=f"recommendation-{rec.id}",
                    kind="advice_recommendation",
                    title=short_text(
                        _(
                            "%(subject)s, aanbeveling %(number)s",
                            subject=advice.subject,
                            number=rec.number,
                        )
                    ),
                    summary=rec.text,
                    theme=str(advice.policy_area_label),
                    contributed_at=sent_on,
                    organisation=COMMITTEE,
                    status=RESPONSE_STATUS.get(rec.response or "", "considered"),
                    status_reason=rec.reasoning,
                    feedback_due=due,
                    feedback_sent_at=rec.responded_on if rec.response else None,
                    feedback_how="letter" if rec.response else "",
                    url=page_url(municipality, f"{NAME}.detail", advice_id=advice.id),
                )
            )
    return out
