"""Access requests, erasure and retention across the core and every plugin, through the hooks.

Access and erasure reach every *installed* plugin, not only the enabled ones: a disabled
plugin keeps its data, so it must still answer for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ..audit.models import AuditEvent
from ..audit.service import delete_expired_events, record
from ..contract import ErasureResult, PersonalData, RetentionCategory, RetentionReport
from ..extensions import db
from ..plugin_manager import HookResult, flatten
from ..residents.models import Consent, Resident
from ..tenancy import scoped, tenant_scope
from ..web.i18n import N_
from .models import ErasureRequest, RetentionOverride

if TYPE_CHECKING:
    from ..municipalities.models import Municipality

WITHHELD = "[bijzonder persoonsgegeven: alleen zichtbaar met het recht daarvoor]"
ERASED_NAME = "Verwijderde inwoner"


def _call_installed(municipality: Municipality, hook: str, **kwargs: Any) -> list[HookResult]:
    host = current_app.extensions["intranet"].plugins
    # every plugin's statements are limited to this municipality, also from the CLI
    with tenant_scope(municipality):
        return host.call_all(hook, municipality=municipality, **kwargs)


def personal_data(
    municipality: Municipality, resident: Resident, *, include_special: bool
) -> dict[str, Any]:
    """Everything held on one resident: per plugin, the consents, and who read or changed it."""
    sections: list[PersonalData] = [
        r.value
        for r in _call_installed(municipality, "intranet_resident_data", resident=resident)
        if r.value
    ]
    sections.append(contributions_section(municipality, resident))
    withheld = False
    for section in sections:
        if section.special and not include_special:
            for rec in section.records:
                for key in section.special:
                    if rec.get(key) not in (None, "", []):
                        rec[key] = WITHHELD
                        withheld = True
    return {
        "resident_id": resident.id,
        "municipality": municipality.name,
        "sections": sections,
        "access_log": access_log(municipality, resident.id),
        "special_withheld": withheld,
    }


def contributions_section(municipality: Municipality, resident: Resident) -> PersonalData:
    """What the resident contributed in every installed plugin (enabled or not) and what was
    done with it: the ledger is part of what the municipality holds on them (AVG art. 15)."""
    from ..feedback.service import contributions

    items = contributions(municipality, resident=resident, installed=True)
    return PersonalData(
        plugin="core",
        title=_l("Bijdragen en wat ermee is gedaan"),
        records=[
            {
                N_("onderdeel"): c.plugin,
                N_("soort"): c.kind_label,
                N_("bijdrage"): c.summary or c.title,
                N_("thema"): c.theme,
                N_("bijgedragen op"): c.contributed_at.isoformat(),
                N_("status"): c.status_label,
                N_("toelichting"): c.status_reason,
                N_("terugkoppeling uiterlijk"): c.feedback_due.isoformat()
                if c.feedback_due
                else None,
                N_("teruggekoppeld op"): (
                    c.feedback_sent_at.isoformat() if c.feedback_sent_at else None
                ),
                N_("hoe teruggekoppeld"): c.how_label or None,
            }
            for c in sorted(items, key=lambda c: (c.contributed_at, c.plugin, c.key))
        ],
    )


def access_log(municipality: Municipality, resident_id: int) -> list[AuditEvent]:
    """Every read and change of this resident's record by employees, oldest first."""
    return list(
        db.session.execute(
            select(AuditEvent)
            .where(
                # one index range: the event's resident is a column of its own (audit.chain)
                AuditEvent.municipality_id == municipality.id,
                AuditEvent.resident_id == resident_id,
            )
            .order_by(AuditEvent.time, AuditEvent.id)
        ).scalars()
    )


def _plain(value: Any) -> Any:
    """A translated label (a lazy string) as plain text, for JSON; other values as they are."""
    from flask_babel.speaklater import LazyString

    return str(value) if isinstance(value, LazyString) else value


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "resident_id": data["resident_id"],
        "municipality": data["municipality"],
        "sections": [
            {
                "plugin": s.plugin,
                "title": str(s.title),
                "records": [{str(k): _plain(v) for k, v in r.items()} for r in s.records],
            }
            for s in data["sections"]
        ],
        "access_log": [
            {
                "time": e.time.isoformat(),
                "employee": e.actor,
                "action": e.action,
                "result": e.result,
            }
            for e in data["access_log"]
        ],
        "special_withheld": data["special_withheld"],
    }


def erase(
    municipality: Municipality, resident: Resident, reason: str, handled_by: str
) -> ErasureRequest:
    """Erase or anonymise the resident everywhere; keep the fact, not the data."""
    outcome: list[dict[str, Any]] = []
    for result in _call_installed(
        municipality, "intranet_erase_resident", resident=resident, reason=reason
    ):
        value: ErasureResult | None = result.value
        if value is None or result.plugin == "core":
            continue
        outcome.append(
            {
                "plugin": result.plugin,
                "erased": value.erased,
                "anonymised": value.anonymised,
                "kept": [list(k) for k in value.kept],
            }
        )
    consents = db.session.execute(
        scoped(Consent, municipality).where(Consent.resident_id == resident.id)
    ).scalars()
    n_consents = 0
    for consent in consents:
        db.session.delete(consent)
        n_consents += 1
    n_links = _erase_links(municipality, resident)
    resident.name = f"{ERASED_NAME} {resident.id}"
    resident.email = resident.phone = resident.address = resident.neighbourhood = None
    resident.notes = ""
    outcome.insert(
        0,
        {
            "plugin": "core",
            "erased": [
                "contactgegevens",
                f"{n_consents} toestemmingen",
                f"{n_links} contactpersoonschappen en bereikgroepen",
            ],
            "anonymised": ["naam"],
            "kept": [],
        },
    )
    request = ErasureRequest(
        municipality_id=municipality.id,
        resident_id=resident.id,
        reason=reason,
        handled_by=handled_by,
        outcome=outcome,
    )
    db.session.add(request)
    db.session.flush()
    record(
        "privacy.erased",
        object_type="resident",
        object_id=resident.id,
        municipality=municipality,
        details={"erasure_request": request.id},
    )
    return request


