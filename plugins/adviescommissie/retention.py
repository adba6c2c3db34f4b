"""Retention: how long the plugin keeps what (retention categories each municipality may
set for itself on ``/<municipality>/privacy/bewaartermijnen``), and the run that applies them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from intranet.plugin_api import (
    RetentionCategory,
    RetentionReport,
    _l,
    db,
    retention_days,
    scoped,
)

from .models import CommitteeAttendance, CommitteeMember

NAME = "adviescommissie"
MEMBER_RETENTION_DAYS = 730
MEMBERS = RetentionCategory(
    "leden", _l("Leden, na het einde van de zittingstermijn"), MEMBER_RETENTION_DAYS
)


def retention_run(municipality: Any, now: datetime, dry_run: bool) -> RetentionReport:
    """Delete members (and their attendance) whose term ended over the retention period ago."""
    from .privacy import delete_member

    days = retention_days(municipality, NAME, MEMBERS.key, MEMBERS.default_days)
    cutoff = now.date() - timedelta(days=days)
    expired = list(
        db.session.execute(
            scoped(CommitteeMember, municipality).where(
                CommitteeMember.term_end.is_not(None), CommitteeMember.term_end < cutoff
            )
        ).scalars()
    )
    attendance = 0
    for member in expired:
        if dry_run:
            attendance += len(
                db.session.execute(
                    scoped(CommitteeAttendance, municipality).where(
                        CommitteeAttendance.member_id == member.id
                    )
                )
                .scalars()
                .all()
            )
        else:
            attendance += delete_member(municipality, member)
    if not dry_run:
        db.session.flush()
    return RetentionReport(
        plugin=NAME,
        deleted={"leden": len(expired), "aanwezigheid": attendance},
    )
