"""Everything a plugin may import from the core, in one module.

A plugin (built in or installed from outside) imports the core only from here, never from
``intranet.<anything else>`` and never from another plugin; ``make lint`` checks it. What is
exported here is the contract between the core and its plugins: keep it small and stable.
"""

from __future__ import annotations

from .access.permissions import effective_permissions, has_permission, public, requires
from .audit.service import record, record_now, render_audited
from .auth.models import Employee
from .contract import (
    CalendarItem,
    ConsentPurpose,
    ErasureResult,
    NavItem,
    ParticipationTarget,
    Permission,
    PersonalData,
    PluginInfo,
    ProcessingActivity,
    RetentionCategory,
    RetentionReport,
    Widget,
)
from .extensions import csrf, db
from .hookspecs import hookimpl
from .jobs import JobContext, enqueue
from .mail import Attachment, Mail, Mailer, MailError, mailer
from .municipalities.models import Municipality
from .privacy.service import can_see_special, retention_days
from .privacy.special import may_see_special, special
from .residents.models import CONSENT_METHODS, RESIDENT_KINDS, Consent, Resident
from .residents.service import give_consent, may_contact, residents_with_consent
from .tenancy import TenantMixin, current_municipality, get_scoped_or_404, scoped
from .timeutil import LOCAL_ZONE, as_utc, from_local, local_now, local_today, to_local, utcnow
from .web.csv_export import csv_response, safe_cell
from .web.formatting import AMSTERDAM, MONTHS, WEEKDAYS, dutch_date, dutch_datetime
from .web.input import has_control_characters
from .workdays import is_working_day, working_days_between

__all__ = [
    "AMSTERDAM",
    "CONSENT_METHODS",
    "LOCAL_ZONE",
    "MONTHS",
    "RESIDENT_KINDS",
    "WEEKDAYS",
    "Attachment",
    "CalendarItem",
    "Consent",
    "ConsentPurpose",
    "Employee",
    "ErasureResult",
    "JobContext",
    "Mail",
    "MailError",
    "Mailer",
    "Municipality",
    "NavItem",
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
    "as_utc",
    "can_see_special",
    "csrf",
    "csv_response",
    "current_municipality",
    "db",
    "dutch_date",
    "dutch_datetime",
    "effective_permissions",
    "enqueue",
    "from_local",
    "get_scoped_or_404",
    "give_consent",
    "has_control_characters",
    "has_permission",
    "hookimpl",
    "is_working_day",
    "local_now",
    "local_today",
    "mailer",
    "may_contact",
    "may_see_special",
    "public",
    "record",
    "record_now",
    "render_audited",
    "requires",
    "residents_with_consent",
    "retention_days",
    "safe_cell",
    "scoped",
    "special",
    "to_local",
    "utcnow",
    "working_days_between",
]
