"""Shared operations behind the views and hooks: values, status changes, participation links."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from intranet.plugin_api import ParticipationTarget, db, record, scoped
from intranet.plugin_api import participation_targets as find_participation_targets

from . import deadlines, states
from .models import DEFAULT_VALUES, AdviceFile, AdviceStatusChange, AgreedValue

NAME = "adviescommissie"


def ensure_default_values(municipality: Any) -> None:
    """Give a municipality seed 002's top 5 of values once, when it has none yet."""
    count = db.session.execute(
        select(func.count()).select_from(scoped(AgreedValue, municipality).subquery())
    ).scalar_one()
    if count:
        return
    for position, (name, agreements) in enumerate(DEFAULT_VALUES, start=1):
        db.session.add(
            AgreedValue(
                municipality_id=municipality.id,
                position=position,
                name=name,
                agreements=agreements,
            )
        )
    db.session.flush()


def active_values(municipality: Any) -> list[AgreedValue]:
    return list(
        db.session.execute(
            scoped(AgreedValue, municipality)
            .where(AgreedValue.active.is_(True))
            .order_by(AgreedValue.position, AgreedValue.id)
        ).scalars()
    )


def move(
    advice: AdviceFile, target: str, permissions: frozenset[str], by: str, today: date
) -> None:
    """Move the file to ``target`` (raises TransitionError / PermissionError), with side effects.

    Adopting sets the adoption date; sending sets the date sent and the response due date;
    the municipality's response sets the date it was received.
    """
    source = advice.status
    states.check(source, target, permissions, advice.facts())
    if target == states.ADOPTED:
        advice.adopted_on = today
    elif target == states.IN_PROGRESS and source == states.ADOPTED:
        advice.adopted_on = None
    elif target == states.SENT:
        advice.sent_on = today
        advice.response_due = deadlines.response_due(today)
    elif target == states.RESPONSE_RECEIVED:
        advice.response_received_on = today
    advice.status = target
    db.session.add(
        AdviceStatusChange(
            municipality_id=advice.municipality_id,
            advice_id=advice.id,
            from_status=source,
            to_status=target,
            by=by,
        )
    )
    record(
        "adviescommissie.status",
        object_type="adviescommissie_advice",
        object_id=advice.id,
        details={"from": source, "to": target},
    )


def participation_targets(municipality: Any) -> list[ParticipationTarget]:
    """Groups and trajectories other enabled plugins offer (e.g. meedenkgroepen); may be empty."""
    return find_participation_targets(municipality, exclude=[NAME])


def target_choice_value(target: ParticipationTarget) -> str:
    return f"{target.plugin}|{target.key}"
