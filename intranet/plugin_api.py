"""Everything a plugin may import from the core, in one module.

A plugin (built in or installed from outside) imports the core only from here, never from
``intranet.<anything else>`` and never from another plugin; ``make lint`` checks it. What is
exported here is the contract between the core and its plugins: keep it small and stable.
"""

from __future__ import annotations

from .access.permissions import effective_permissions, has_permission, public, requires
from .access.service import ensure_roles
from .audit.service import record, record_now, render_audited
from .auth.models import Employee
from .contract import (
    BankQuestion,
    CalendarItem,
    ConsentPurpose,
    ErasureResult,
    NavItem,
    ParticipationStatus,
    ParticipationTarget,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    RetentionCategory,
    RetentionReport,
    Widget,
)
from .cooperation import (
    participation_target_status,
    participation_targets,
    plugin_availability,
    question_bank,
)
from .extensions import csrf, db
from .hookspecs import hookimpl
from .jobs import JobContext, enqueue, job_of
from .mail import Attachment, Mail, Mailer, MailError, mailer
from .municipalities.models import Municipality
from .privacy.service import can_see_special, retention_days
from .residents.models import CONSENT_METHODS, RESIDENT_KINDS, Consent, Resident
from .residents.service import consenting_residents, give_consent, residents_with_consent
from .tenancy import (
    CrossTenantReference,
    TenantMixin,
    all_tenants,
    current_municipality,
    get_scoped_or_404,
    scoped,
    tenant_scope,
)
from .timeutil import as_utc, today, utcnow
from .web.csv_export import csv_response, safe_cell
from .web.fields import (
    DATE_MESSAGE,
    TIME_MESSAGE,
    CheckboxListField,
    DutchDateField,
    DutchTimeField,
)
from .web.formatting import AMSTERDAM, MONTHS, WEEKDAYS, dutch_date, dutch_datetime
from .web.listing import Column, Filter, Listing, ListPage, clean_arg, like_pattern
from .web.pages import form_page
from .workdays import is_working_day, working_days_between

__all__ = [
    "AMSTERDAM",
    "CONSENT_METHODS",
    "DATE_MESSAGE",
    "MONTHS",
    "RESIDENT_KINDS",
    "TIME_MESSAGE",
    "WEEKDAYS",
    "Attachment",
    "BankQuestion",
    "CalendarItem",
    "CheckboxListField",
    "Column",
    "Consent",
    "ConsentPurpose",
    "CrossTenantReference",
    "DutchDateField",
    "DutchTimeField",
    "Employee",
    "ErasureResult",
    "Filter",
    "JobContext",
    "ListPage",
    "Listing",
    "Mail",
    "MailError",
    "Mailer",
    "Municipality",
    "NavItem",
    "ParticipationStatus",
    "ParticipationTarget",
    "Permission",
    "PersonalData",
    "PluginInfo",
    "ProcessingActivity",
    "Resident",
    "RetentionCategory",
    "RetentionReport",
    "TenantMixin",
    "Widget",
    "all_tenants",
    "as_utc",
    "can_see_special",
    "clean_arg",
    "consenting_residents",
    "csrf",
    "csv_response",
    "current_municipality",
    "db",
    "demo_roles",
    "dutch_date",
    "dutch_datetime",
    "effective_permissions",
    "enqueue",
    "ensure_roles",
    "form_page",
    "get_scoped_or_404",
    "give_consent",
    "has_permission",
    "hookimpl",
    "is_working_day",
    "job_of",
    "like_pattern",
    "mailer",
    "participation_target_status",
    "participation_targets",
    "plugin_availability",
    "public",
    "question_bank",
    "record",
    "record_now",
    "render_audited",
    "requires",
    "residents_with_consent",
    "retention_days",
    "safe_cell",
    "scoped",
    "tenant_scope",
    "today",
    "utcnow",
    "working_days_between",
]


def demo_roles(
    municipality: Municipality, roles: dict[str, tuple[str, list[str], list[str]]]
) -> None:
    """For a plugin's ``intranet_demo_data``: create roles (title, permission patterns, demo
    directory groups) in the demo municipality. Imported lazily: demo tooling is no runtime
    dependency of a plugin."""
    from .devtools.demo import demo_roles as _demo_roles

    _demo_roles(municipality, roles)
