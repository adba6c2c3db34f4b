"""The scheduled retention run, as a background job."""

from __future__ import annotations

from ..extensions import db
from ..jobs import JobContext
from ..municipalities.service import all_municipalities
from ..tenancy import tenant_scope
from ..timeutil import utcnow
from .service import run_retention


def retention_job(ctx: JobContext) -> None:
    municipalities = all_municipalities()
    lines = []
    for n, municipality in enumerate(municipalities, start=1):
        with tenant_scope(municipality):
            reports = run_retention(municipality, utcnow(), dry_run=False)
            db.session.commit()
        for report in reports:
            total = sum(report.deleted.values()) + sum(report.anonymised.values())
            lines.append(f"{municipality.slug}/{report.plugin}: {total}")
        ctx.progress(n, len(municipalities), message="; ".join(lines))
