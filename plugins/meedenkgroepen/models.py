"""Tables of the meedenkgroepen plugin: groups, meetings, panels, questionnaires, trajectories.

Every row carries ``municipality_id`` (TenantMixin) and is fetched through ``scoped``.
Residents are referenced from the core registry, never copied: no name, e-mail or phone
number of a resident is stored here. Questionnaire responses are not linked to a resident
(only the invitation is, to make links single-use), so results are pseudonymous by design.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
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

from intranet.plugin_api import TenantMixin, _, _l, db, mail_failure_text, utcnow

P = "meedenkgroepen"

# -- vocabularies (code -> Dutch label) ------------------------------------------------------
GROUP_STATUSES = {
    "oprichting": _l("In oprichting"),
    "actief": _l("Actief"),
    "gesloten": _l("Gesloten"),
}
SIGNUP_CHANNELS = {
    "email": _l("Per e-mail (mailbox)"),
    "telefoon": _l("Telefonisch"),
    "persoonlijk": _l("Persoonlijk"),
    "formulier": _l("Via een formulier"),
}
#: a member's motivation often tells their own story (a GGZ waiting list, debts): special-
#: category data (AVG art. 9), shown only with core.privacy.special and withheld from exports
MOTIVATION_CATEGORY = _l("gegevens over gezondheid (motivatie van deelnemers)")

#: consent purpose (declared through intranet_consent_purposes): questionnaires are mailed
#: only to panel members who hold it; withdrawing it in the residents registry stops them
PANEL_CONSENT = "meedenkgroepen.panel"
#: consent purpose for think-along groups: the outcomes and the feedback of the meetings are
#: mailed only to residents who hold it; signing up for a group records it
GROUP_CONSENT = "meedenkgroepen.group"
#: consent purpose for hearing the decision on a proposal for a new group (seed 003: "staat
#: uw thema er niet tussen?"); recorded when the proposal is taken in
PROPOSAL_CONSENT = "meedenkgroepen.proposal"
#: how a sign-up channel is recorded as the method of the consent it carries
CONSENT_METHOD_BY_CHANNEL = {
    "email": "email",
    "telefoon": "verbal",
    "persoonlijk": "verbal",
    "formulier": "form",
}
PROPOSAL_DECISIONS = {
    "open": _l("Nog niet besloten"),
    "toegekend": _l("Groep wordt opgericht"),
    "afgewezen": _l("Niet opgericht"),
}
OUTCOME_DECISIONS = {
    "overgenomen": _l("Overgenomen"),
    "deels": _l("Deels overgenomen"),
    "niet": _l("Niet overgenomen"),
}
QUESTION_KINDS = {
    "open": _l("Open vraag (tekst)"),
    "single": _l("Eén keuze"),
    "multiple": _l("Meerdere keuzes"),
    "scale": _l("Schaal"),
}
QUESTIONNAIRE_STATUSES = {
    "concept": _l("Concept"),
    "verzonden": _l("Verzonden"),
    "gesloten": _l("Gesloten"),
}
RESPONSE_CHANNELS = {
    "online": _l("Online"),
    "papier": _l("Op papier"),
    "telefoon": _l("Telefonisch"),
}

# delivery states of one outbound mail (invitation, outcomes, feedback)
PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"
DELIVERY_STATUSES = {
    PENDING: _l("Wacht op verzending"),
    SENDING: _l("Bezig (onbekend of verzonden)"),
    SENT: _l("Verzonden"),
    FAILED: _l("Mislukt"),
    SKIPPED: _l("Overgeslagen"),
}

TRAJECTORY_ORIGINS = {"inwoner": _l("Vanuit een inwoner"), "gemeente": _l("Vanuit de gemeente")}
CONVERSATION_KINDS = {"individueel": _l("Individueel"), "georganiseerd": _l("Georganiseerd")}
CONTRIBUTION_SOURCES = {
    "bijeenkomst": _l("Bijeenkomst"),
    "vragenlijst": _l("Vragenlijst"),
    "gesprek": _l("Gesprek"),
    "anders": _l("Anders"),
}
CONTRIBUTION_DECISIONS = {"gebruikt": _l("Meegenomen"), "niet_gebruikt": _l("Niet meegenomen")}
RESULT_KINDS = {
    "advies": _l("Een advies"),
    "opdracht": _l("Een (nieuwe) opdracht"),
    "voorstel": _l("Een voorstel aan de gemeente om een besluit te nemen"),
}


#: What a delivery starts a new attempt with (sent, or set back to pending): no old reason.
NEW_ATTEMPT = {"last_error": "", "failure": ""}


class DeliveryMixin:
    """The state of one outbound mail, so a job mails only what was not sent yet."""

    status: Mapped[str] = mapped_column(String(20), default=PENDING, nullable=False, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_error: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    #: why the last attempt failed, a reason of the core's ``MAIL_FAILURES`` ("" when sent)
    failure: Mapped[str] = mapped_column(String(20), default="", server_default="", nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def status_label(self) -> str:
        return str(DELIVERY_STATUSES.get(self.status, self.status))

    @property
    def failure_text(self) -> str:
        """What went wrong, for the employee; rows from before reasons were kept say it plainly."""
        if not (self.failure or self.last_error):
            return ""
        return mail_failure_text(self.failure or "error")


# -- groups and membership ------------------------------------------------------------------
class Group(TenantMixin, db.Model):
    __tablename__ = f"{P}_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    goal: Mapped[str] = mapped_column(Text, default="", nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="oprichting", nullable=False)
    mailbox: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    channel_url: Mapped[str | None] = mapped_column(String(500))
    channel_label: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner = relationship("Employee")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Membership.signed_up_on"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Meeting.starts_at"
    )

    @property
    def status_label(self) -> str:
        return str(GROUP_STATUSES.get(self.status, self.status))


class Membership(TenantMixin, db.Model):
    __tablename__ = f"{P}_membership"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_group.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )
    signed_up_on: Mapped[date] = mapped_column(Date, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    motivation: Mapped[str] = mapped_column(Text, default="", nullable=False)
    wants_minutes: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    left_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(200))

    group: Mapped[Group] = relationship(back_populates="memberships")
    resident = relationship("Resident")

    @property
    def channel_label(self) -> str:
        return str(SIGNUP_CHANNELS.get(self.channel, self.channel))


class GroupProposal(TenantMixin, db.Model):
    """ "Staat uw thema er niet tussen?": a resident proposes a new group."""

    __tablename__ = f"{P}_proposal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="SET NULL"), index=True
    )
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    decision: Mapped[str] = mapped_column(String(20), default="open", nullable=False)
    decision_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    group_id: Mapped[int | None] = mapped_column(ForeignKey(f"{P}_group.id", ondelete="SET NULL"))

    resident = relationship("Resident")
    group = relationship("Group")

    @property
    def decision_label(self) -> str:
        return str(PROPOSAL_DECISIONS.get(self.decision, self.decision))


# -- meetings, outcomes, feedback ------------------------------------------------------------
class Meeting(TenantMixin, db.Model):
    __tablename__ = f"{P}_meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_group.id", ondelete="CASCADE"), nullable=False, index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    location: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    online: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    agenda: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: the earlier meeting whose outcomes this follow-up meeting reports on
    follow_up_of_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_meeting.id", ondelete="SET NULL")
    )
    outcomes_mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    feedback_mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    group: Mapped[Group] = relationship(back_populates="meetings")
    follow_up_of = relationship("Meeting", remote_side="Meeting.id")
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    organisations: Mapped[list[MeetingOrganisation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingOrganisation.id"
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="Outcome.position",
        foreign_keys="Outcome.meeting_id",
    )


class Attendance(TenantMixin, db.Model):
    __tablename__ = f"{P}_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "resident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_meeting.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )
    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    resident = relationship("Resident")


class MeetingOrganisation(TenantMixin, db.Model):
    """An organisation from the registry that took part in a meeting (a client organisation,
    a care provider, the citizens' platform); its contact persons hear the outcomes."""

    __tablename__ = f"{P}_meeting_organisation"
    __table_args__ = (
        UniqueConstraint(
            "meeting_id", "organisation_id", name="uq_meedenkgroepen_meeting_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_meeting.id", ondelete="CASCADE"), nullable=False, index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    meeting: Mapped[Meeting] = relationship(back_populates="organisations")
    organisation = relationship("Organisation")


class Outcome(TenantMixin, db.Model):
    """One outcome (opbrengst) of a meeting, and later what the municipality did with it."""

    __tablename__ = f"{P}_outcome"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_meeting.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    decision: Mapped[str | None] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="", nullable=False)
    decided_in_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_meeting.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    meeting: Mapped[Meeting] = relationship(back_populates="outcomes", foreign_keys=[meeting_id])

    @property
    def decision_label(self) -> str:
        return str(OUTCOME_DECISIONS.get(self.decision or "", _("Nog niet besproken")))


class FeedbackMail(DeliveryMixin, TenantMixin, db.Model):
    """One resident's copy of a meeting's outcomes, of the feedback after a follow-up meeting,
    or of what a trajectory did with the contributions. ``ref`` is ``meeting:<id>`` or
    ``trajectory:<id>``; the unique key makes sure nobody is mailed twice."""

    __tablename__ = f"{P}_feedback_mail"
    __table_args__ = (UniqueConstraint("ref", "kind", "resident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # opbrengsten | terugkoppeling
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    resident = relationship("Resident")


# -- panels and questionnaires ---------------------------------------------------------------
class Panel(TenantMixin, db.Model):
    __tablename__ = f"{P}_panel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    themes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    mailbox: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    members: Mapped[list[PanelMember]] = relationship(
        back_populates="panel", cascade="all, delete-orphan", order_by="PanelMember.id"
    )


class PanelMember(TenantMixin, db.Model):
    __tablename__ = f"{P}_panel_member"
    __table_args__ = (UniqueConstraint("panel_id", "resident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_panel.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )
    themes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    joined_on: Mapped[date] = mapped_column(Date, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), default="email", nullable=False)
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    left_via: Mapped[str | None] = mapped_column(String(20))  # afmeldlink | medewerker

    panel: Mapped[Panel] = relationship(back_populates="members")
    resident = relationship("Resident")


class Questionnaire(TenantMixin, db.Model):
    __tablename__ = f"{P}_questionnaire"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_panel.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    intro: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: only members who chose one of these themes; empty means the whole panel
    themes: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    opens_on: Mapped[date] = mapped_column(Date, nullable=False)
    closes_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="concept", nullable=False)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    send_job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    reminder_job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    # Closing the loop (seed 003): what the answers led to, mailed to whoever answered.
    feedback_text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: the feedback mailing's job, for its progress bar (no foreign key: added by a plain
    #: ADD COLUMN, see the migration meedenkgroepen_loops)
    feedback_job_id: Mapped[int | None] = mapped_column(Integer)
    feedback_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    panel: Mapped[Panel] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan", order_by="Question.position"
    )

    @property
    def status_label(self) -> str:
        return str(QUESTIONNAIRE_STATUSES.get(self.status, self.status))


class Question(TenantMixin, db.Model):
    """Every question is optional: answering is never required."""

    __tablename__ = f"{P}_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_questionnaire.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    options: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    scale_min: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    scale_max: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    scale_min_label: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    scale_max_label: Mapped[str] = mapped_column(String(100), default="", nullable=False)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")

    @property
    def kind_label(self) -> str:
        return str(QUESTION_KINDS.get(self.kind, self.kind))

    @property
    def choices(self) -> list[str]:
        if self.kind == "scale":
            return [str(n) for n in range(self.scale_min, self.scale_max + 1)]
        return list(self.options or [])