def _erase_links(municipality: Municipality, resident: Resident) -> int:
    """Remove the resident as an organisation's contact person and from reach groups."""
    from ..organisations.models import OrganisationContact
    from ..reach.models import ResidentReachGroup

    removed = 0
    for model in (OrganisationContact, ResidentReachGroup):
        for row in db.session.execute(
            scoped(model, municipality).where(model.resident_id == resident.id)
        ).scalars():
            db.session.delete(row)
            removed += 1
    return removed


def retention_days(municipality: Municipality, plugin: str, category: str, default: int) -> int:
    """The municipality's own period for this data category, or the plugin's default."""
    override = _override(municipality, plugin, category)
    return override.days if override else default


def _override(municipality: Municipality, plugin: str, category: str) -> RetentionOverride | None:
    return db.session.execute(
        scoped(RetentionOverride, municipality).where(
            RetentionOverride.plugin == plugin, RetentionOverride.category == category
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class RetentionSetting:
    """One retention category as it stands in a municipality."""

    plugin: str
    plugin_title: str
    activity: str
    category: RetentionCategory
    days: int
    overridden: bool


def retention_settings(municipality: Municipality) -> list[RetentionSetting]:
    """Every retention category of the installed plugins, with the period in force here.

    Installed, not only enabled: the retention run also reaches a switched-off plugin's data.
    """
    host = current_app.extensions["intranet"].plugins
    overrides = {
        (o.plugin, o.category): o.days
        for o in db.session.execute(scoped(RetentionOverride, municipality)).scalars()
    }
    settings = []
    for result in _call_installed(municipality, "intranet_processing_activities"):
        title = host.title_of(result.plugin)
        for activity in flatten([result]):
            for category in activity.retention_categories:
                days = overrides.get((result.plugin, category.key))
                settings.append(
                    RetentionSetting(
                        plugin=result.plugin,
                        plugin_title=title,
                        activity=activity.name,
                        category=category,
                        days=days if days is not None else category.default_days,
                        overridden=days is not None,
                    )
                )
    return settings


def set_retention(municipality: Municipality, plugin: str, category: str, days: int | None) -> bool:
    """Set the municipality's own period (``None``: back to the plugin's default); audited.

    Returns whether anything changed. The caller checks that the category exists and commits.
    """
    override = _override(municipality, plugin, category)
    before = override.days if override else None
    if before == days:
        return False
    if days is None:
        db.session.delete(override)
    elif override is None:
        db.session.add(
            RetentionOverride(
                municipality_id=municipality.id, plugin=plugin, category=category, days=days
            )
        )
    else:
        override.days = days
    record(
        "privacy.retention_changed",
        object_type="retention",
        object_id=f"{plugin}.{category}",
        municipality=municipality,
        details={"before": before, "after": days},
    )
    return True


def run_retention(
    municipality: Municipality, now: datetime, dry_run: bool
) -> list[RetentionReport]:
    reports = [
        r.value
        for r in _call_installed(municipality, "intranet_retention_run", now=now, dry_run=dry_run)
        if r.value is not None
    ]
    expired = delete_expired_events(municipality, now, dry_run=dry_run)
    reports.append(RetentionReport("core", deleted={"auditlog": expired}))
    record(
        "privacy.retention_dry_run" if dry_run else "privacy.retention_run",
        object_type="retention",
        municipality=municipality,
        details={r.plugin: {"deleted": r.deleted, "anonymised": r.anonymised} for r in reports},
    )
    return reports


def residents_findable(municipality: Municipality, *values: str) -> list[int]:
    """Ids of residents whose name, e-mail or phone still match (for checks after an erasure)."""
    clauses = [
        c
        for v in values
        if v
        for c in (Resident.name == v, Resident.email == v, Resident.phone == v)
    ]
    if not clauses:
        return []
    return list(
        db.session.execute(
            select(Resident.id).where(Resident.municipality_id == municipality.id, or_(*clauses))
        ).scalars()
    )


def can_see_special(
    category: str, *, object_type: str, object_id: Any, resident_id: int | None = None
) -> bool:
    """For plugins: may the employee see this special-category field? Each granted read is audited."""
    from ..access.permissions import has_permission

    if not has_permission("core.privacy.special"):
        return False
    details: dict[str, Any] = {"category": category}
    if resident_id is not None:
        details["resident"] = str(resident_id)
    record("privacy.special_read", object_type=object_type, object_id=object_id, details=details)
    return True
