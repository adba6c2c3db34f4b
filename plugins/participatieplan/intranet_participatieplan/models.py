"""Tables of the participatieplan plugin: the reform agenda, its workstreams, milestones and
participation moments; thematic workshops (werkateliers) and personas made with residents.

Every row carries ``municipality_id`` (TenantMixin) and is fetched through ``scoped``. People
are residents of the core registry or employees, referenced by id: no resident's name, e-mail
or phone number is stored here. A persona is a composite: its texts are written together with
residents but never describe one identifiable person.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import has_request_context
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

from intranet.plugin_api import TenantMixin, _l, db, utcnow

P = "participatieplan"

# -- vocabularies (code -> Dutch label) ------------------------------------------------------
#: a workstream in "concept" is a draft: it never shows on the public planning page
WORKSTREAM_STATUSES = {
    "concept": _l("Concept (niet openbaar)"),
    "voorbereiding": _l("In voorbereiding"),
    "lopend": _l("Loopt"),
    "gepauzeerd": _l("Gepauzeerd"),
    "afgerond": _l("Afgerond"),
}
#: who is involved in a participation moment (multiple choice)
PARTIES = {
    "inwoners": _l("Inwoners"),
    "clienten": _l("Cliënten"),
    "mantelzorgers": _l("Mantelzorgers"),
    "zorgaanbieders": _l("Zorgaanbieders"),
    "vrijwilligers": _l("Vrijwilligers"),
    "clientorganisaties": _l("Cliëntenorganisaties"),
    "adviescommissie": _l("Adviescommissie sociaal domein"),
    "gemeenteraad": _l("Gemeenteraad"),
}
#: the participation ladder (seed 003), lowest rung first
LADDER = {
    "informeren": _l("Informeren: weten hoe het zit"),
    "raadplegen": _l("Raadplegen: iets meegeven"),
    "adviseren": _l("Adviseren: meedenken"),
    "coproduceren": _l("Coproduceren: meedoen"),
    "meebeslissen": _l("Meebeslissen: meebepalen"),
    "faciliteren": _l("Faciliteren: het zelf doen"),
}
#: the form of a moment; ``TARGET_KINDS`` says which kinds of linked activity fit it
MOMENT_FORMS = {
    "meedenkgroep": _l("Meedenkgroep"),
    "panelvragenlijst": _l("Vragenlijst aan een panel"),
    "raadsgesprekken": _l("Raadsgesprekken"),
    "adviesaanvraag": _l("Adviesaanvraag aan de adviescommissie"),
    "werkatelier": _l("Werkatelier"),
    "informatieavond": _l("Informatieavond"),
}
#: a moment in "concept" is a draft; "gepland" with a date in the past shows as late
MOMENT_STATUSES = {
    "concept": _l("Concept (niet openbaar)"),
    "gepland": _l("Gepland"),
    "gehouden": _l("Gehouden"),
    "afgelast": _l("Afgelast"),
}
WORKSHOP_STATUSES = {"gepland": _l("Gepland"), "gehouden": _l("Gehouden")}
#: the three sides of a werkatelier (seed 004): municipality, politics, clients
PARTICIPANT_KINDS = {
    "gemeente": _l("Gemeente"),
    "politiek": _l("Politiek"),
    "client": _l("Cliënt"),
    "organisatie": _l("Organisatie"),
}
INPUT_DECISIONS = {
    "open": _l("Nog niet besloten"),
    "gebruikt": _l("Gebruikt"),
    "niet_gebruikt": _l("Niet gebruikt"),
}
PERSONA_STATUSES = {
    "concept": _l("In de maak"),
    "in_gebruik": _l("In gebruik"),
    "gearchiveerd": _l("Gearchiveerd"),
}

#: consent purposes (declared through intranet_consent_purposes)
WORKSHOP_CONSENT = f"{P}.werkatelier"
PERSONA_CONSENT = f"{P}.persona"


def label(vocabulary: dict[str, object], code: str | None) -> str:
    """The label in the reader's language; the Dutch original outside a request (a CLI
    command or a job has no reader whose language could be chosen)."""
    value = vocabulary.get(code or "", code or "")
    if not has_request_context():
        args = getattr(value, "_args", None)
        return str(args[0]) if args else str(value)
    return str(value)


class Agenda(TenantMixin, db.Model):
    """A reform agenda (hervormingsagenda) as adopted, with its plan of approach."""

    __tablename__ = f"{P}_agenda"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)
    adopted_by: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    adopted_on: Mapped[date | None] = mapped_column(Date)
    budget_context: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    workstreams: Mapped[list[Workstream]] = relationship(
        back_populates="agenda", cascade="all, delete-orphan", order_by="Workstream.title"
    )


class Workstream(TenantMixin, db.Model):
    __tablename__ = f"{P}_workstream"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_agenda.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="concept", nullable=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    internal_notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    agenda: Mapped[Agenda] = relationship(back_populates="workstreams")
    owner = relationship("Employee")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="workstream", cascade="all, delete-orphan", order_by="Milestone.due_on"
    )
    moments: Mapped[list[Moment]] = relationship(
        back_populates="workstream", cascade="all, delete-orphan", order_by="Moment.planned_on"
    )

    @property
    def status_label(self) -> str:
        return label(WORKSTREAM_STATUSES, self.status)

    @property
    def is_public(self) -> bool:
        return self.status != "concept"


class Milestone(TenantMixin, db.Model):
    __tablename__ = f"{P}_milestone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workstream_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_workstream.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    done_on: Mapped[date | None] = mapped_column(Date)
    internal_notes: Mapped[str] = mapped_column(Text, default="", nullable=False)

    workstream: Mapped[Workstream] = relationship(back_populates="milestones")

    def is_late(self, today: date) -> bool:
        """Past its date and not done: late, whatever the status of the workstream."""
        return self.done_on is None and self.due_on < today


class Moment(TenantMixin, db.Model):
    """A participation moment: when and how the municipality involves the city."""

    __tablename__ = f"{P}_moment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workstream_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_workstream.id", ondelete="CASCADE"), nullable=False, index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_milestone.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    parties: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    ladder: Mapped[str] = mapped_column(String(20), nullable=False)
    form: Mapped[str] = mapped_column(String(30), nullable=False)
    planned_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="concept", nullable=False)
    outcome: Mapped[str] = mapped_column(Text, default="", nullable=False)
    outcome_reported_on: Mapped[date | None] = mapped_column(Date)
    internal_notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: link to another plugin's activity (intranet_participation_targets): plugin, key, a copy
    #: of its title and page, so the moment still reads well when that plugin is off
    target_plugin: Mapped[str | None] = mapped_column(String(60))
    target_key: Mapped[str | None] = mapped_column(String(200))
    target_title: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    workstream: Mapped[Workstream] = relationship(back_populates="moments")
    milestone: Mapped[Milestone | None] = relationship()

    @property
    def status_label(self) -> str:
        return label(MOMENT_STATUSES, self.status)

    @property
    def ladder_label(self) -> str:
        return label(LADDER, self.ladder)

    @property
    def form_label(self) -> str:
        return label(MOMENT_FORMS, self.form)

    @property
    def party_labels(self) -> list[str]:
        return [label(PARTIES, p) for p in self.parties or []]


class Workshop(TenantMixin, db.Model):
    """A thematic workshop (werkatelier) where municipality, politics and clients give input."""

    __tablename__ = f"{P}_workshop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(200), nullable=False)
    workstream_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_workstream.id", ondelete="SET NULL")
    )
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    location: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="gepland", nullable=False)
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    workstream: Mapped[Workstream | None] = relationship()
    participants: Mapped[list[WorkshopParticipant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopParticipant.id"
    )
    inputs: Mapped[list[WorkshopInput]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopInput.id"
    )

    @property
    def status_label(self) -> str:
        return label(WORKSHOP_STATUSES, self.status)


class WorkshopParticipant(TenantMixin, db.Model):
    """One participant: an employee (gemeente), a role in politics, or a resident (cliënt)."""

    __tablename__ = f"{P}_workshop_participant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_workshop.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    #: for municipality and politics: a role ("beleidsadviseur Wmo", "raadslid"), no resident
    role: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), index=True
    )
    #: for kind "organisatie": the organisation from the core's registry that took part
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
    organisation = relationship("Organisation")
    employee = relationship("Employee")
    resident = relationship("Resident")

    @property
    def kind_label(self) -> str:
        return label(PARTICIPANT_KINDS, self.kind)


class WorkshopInput(TenantMixin, db.Model):
    """What one side brought in, and what was done with it (used, or not with a reason)."""

    __tablename__ = f"{P}_workshop_input"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_workshop.id", ondelete="CASCADE"), nullable=False, index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_workshop_participant.id", ondelete="SET NULL")
    )
    #: the side it came from, kept when the participant is erased
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    decision: Mapped[str] = mapped_column(String(20), default="open", nullable=False)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    decided_on: Mapped[date | None] = mapped_column(Date)

    workshop: Mapped[Workshop] = relationship(back_populates="inputs")
    participant: Mapped[WorkshopParticipant | None] = relationship()

    @property
    def kind_label(self) -> str:
        return label(PARTICIPANT_KINDS, self.kind)

    @property
    def decision_label(self) -> str:
        return label(INPUT_DECISIONS, self.decision)


class CocreationSession(TenantMixin, db.Model):
    """A session where residents of the target group make personas together."""

    __tablename__ = f"{P}_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    participants: Mapped[list[SessionParticipant]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionParticipant.id"
    )


class SessionParticipant(TenantMixin, db.Model):
    __tablename__ = f"{P}_session_participant"
    __table_args__ = (UniqueConstraint("session_id", "resident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_session.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resident_id: Mapped[int] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE"), nullable=False, index=True
    )

    session: Mapped[CocreationSession] = relationship(back_populates="participants")
    resident = relationship("Resident")


class Persona(TenantMixin, db.Model):
    __tablename__ = f"{P}_persona"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="concept", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[PersonaVersion]] = relationship(
        back_populates="persona", cascade="all, delete-orphan", order_by="PersonaVersion.number"
    )
    uses: Mapped[list[PersonaUse]] = relationship(
        back_populates="persona", cascade="all, delete-orphan", order_by="PersonaUse.id"
    )

    @property
    def current(self) -> PersonaVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def status_label(self) -> str:
        return label(PERSONA_STATUSES, self.status)


class PersonaVersion(TenantMixin, db.Model):
    """One version of a persona card, and the co-creation session that helped make it."""

    __tablename__ = f"{P}_persona_version"
    __table_args__ = (UniqueConstraint("persona_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    persona_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_persona.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    situation: Mapped[str] = mapped_column(Text, nullable=False)
    what_matters: Mapped[str] = mapped_column(Text, default="", nullable=False)
    quotes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    needs: Mapped[str] = mapped_column(Text, default="", nullable=False)
    obstacles: Mapped[str] = mapped_column(Text, default="", nullable=False)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_session.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="", nullable=False)

    persona: Mapped[Persona] = relationship(back_populates="versions")
    session: Mapped[CocreationSession | None] = relationship()

    @property
    def quote_lines(self) -> list[str]:
        return [q.strip() for q in self.quotes.splitlines() if q.strip()]


class PersonaUse(TenantMixin, db.Model):
    """Where a persona is used: a workstream here, or another plugin's activity."""

    __tablename__ = f"{P}_persona_use"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    persona_id: Mapped[int] = mapped_column(
        ForeignKey(f"{P}_persona.id", ondelete="CASCADE"), nullable=False, index=True
    )
    workstream_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{P}_workstream.id", ondelete="CASCADE")
    )
    target_plugin: Mapped[str | None] = mapped_column(String(60))
    target_key: Mapped[str | None] = mapped_column(String(200))
    target_title: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)

    persona: Mapped[Persona] = relationship(back_populates="uses")
    workstream: Mapped[Workstream | None] = relationship()


#: kinds of bank questions, as questionnaire builders know them
QUESTION_KINDS = {
    "open": _l("Open vraag (tekst)"),
    "single": _l("Eén keuze"),
    "multiple": _l("Meerdere keuzes"),
    "scale": _l("Schaal"),
}


class BankQuestion(TenantMixin, db.Model):
    """A reusable questionnaire question (question bank), offered to other plugins' builders."""

    __tablename__ = f"{P}_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    kind: Mapped[str] = mapped_column(String(20), default="open", nullable=False)
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    options: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    scale_min: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    scale_max: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    scale_min_label: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    scale_max_label: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    #: part of the starter set written in the spirit of QueZ
    starter: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def kind_label(self) -> str:
        return label(QUESTION_KINDS, self.kind)