class Invitation(DeliveryMixin, TenantMixin, db.Model):
    """One resident invited to one questionnaire; the link in the mail is single-use."""

    __tablename__ = f"{P}_invitation"
    __table_args__ = (UniqueConstraint("questionnaire_id", "resident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_questionnaire.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="SET NULL"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_panel_member.id", ondelete="SET NULL"), index=True
    )
    skip_reason: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_via: Mapped[str | None] = mapped_column(String(20))
    reminder_status: Mapped[str | None] = mapped_column(String(20))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship()
    resident = relationship("Resident")
    member = relationship("PanelMember")


class Response(TenantMixin, db.Model):
    """One filled-in questionnaire; deliberately not linked to the resident or invitation."""

    __tablename__ = f"{P}_response"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_questionnaire.id", ondelete="CASCADE"), nullable=False, index=True
    )
    channel: Mapped[str] = mapped_column(String(20), default="online", nullable=False)
    entered_by: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    @property
    def channel_label(self) -> str:
        return str(RESPONSE_CHANNELS.get(self.channel, self.channel))


class Answer(TenantMixin, db.Model):
    __tablename__ = f"{P}_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_response.id", ondelete="CASCADE"), nullable=False, index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_question.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    choices: Mapped[list] = mapped_column(JSON, default=list, nullable=False)

    response: Mapped[Response] = relationship(back_populates="answers")


