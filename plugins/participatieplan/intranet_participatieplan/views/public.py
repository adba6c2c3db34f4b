"""The public planning page: what the municipality works on, when and how residents can take
part, and what earlier moments led to. Nothing internal: no owners, no internal notes, no
drafts, no participants."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from intranet.plugin_api import current_municipality, local_today, public

from ..rules import moment_is_late
from ..service import public_workstreams
from . import public_bp


@dataclass(frozen=True)
class PublicMoment:
    """Only what a resident may read of a moment."""

    title: str
    description: str
    form: str
    ladder: str
    parties: list[str]
    planned_on: object
    outcome: str
    status: str


def _public_moment(m) -> PublicMoment:  # type: ignore[no-untyped-def]
    return PublicMoment(
        title=m.title,
        description=m.description,
        form=m.form_label,
        ladder=m.ladder_label,
        parties=m.party_labels,
        planned_on=m.planned_on,
        outcome=m.outcome if m.status == "gehouden" else "",
        status=m.status,
    )


@public_bp.route("/")
@public
def planning():  # type: ignore[no-untyped-def]
    municipality = current_municipality()
    now = local_today()
    streams = []
    for w in public_workstreams(municipality):
        shown = [m for m in w.moments if m.status != "concept"]
        coming = [
            _public_moment(m)
            for m in shown
            if m.status == "gepland" and not moment_is_late(m.status, m.planned_on, now)
        ]
        held = [_public_moment(m) for m in shown if m.status == "gehouden"]
        milestones = [
            {
                "title": ms.title,
                "description": ms.description,
                "due_on": ms.due_on,
                "done": ms.done_on is not None,
            }
            for ms in w.milestones
        ]
        streams.append(
            {
                "title": w.title,
                "description": w.description,
                "status": w.status_label,
                "agenda": w.agenda.title,
                "coming": coming,
                "held": sorted(held, key=lambda m: m.planned_on, reverse=True),  # type: ignore[arg-type, return-value]
                "milestones": milestones,
            }
        )
    agendas = {w.agenda.id: w.agenda for w in public_workstreams(municipality)}
    return render_template(
        "participatieplan/public_planning.html",
        streams=streams,
        agendas=list(agendas.values()),
        today=now,
    )
