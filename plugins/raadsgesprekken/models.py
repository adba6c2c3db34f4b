"""Data of the raadsgesprekken plugin: requests, council members, conversation days,
appointments, reports, ideas, summaries for the executive, and the working group.

Every table carries ``municipality_id`` (TenantMixin) and is read through ``scoped``.
Statuses are stored per request (one resident's conversation); an appointment groups the
requests of the residents who talk with the same council members at the same moment.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.plugin_api import (
    Organisation,
    Resident,
    TenantMixin,
    _l,
    add_working_days,
    db,
    utcnow,
)

P = "raadsgesprekken"

# -- vocabularies (code -> Dutch label) ------------------------------------------------------
REQUESTERS = {
    "client": _l("De cliënt zelf"),
    "carer": _l("Een mantelzorger"),
    "on_behalf": _l("Iemand namens de cliënt"),
}
RECEIVED_VIA = {
    "wijkteam": _l("Sociaal wijkteam"),
    "huisarts": _l("Huisarts"),
    "other": _l("Anders"),
}
FORMS = {
    "home": _l("Bij de inwoner thuis"),
    "city_hall": _l("Op het gemeentehuis"),
    "phone": _l("Telefonisch"),
    "elsewhere": _l("Ergens anders"),
}
GROUPINGS = {"alone": _l("Individueel"), "group": _l("In een groep")}
NEEDS = {
    "interpreter": _l("Tolk"),
    "plain_language": _l("Eenvoudige taal"),
    "access": _l("Fysieke toegankelijkheid"),
}
CHANNELS = {"phone": _l("Telefoon"), "email": _l("E-mail"), "other": _l("Anders")}

REQUESTED = "aangevraagd"
SCHEDULED = "ingepland"
HELD = "gevoerd"
REPORTED = "verslag gemaakt"
CLOSED = "afgerond"
CANCELLED = "geannuleerd"
STATUSES = {
    REQUESTED: _l("Aangevraagd"),
    SCHEDULED: _l("Ingepland"),
    HELD: _l("Gevoerd"),
    REPORTED: _l("Verslag gemaakt"),
    CLOSED: _l("Afgerond"),
    CANCELLED: _l("Geannuleerd"),
}

LIST_KINDS = {"care": _l("Soorten zorg en ondersteuning"), "theme": _l("Thema's")}
DEFAULT_CARE_KINDS = [
    "huishoudelijke hulp",
    "dagbesteding",
    "jeugdzorg",
    "dag- en/of nachtopvang",
    "schuldhulp",
    "uit de bijstand komen",
    "ggz-hulp",
    "anders",
]
DEFAULT_THEMES = [
    "cliëntondersteuning",
    "keukentafelgesprek",
    "kwaliteit van zorg",
    "bereikbaarheid en wachttijden",
    "bejegening",
    "vernieuwen en verbeteren",
    "anders",
]

#: consent purpose codes (declared through intranet_consent_purposes in plugin.py)
#: special-category data (AVG art. 9): the kind of care and what is needed reveal health;
#: shown only with core.privacy.special, every read audited, left out of exports otherwise
CARE_CATEGORY = _l("gegevens over gezondheid (soort zorg)")
SPECIAL_EXPORT_KEYS = ["soort zorg", "zorg via", "behoeften"]
CONSENT_CONTACT = "raadsgesprekken.contact"
CONSENT_ANONYMISED = "raadsgesprekken.anonymised_use"
CONSENT_LABELS = {
    CONSENT_CONTACT: _l("Raadsgesprekken: benaderd worden voor een gesprek met raadsleden"),
    CONSENT_ANONYMISED: _l("Raadsgesprekken: geanonimiseerd gebruik van wat de inwoner vertelt"),
}


class ChoiceListItem(TenantMixin, db.Model):
    """An entry of a list the municipality can edit: kinds of care, report themes."""

    __tablename__ = f"{P}_list_item"
    __table_args__ = (UniqueConstraint("municipality_id", "kind", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class RaadsgesprekkenSettings(TenantMixin, db.Model):
    __tablename__ = f"{P}_settings"
    __table_args__ = (UniqueConstraint("municipality_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # How long report contents are kept is a retention category (retention.py), set on the
    # core's retention page like every plugin's, no longer a column here.
    clerk_email: Mapped[str | None] = mapped_column(String(254))
    clerk_phone: Mapped[str | None] = mapped_column(String(40))


class CouncilMember(TenantMixin, db.Model):
    """A council member. ``username`` links to an employee account by name, resolved at
    request time, so the link works before the member ever signed in."""

    __tablename__ = f"{P}_council_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    party: Mapped[str] = mapped_column(String(120), default="", nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    username: Mapped[str | None] = mapped_column(String(200), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    in_working_group: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.party})" if self.party else self.name


class ConversationDay(TenantMixin, db.Model):
    __tablename__ = f"{P}_day"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    location: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    slots: Mapped[list[ConversationSlot]] = relationship(
        back_populates="conversation_day",
        cascade="all, delete-orphan",
        order_by=lambda: ConversationSlot.starts,
    )


class ConversationSlot(TenantMixin, db.Model):
    __tablename__ = f"{P}_slot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_day.id", ondelete="CASCADE"), nullable=False, index=True
    )
    starts: Mapped[time] = mapped_column(Time, nullable=False)
    ends: Mapped[time] = mapped_column(Time, nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    conversation_day: Mapped[ConversationDay] = relationship(back_populates="slots")
    available: Mapped[list[SlotAvailability]] = relationship(
        back_populates="slot", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def member_ids(self) -> set[int]:
        return {a.member_id for a in self.available}


class SlotAvailability(TenantMixin, db.Model):
    __tablename__ = f"{P}_availability"
    __table_args__ = (UniqueConstraint("slot_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_slot.id", ondelete="CASCADE"), nullable=False, index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_council_member.id", ondelete="CASCADE"), nullable=False, index=True
    )
    slot: Mapped[ConversationSlot] = relationship(back_populates="available")


class ConversationAppointment(TenantMixin, db.Model):
    """A planned conversation: a moment, a place and council members, with one resident's
    request (individual) or several (group)."""

    __tablename__ = f"{P}_appointment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_slot.id", ondelete="SET NULL"), index=True
    )
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    #: the place; a resident's home address is cleared once the conversation has taken place
    place: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    place_is_home: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    cancel_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    slot: Mapped[ConversationSlot | None] = relationship()
    members: Mapped[list[AppointmentCouncilMember]] = relationship(
        back_populates="appointment", cascade="all, delete-orphan"
    )
    requests: Mapped[list[ConversationRequest]] = relationship(back_populates="appointment")
    report: Mapped[ConversationReport | None] = relationship(
        back_populates="appointment", cascade="all, delete-orphan", uselist=False
    )

    @property
    def member_ids(self) -> set[int]:
        return {m.member_id for m in self.members}

    @property
    def form_label(self) -> str:
        return str(FORMS.get(self.form, self.form))


class AppointmentCouncilMember(TenantMixin, db.Model):
    __tablename__ = f"{P}_appointment_member"
    __table_args__ = (UniqueConstraint("appointment_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_appointment.id", ondelete="CASCADE"), nullable=False, index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_council_member.id", ondelete="CASCADE"), nullable=False, index=True
    )
    appointment: Mapped[ConversationAppointment] = relationship(back_populates="members")
    member: Mapped[CouncilMember] = relationship()


class ConversationRequest(TenantMixin, db.Model):
    """A resident's request for a conversation, as the clerk's office registered it."""

    __tablename__ = f"{P}_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="SET NULL"), index=True
    )
    requester: Mapped[str] = mapped_column(String(20), nullable=False)
    care_kinds: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    received_via: Mapped[str] = mapped_column(String(20), nullable=False)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    form_address: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    grouping: Mapped[str] = mapped_column(String(10), nullable=False)
    trusted_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    trusted_relation: Mapped[str] = mapped_column(String(120), default="", nullable=False)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    preferred_times: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    client_council_member: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    requested_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: copied at intake so reach figures survive erasure and anonymisation
    neighbourhood: Mapped[str] = mapped_column(String(120), default="", nullable=False)
    status: Mapped[str] = mapped_column(String(20), default=REQUESTED, nullable=False)
    wants_feedback: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_appointment.id", ondelete="SET NULL"), index=True
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resident: Mapped[Resident | None] = relationship(Resident)
    appointment: Mapped[ConversationAppointment | None] = relationship(back_populates="requests")
    history: Mapped[list[RequestStatusChange]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        order_by=lambda: RequestStatusChange.id,
    )

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def display_name(self) -> str:
        return self.resident.name if self.resident is not None else "(geanonimiseerd)"


class RequestStatusChange(TenantMixin, db.Model):
    __tablename__ = f"{P}_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    by: Mapped[str] = mapped_column(String(200), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    request: Mapped[ConversationRequest] = relationship(back_populates="history")

    @property
    def to_label(self) -> str:
        return str(STATUSES.get(self.to_status, self.to_status))


class ConversationReport(TenantMixin, db.Model):
    __tablename__ = f"{P}_report"
    __table_args__ = (UniqueConstraint("appointment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_appointment.id", ondelete="CASCADE"), nullable=False
    )
    themes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    important: Mapped[str] = mapped_column(Text, default="", nullable=False)
    quotes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    written_by: Mapped[str] = mapped_column(String(200), nullable=False)
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    appointment: Mapped[ConversationAppointment] = relationship(back_populates="report")
    ideas: Mapped[list[ReportIdea]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by=lambda: ReportIdea.id
    )

    @property
    def quote_list(self) -> list[str]:
        return [q.strip() for q in self.quotes.splitlines() if q.strip()]


class ReportIdea(TenantMixin, db.Model):
    """An idea for improvement from a conversation, and the executive's answer to it."""

    __tablename__ = f"{P}_idea"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_report.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    summary_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_summary.id", ondelete="SET NULL"), index=True
    )
    answer: Mapped[str] = mapped_column(Text, default="", nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by: Mapped[str | None] = mapped_column(String(200))
    report: Mapped[ConversationReport] = relationship(back_populates="ideas")


class ExecutiveSummary(TenantMixin, db.Model):
    """The doorgeefluik: what was heard in a period, bundled for the executive."""

    __tablename__ = f"{P}_summary"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    report_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False)
    # The loop to the executive: when the summary went to the college, and within how many
    # working days the college's answers are due (seed 000: the council as doorgeefluik).
    sent_on: Mapped[date | None] = mapped_column(Date)
    answer_term_days: Mapped[int | None] = mapped_column(Integer)
    ideas: Mapped[list[ReportIdea]] = relationship(order_by=lambda: ReportIdea.id)

    @property
    def answer_due(self) -> date | None:
        """The day the college's answers are due: the term in working days after sending."""
        if self.sent_on is None or self.answer_term_days is None:
            return None
        return add_working_days(self.sent_on, self.answer_term_days)

    def unanswered(self) -> list[ReportIdea]:
        return [i for i in self.ideas if not i.answer]

    def is_overdue(self, on: date) -> bool:
        """Sent, past its due date, and at least one idea still without the college's answer."""
        due = self.answer_due
        return due is not None and due < on and bool(self.unanswered())


class ResidentFeedback(TenantMixin, db.Model):
    """That a resident who wanted to hear back was told the executive's answers."""

    __tablename__ = f"{P}_feedback"
    __table_args__ = (UniqueConstraint("summary_id", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summary_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_summary.id", ondelete="CASCADE"), nullable=False, index=True
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_request.id", ondelete="CASCADE"), nullable=False, index=True
    )
    method: Mapped[str] = mapped_column(String(10), nullable=False)  # "mail" or "letter"
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_by: Mapped[str] = mapped_column(String(200), nullable=False)
    request: Mapped[ConversationRequest] = relationship()


class StakeholderMeeting(TenantMixin, db.Model):
    """A preparatory conversation of the working group with stakeholders."""

    __tablename__ = f"{P}_stakeholder_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    with_whom: Mapped[str] = mapped_column(String(300), nullable=False)
    #: the organisation from the core's registry that took part (client organisation, care
    #: provider, the citizens' platform), when there is one
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    by_whom: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation: Mapped[Organisation | None] = relationship(Organisation)