# -- six-step trajectories -------------------------------------------------------------------
class Trajectory(TenantMixin, db.Model):
    __tablename__ = f"{P}_trajectory"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(200), nullable=False)
    origin: Mapped[str] = mapped_column(String(20), nullable=False)
    origin_note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    information: Mapped[str] = mapped_column(Text, default="", nullable=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    step: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    involvement_ok: Mapped[bool | None] = mapped_column(Boolean)
    involvement_note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    result_kind: Mapped[str | None] = mapped_column(String(20))
    result_text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # Step 5: what happens next (seed 003: "we leggen uit wat de volgende stappen zijn").
    next_steps: Mapped[str] = mapped_column(Text, default="", nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    feedback_mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner = relationship("Employee")
    parent = relationship("Trajectory", remote_side="Trajectory.id")
    documents: Mapped[list[PolicyDocument]] = relationship(
        cascade="all, delete-orphan", order_by="PolicyDocument.id"
    )
    conversations: Mapped[list[Conversation]] = relationship(
        cascade="all, delete-orphan", order_by="Conversation.held_on"
    )
    participant_groups: Mapped[list[ParticipantGroup]] = relationship(
        cascade="all, delete-orphan", order_by="ParticipantGroup.id"
    )
    contributions: Mapped[list[Contribution]] = relationship(
        cascade="all, delete-orphan", order_by="Contribution.position"
    )
    interim_results: Mapped[list[InterimResult]] = relationship(
        cascade="all, delete-orphan", order_by="InterimResult.id"
    )
    transitions: Mapped[list[StepTransition]] = relationship(
        cascade="all, delete-orphan", order_by="StepTransition.id"
    )

    @property
    def origin_label(self) -> str:
        return str(TRAJECTORY_ORIGINS.get(self.origin, self.origin))


class PolicyDocument(TenantMixin, db.Model):
    __tablename__ = f"{P}_policy_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    url: Mapped[str] = mapped_column(String(500), default="", nullable=False)


class Conversation(TenantMixin, db.Model):
    """Step 2: a conversation, individual or organised, and who took part (as groups)."""

    __tablename__ = f"{P}_conversation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="CASCADE"), nullable=False, index=True
    )
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    participants: Mapped[str] = mapped_column(String(500), nullable=False)
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)
    recorded_by: Mapped[str | None] = mapped_column(String(200))

    @property
    def kind_label(self) -> str:
        return str(CONVERSATION_KINDS.get(self.kind, self.kind))


