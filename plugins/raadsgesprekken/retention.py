"""Retention: how long the plugin keeps what, as retention categories each municipality may
set for itself on ``/<municipality>/privacy/bewaartermijnen`` (the core's shared mechanism),
and the retention run that applies them."""

from __future__ import annotations

from datetime import datetime, timedelta

from intranet.plugin_api import (
    RetentionCategory,
    RetentionReport,
    _l,
    as_utc,
    db,
    retention_days,
    scoped,
)

from .models import CLOSED, ConversationRequest
from .privacy import NAME, _anonymise_request

#: identifiable report contents (and the request behind them), counted from "afgerond";
#: 360 days is the twelve months of 30 days the plugin used before the shared mechanism
REPORTS = RetentionCategory("verslagen", _l("Herleidbare inhoud van verslagen, na afronding"), 360)
CATEGORIES = (REPORTS,)


def report_days(municipality) -> int:  # type: ignore[no-untyped-def]
    """The period in force for identifiable report contents in this municipality."""
    return retention_days(municipality, NAME, REPORTS.key, REPORTS.default_days)


def retention_run(municipality, now: datetime, dry_run: bool) -> RetentionReport:  # type: ignore[no-untyped-def]
    cutoff = now - timedelta(days=report_days(municipality))
    due = [
        r
        for r in db.session.execute(
            scoped(ConversationRequest, municipality).where(
                ConversationRequest.status == CLOSED,
                ConversationRequest.anonymised_at.is_(None),
                ConversationRequest.closed_at.is_not(None),
            )
        ).scalars()
        if as_utc(r.closed_at) < cutoff  # type: ignore[operator]
    ]
    report = RetentionReport(plugin=NAME)
    if dry_run:
        report.anonymised["aanvragen"] = len(due)
        report.anonymised["verslagen"] = len({r.appointment_id for r in due if r.appointment})
        return report
    reports = set()
    for r in due:
        names = [r.resident.name] if r.resident is not None else []
        if r.trusted_name:
            names.append(r.trusted_name)
        if _anonymise_request(r, names, now, wipe_report=True) and r.appointment_id:
            reports.add(r.appointment_id)
    db.session.flush()
    report.anonymised["aanvragen"] = len(due)
    report.anonymised["verslagen"] = len(reports)
    return report
