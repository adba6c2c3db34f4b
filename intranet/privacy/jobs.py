"""The scheduled retention run, as a background job."""

from __future__ import annotations

from ..extensions import db
from ..jobs import JobContext
from ..municipalities.service import all_municipalities
from ..timeutil import utcnow
from .service import run_retention


def retention_job(ctx: JobContext) -> None:
    municipalities = all_municipalities()
    lines = []
    for n, municipality in enumerate(municipalities, start=1):
        for report in run_retention(municipality, utcnow(), dry_run=False):
            total = sum(report.deleted.values()) + sum(report.anonymised.values())
            lines.append(f"{municipality.slug}/{report.plugin}: {total}")
        db.session.commit()
        ctx.progress(n, len(municipalities), message="; ".join(lines))
