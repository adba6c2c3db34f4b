"""Tables of the adviescommissie plugin; every row carries its municipality (TenantMixin)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet.plugin_api import Resident, TenantMixin, _, _l, db, lazy_pgettext, utcnow

from . import states

MEMBER_ROLES = {"chair": _l("Voorzitter"), "secretary": _l("Secretaris"), "member": _l("Lid")}
POLICY_AREAS = {
    "wmo": _l("Wmo"),
    "youth": _l("Jeugd"),
    "participation_act": _l("Participatiewet"),
    "other": _l("Anders"),
}
SUBJECT_KINDS = {
    "bylaw": _l("Verordening"),
    "policy": _l("Beleidsvoorstel"),
    "procurement": _l("Aanbesteding"),
    "implementation": _l("Uitvoering"),
}
TIMELINESS = {
    "": _l("Nog niet beoordeeld"),
    "early": _l("Tijdig gevraagd"),
    "late": _l("Te laat gevraagd"),
}
RESPONSES = {
    "adopted": _l("Overgenomen"),
    "partly": _l("Deels overgenomen"),
    "rejected": _l("Niet overgenomen"),
}
ASSESSMENTS = {
    "": _l("Nog niet beoordeeld"),
    "serves": _l("Draagt bij aan de waarde"),
    "partly": _l("Draagt deels bij"),
    "not": _l("Draagt niet bij"),
}
ATTENDANCE = {
    "present": _l("Aanwezig"),
    "excused": lazy_pgettext("aanwezigheid", "Afgemeld"),
    "absent": _l("Afwezig"),
}

#: seed 002: the top 5 of values, with a concrete agreement each
DEFAULT_VALUES = [
    (
        "Professionaliteit / deskundigheid",
        "Medewerkers kennen de regels en de sociale kaart; bespreek met de commissie wat "
        "deskundigheid inhoudt en hoe die wordt gewaarborgd.",
    ),
    (
        "Respect",
        "Spreek cliënten niet ongevraagd aan met hun voornaam of met ‘je’ en ‘jij’; "
        "let op toon en woordkeuze.",
    ),
    (
        "Vertrouwen",
        "Bouw vertrouwen in de werkprocessen in, te beginnen bij de poort: "
        "ga uit van de goede trouw van de cliënt.",
    ),
    (
        "Gelijkwaardigheid",
        "Gemeente en commissie voeren het gesprek op gelijkwaardig niveau; "
        "de cliënt kan spreken met de juiste persoon.",
    ),
    (
        "Klantgerichtheid",
        "Neem cliënten serieus en sluit aan bij hun wensen en behoeften, "
        "ook in hun vaak kwetsbare en afhankelijke positie.",
    ),
]


class CommitteeMember(TenantMixin, db.Model):
    """A committee member: a resident with a role, expertise and a term."""

    __tablename__ = "adviescommissie_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="member")
    expertise: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    term_start: Mapped[date] = mapped_column(Date, nullable=False)
    term_end: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resident: Mapped[Resident] = relationship()

    @property
    def role_label(self) -> str:
        return str(MEMBER_ROLES.get(self.role, self.role))

    def is_active_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class CommitteeMeeting(TenantMixin, db.Model):
    __tablename__ = "adviescommissie_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    location: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    agenda: Mapped[str] = mapped_column(Text, nullable=False, default="")
    minutes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    attendance: Mapped[list[CommitteeAttendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class CommitteeAttendance(TenantMixin, db.Model):
    __tablename__ = "adviescommissie_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("adviescommissie_meeting.id", ondelete="CASCADE"), nullable=False, index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("adviescommissie_member.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="present")
    meeting: Mapped[CommitteeMeeting] = relationship(back_populates="attendance")
    member: Mapped[CommitteeMember] = relationship()

    @property
    def status_label(self) -> str:
        return str(ATTENDANCE.get(self.status, self.status))


class AdviceFile(TenantMixin, db.Model):
    """One advice file: a solicited request (or unsolicited advice) and everything after it."""

    __tablename__ = "adviescommissie_advice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    solicited: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    policy_area: Mapped[str] = mapped_column(String(30), nullable=False)
    subject_kind: Mapped[str] = mapped_column(String(30), nullable=False)
    department: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    official: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    documents: Mapped[str] = mapped_column(Text, nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    deadline: Mapped[date | None] = mapped_column(Date)
    timeliness: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    #: the date of the decision (college or council) the advice is meant to inform: "asked
    #: early enough" is judged against it (deadlines.timeliness_for)
    decision_date: Mapped[date | None] = mapped_column(Date)
    timeliness_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(30), nullable=False, default=states.RECEIVED)
    advice_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    adopted_on: Mapped[date | None] = mapped_column(Date)
    sent_on: Mapped[date | None] = mapped_column(Date)
    response_due: Mapped[date | None] = mapped_column(Date)
    response_received_on: Mapped[date | None] = mapped_column(Date)
    followup_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    participation_advice: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: link to a participation target of another plugin (see intranet_participation_targets)
    target_plugin: Mapped[str | None] = mapped_column(String(60))
    target_key: Mapped[str | None] = mapped_column(String(200))
    target_title: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    recommendations: Mapped[list[AdviceRecommendation]] = relationship(
        back_populates="advice",
        cascade="all, delete-orphan",
        order_by="AdviceRecommendation.number",
    )
    changes: Mapped[list[AdviceStatusChange]] = relationship(
        back_populates="advice", cascade="all, delete-orphan", order_by="AdviceStatusChange.id"
    )
    assessments: Mapped[list[AdviceValueAssessment]] = relationship(
        back_populates="advice", cascade="all, delete-orphan"
    )
    consultations: Mapped[list[AdviceConsultation]] = relationship(
        cascade="all, delete-orphan", order_by="AdviceConsultation.consulted_on"
    )

    @property
    def status_label(self) -> str:
        return str(states.STATUSES.get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return _("Gevraagd advies") if self.solicited else _("Ongevraagd advies")

    @property
    def policy_area_label(self) -> str:
        return str(POLICY_AREAS.get(self.policy_area, self.policy_area))

    @property
    def subject_kind_label(self) -> str:
        return str(SUBJECT_KINDS.get(self.subject_kind, self.subject_kind))

    @property
    def timeliness_label(self) -> str:
        return str(TIMELINESS.get(self.timeliness, self.timeliness))

    @property
    def document_links(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    def facts(self) -> states.Facts:
        return states.Facts(
            has_advice_text=bool(self.advice_text.strip()),
            recommendations=len(self.recommendations),
            unanswered_recommendations=sum(1 for r in self.recommendations if not r.response),
        )


class AdviceRecommendation(TenantMixin, db.Model):
    __tablename__ = "adviescommissie_recommendation"
    __table_args__ = (UniqueConstraint("advice_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advice_id: Mapped[int] = mapped_column(
        ForeignKey("adviescommissie_advice.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    response: Mapped[str | None] = mapped_column(String(20))
    reasoning: Mapped[str] = mapped_column(Text, nullable=False, default="")
    responded_on: Mapped[date | None] = mapped_column(Date)
    responded_by: Mapped[str | None] = mapped_column(String(200))
    advice: Mapped[AdviceFile] = relationship(back_populates="recommendations")

    @property
    def response_label(self) -> str:
        return str(RESPONSES.get(self.response or "", _("Nog geen reactie")))


class AdviceConsultation(TenantMixin, db.Model):
    """An organisation from the registry the committee consulted while preparing an advice
    (its rank and file: a client organisation, a care provider, the citizens' platform), so
    the advice shows whose voice is in it."""

    __tablename__ = "adviescommissie_consultation"
    __table_args__ = (
        UniqueConstraint(
            "advice_id", "organisation_id", name="uq_adviescommissie_consultation_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advice_id: Mapped[int] = mapped_column(
        ForeignKey("adviescommissie_advice.id", ondelete="CASCADE"), nullable=False, index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    consulted_on: Mapped[date] = mapped_column(Date, nullable=False)
    how: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    organisation = relationship("Organisation")


class AdviceStatusChange(TenantMixin, db.Model):
    """Who moved the file to which status, and when."""

    __tablename__ = "adviescommissie_status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advice_id: Mapped[int] = mapped_column(
        ForeignKey("adviescommissie_advice.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30), nullable=False)
    by: Mapped[str] = mapped_column(String(200), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    advice: Mapped[AdviceFile] = relationship(back_populates="changes")

    @property
    def to_label(self) -> str:
        return str(states.STATUSES.get(self.to_status, self.to_status))


class AgreedValue(TenantMixin, db.Model):
    """A value agreed by municipality and committee, with concrete agreements (seed 002)."""

    __tablename__ = "adviescommissie_value"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    agreements: Mapped[str] = mapped_column(Text, nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class AdviceValueAssessment(TenantMixin, db.Model):
    """The reverse test of one advice file against one value."""

    __tablename__ = "adviescommissie_value_assessment"
    __table_args__ = (UniqueConstraint("advice_id", "value_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advice_id: Mapped[int] = mapped_column(
        ForeignKey("adviescommissie_advice.id", ondelete="CASCADE"), nullable=False, index=True
    )
    value_id: Mapped[int] = mapped_column(
        ForeignKey("adviescommissie_value.id", ondelete="CASCADE"), nullable=False, index=True
    )
    explanation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    assessment: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    assessment_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    advice: Mapped[AdviceFile] = relationship(back_populates="assessments")
    value: Mapped[AgreedValue] = relationship()

    @property
    def assessment_label(self) -> str:
        return str(ASSESSMENTS.get(self.assessment, self.assessment))
