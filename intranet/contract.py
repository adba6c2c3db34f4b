"""The values plugins hand to the core through the hooks (see hookspecs.py, docs/plugins.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup


@dataclass(frozen=True)
class PluginInfo:
    name: str
    title_nl: str
    title_en: str
    description: str
    origin: str
    version: str

    @property
    def title(self) -> str:
        """The title in the language of the page being rendered (Dutch outside a request)."""
        from flask_babel import get_locale

        try:
            english = str(get_locale() or "").startswith("en")
        except RuntimeError:  # no app context: the CLI
            english = False
        return self.title_en if english and self.title_en else self.title_nl


@dataclass(frozen=True)
class Permission:
    """A permission code such as ``residents.view``; the label is Dutch, shown to administrators."""

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    permission: str
    order: int = 100


@dataclass(frozen=True)
class Widget:
    title: str
    html: Markup
    order: int = 100


@dataclass(frozen=True)
class CalendarItem:
    title: str
    start: datetime | date
    end: datetime | date | None = None
    location: str = ""
    description: str = ""
    url: str | None = None
    uid: str = ""
    category: str = ""
    #: a permission code: the item is left out of a personal feed whose employee lacks it
    permission: str = ""


@dataclass
class PersonalData:
    """What one plugin holds about one resident, for an access request.

    ``special`` names the record keys whose values are special-category data (health, for
    instance GGZ): exports leave them out unless the reader holds ``core.privacy.special``.
    """

    plugin: str
    title: str
    records: list[dict[str, Any]] = field(default_factory=list)
    special: list[str] = field(default_factory=list)


@dataclass
class ErasureResult:
    plugin: str
    erased: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    #: what must be kept, and the legal reason
    kept: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RetentionCategory:
    """Data with a retention period of its own, which each municipality may set differently.

    The plugin's retention run asks for the period in force with
    ``intranet.privacy.service.retention_days(municipality, plugin, key, default_days)``;
    access administrators change it on the retention page (``/<municipality>/privacy/
    bewaartermijnen``).
    """

    key: str
    label: str
    default_days: int


@dataclass(frozen=True)
class ProcessingActivity:
    """One line of the GDPR article 30 register."""

    name: str
    purpose: str
    legal_basis: str
    data_categories: tuple[str, ...]
    data_subjects: tuple[str, ...]
    retention: str
    retention_days: int | None = None
    special_categories: tuple[str, ...] = ()
    #: the periods the retention run applies to this activity's data, per municipality
    retention_categories: tuple[RetentionCategory, ...] = ()


@dataclass
class RetentionReport:
    plugin: str
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ParticipationTarget:
    """Something another plugin may link to, such as a think-along group or a trajectory.

    ``key`` is stable and opaque to the linking plugin; it stores ``(plugin, key)`` and a copy
    of the title, so the link still reads well when the target's plugin is switched off.
    """

    plugin: str
    key: str
    title: str
    kind: str
    url: str | None = None


@dataclass(frozen=True)
class ParticipationStatus:
    """The state of a participation target, for the plugin that links to it.

    ``status`` is a short Dutch label ("Actief", "Advies verzonden"); ``outcome`` a plain
    summary of what it produced so far (empty when nothing yet); ``url`` the target's page.
    """

    status: str
    outcome: str = ""
    url: str | None = None


@dataclass(frozen=True)
class BankQuestion:
    """A reusable questionnaire question one plugin offers another's questionnaire builder.

    ``kind`` is ``open``, ``single``, ``multiple`` or ``scale``; ``options`` the choices of a
    single or multiple choice question; the scale fields only matter for ``scale``. ``key`` is
    stable and opaque to the builder, which copies the question (it keeps no link).
    """

    plugin: str
    key: str
    text: str
    kind: str = "open"
    options: tuple[str, ...] = ()
    theme: str = ""
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: str = ""
    scale_max_label: str = ""


@dataclass(frozen=True)
class ConsentPurpose:
    """A purpose residents give consent for; plugins check it before mailing or listing them."""

    code: str
    label: str
    description: str = ""


#: what kind of contribution a plugin reports, with its Dutch label (see ``Contribution``)
CONTRIBUTION_KINDS = {
    "council_idea": _l("Idee uit een raadsgesprek"),
    "meeting_outcome": _l("Opbrengst van een bijeenkomst"),
    "questionnaire_answer": _l("Antwoorden op een vragenlijst"),
    "trajectory_contribution": _l("Bijdrage aan een traject"),
    "workshop_input": _l("Inbreng in een werkatelier"),
    "advice_recommendation": _l("Aanbeveling in een advies"),
}
#: received → considered → used / partly used / not used
CONTRIBUTION_STATUSES = {
    "received": _l("Ontvangen"),
    "considered": _l("In behandeling"),
    "used": _l("Gebruikt"),
    "partly_used": _l("Deels gebruikt"),
    "not_used": _l("Niet gebruikt"),
}
#: how the feedback reached the contributors
FEEDBACK_METHODS = {"mail": _l("E-mail"), "letter": _l("Brief"), "meeting": _l("Bijeenkomst")}


@dataclass(frozen=True)
class Contribution:
    """One contribution a plugin holds, and what was done with it (the "terugkoppeling").

    ``key`` is stable within the plugin. ``title`` and ``summary`` never carry special-category
    data. The contributors are ``resident_ids`` (registry ids, several for a group), an
    ``organisation`` name, or neither (anonymous). ``feedback_due`` is None when no feedback is
    owed; feedback is still owed while ``feedback_sent_at`` is None. ``url`` is the page where
    the feedback is given. Plugins compute the due date with ``plugin_api.feedback_due`` so the
    municipality's term in working days applies.
    """

    plugin: str
    key: str
    kind: str
    title: str
    contributed_at: date
    summary: str = ""
    theme: str = ""
    resident_ids: tuple[int, ...] = ()
    organisation: str = ""
    status: str = "received"
    status_reason: str = ""
    feedback_due: date | None = None
    feedback_sent_at: date | None = None
    feedback_how: str = ""
    url: str | None = None

    @property
    def kind_label(self) -> str:
        return str(CONTRIBUTION_KINDS.get(self.kind, self.kind))

    @property
    def status_label(self) -> str:
        return str(CONTRIBUTION_STATUSES.get(self.status, self.status))

    @property
    def how_label(self) -> str:
        return str(FEEDBACK_METHODS.get(self.feedback_how, self.feedback_how))

    @property
    def owed(self) -> bool:
        """Feedback is due and not yet given."""
        return self.feedback_due is not None and self.feedback_sent_at is None

    @property
    def contributor_label(self) -> str:
        if self.organisation:
            return self.organisation
        if self.resident_ids:
            n = len(self.resident_ids)
            return ngettext("%(num)d inwoner", "%(num)d inwoners", n)
        return str(_l("Anoniem"))
