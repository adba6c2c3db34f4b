"""Everything a plugin may import from the core, in one module.

A plugin (built in or installed from outside) imports the core only from here, never from
``intranet.<anything else>`` and never from another plugin; ``make lint`` checks it. What is
exported here is the contract between the core and its plugins: keep it small and stable.
"""

from __future__ import annotations

from flask_babel import (
    force_locale,
    gettext,
    lazy_gettext,
    lazy_ngettext,
    lazy_pgettext,
    ngettext,
    pgettext,
)

from .access.permissions import effective_permissions, has_permission, public, requires
from .access.seed import demo_roles
from .access.service import ensure_roles
from .audit.service import record, record_now, render_audited
from .auth.models import Employee
from .config import municipality_setting
from .contract import (
    BankQuestion,
    CalendarItem,
    ConsentPurpose,
    Contribution,
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
from .feedback.service import feedback_due
from .hookspecs import hookimpl
from .jobs import JobContext, enqueue, job_of
from .mail import Attachment, Mail, Mailer, MailError, mail_failure_text, mailer
from .municipalities.models import Municipality
from .organisations.forms import organisation_choices
from .organisations.models import ORGANISATION_KINDS, Organisation, OrganisationContact
from .privacy.service import can_see_special, retention_days
from .privacy.special import may_see_special, special
from .reach.service import THRESHOLD as REACH_THRESHOLD
from .reach.service import on_local_days, utc_window
from .residents.models import CONSENT_METHODS, RESIDENT_KINDS, Consent, Resident
from .residents.service import (
    consenting_residents,
    give_consent,
    holds_consent,
    may_contact,
    residents_with_consent,
)
from .tenancy import (
    CrossTenantReference,
    TenantMixin,
    all_tenants,
    current_municipality,
    get_scoped_or_404,
    scoped,
    tenant_scope,
)
from .timeutil import (
    LOCAL_ZONE,
    as_utc,
    from_local,
    local_now,
    local_today,
    to_local,
    today,
    utcnow,
)
from .web.csv_export import csv_response, safe_cell
from .web.fields import (
    DATE_MESSAGE,
    DATETIME_MESSAGE,
    TIME_MESSAGE,
    AtLeastOne,
    CheckboxListField,
    DutchDateField,
    DutchDateTimeField,
    DutchTimeField,
    email_field,
    phone_field,
)
from .web.formatting import (
    AMSTERDAM,
    MONTHS,
    WEEKDAYS,
    dutch_date,
    dutch_datetime,
    local_date,
    month_name,
    short_text,
)
from .web.htmx import is_htmx
from .web.i18n import N_
from .web.input import has_control_characters
from .web.links import page_url
from .web.listing import (
    Column,
    Filter,
    Listing,
    ListPage,
    clean_arg,
    like_pattern,
    parse_id,
    parse_ids,
)
from .web.pages import form_page
from .workdays import add_working_days, is_working_day, working_days_between

# Flask-Babel's helpers, under the names the extraction knows (`make plugin-catalogs`): `_` in
# requests, `_l` where a string is made at import time (form labels, choices, hook values),
# `N_` for a message id stored untranslated and translated where it is shown (a job's title
# and progress: see `enqueue` and `JobContext.progress`).
_ = gettext
_l = lazy_gettext

__all__ = [
    "AMSTERDAM",
    "CONSENT_METHODS",
    "DATETIME_MESSAGE",
    "DATE_MESSAGE",
    "LOCAL_ZONE",
    "MONTHS",
    "N_",
    "ORGANISATION_KINDS",
    "REACH_THRESHOLD",
    "RESIDENT_KINDS",
    "TIME_MESSAGE",
    "WEEKDAYS",
    "AtLeastOne",
    "Attachment",
    "BankQuestion",
    "CalendarItem",
    "CheckboxListField",
    "Column",
    "Consent",
    "ConsentPurpose",
    "Contribution",
    "CrossTenantReference",
    "DutchDateField",
    "DutchDateTimeField",
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
    "Organisation",
    "OrganisationContact",
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
    "_",
    "_l",
    "add_working_days",
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
    "email_field",
    "enqueue",
    "ensure_roles",
    "feedback_due",
    "force_locale",
    "form_page",
    "from_local",
    "get_scoped_or_404",
    "gettext",
    "give_consent",
    "has_control_characters",
    "has_permission",
    "holds_consent",
    "hookimpl",
    "is_htmx",
    "is_working_day",
    "job_of",
    "lazy_gettext",
    "lazy_ngettext",
    "lazy_pgettext",
    "like_pattern",
    "local_date",
    "local_now",
    "local_today",
    "mail_failure_text",
    "mailer",
    "may_contact",
    "may_see_special",
    "month_name",
    "municipality_setting",
    "ngettext",
    "on_local_days",
    "organisation_choices",
    "page_url",
    "parse_id",
    "parse_ids",
    "participation_target_status",
    "participation_targets",
    "pgettext",
    "phone_field",
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
    "short_text",
    "special",
    "tenant_scope",
    "to_local",
    "today",
    "utc_window",
    "utcnow",
    "working_days_between",
]