class ParticipantGroup(TenantMixin, db.Model):
    """Step 3: a group of participants and its rung on the participation ladder. ``name``
    describes the group in words (before the registry links, the only record of who took
    part); ``participants`` are the residents and organisations from the registry in it."""

    __tablename__ = f"{P}_participant_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    rung: Mapped[str] = mapped_column(String(20), nullable=False)

    participants: Mapped[list[TrajectoryParticipant]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="TrajectoryParticipant.id"
    )


class TrajectoryParticipant(TenantMixin, db.Model):
    """A resident or an organisation from the municipality's registry in a step-3 group of a
    trajectory: the trajectory's feedback reaches them (an organisation through its contact
    persons), each resident only while they hold the group consent."""

    __tablename__ = f"{P}_trajectory_participant"
    __table_args__ = (
        # short names: the conventional ones pass PostgreSQL's 63-character limit
        UniqueConstraint("group_id", "resident_id", name="uq_meedenkgroepen_tp_resident"),
        UniqueConstraint("group_id", "organisation_id", name="uq_meedenkgroepen_tp_organisation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="CASCADE"), nullable=False, index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_participant_group.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    added_by: Mapped[str] = mapped_column(String(200), nullable=False)
    added_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )

    group: Mapped[ParticipantGroup] = relationship(back_populates="participants")
    resident = relationship("Resident")
    organisation = relationship("Organisation")


class Contribution(TenantMixin, db.Model):
    """Step 4 and 5: an idea collected, checked for completeness, then used or not."""

    __tablename__ = f"{P}_contribution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    source_note: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_meeting.id", ondelete="SET NULL")
    )
    questionnaire_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_questionnaire.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    complete: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    decision: Mapped[str | None] = mapped_column(String(20))
    explanation: Mapped[str] = mapped_column(Text, default="", nullable=False)

    @property
    def source_label(self) -> str:
        return str(CONTRIBUTION_SOURCES.get(self.source, self.source))

    @property
    def decision_label(self) -> str:
        return str(CONTRIBUTION_DECISIONS.get(self.decision or "", _("Nog niet beoordeeld")))


class StepTransition(TenantMixin, db.Model):
    """The history of a trajectory: who moved it from which step to which, when and why."""

    __tablename__ = f"{P}_step_transition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_step: Mapped[int | None] = mapped_column(Integer)
    to_step: Mapped[int] = mapped_column(Integer, nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)


class InterimResult(TenantMixin, db.Model):
    """Step 6: a result on the way, recorded without closing the trajectory."""

    __tablename__ = f"{P}_interim_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_trajectory.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
