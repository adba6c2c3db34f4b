"""Background jobs: mailing invitations, reminders, outcomes and feedback.

They run through the core's job interface (RQ when ``INTRANET_REDIS_URL`` is set, a thread
otherwise). Every mail is a row with a status, so:

* a job mails only rows still ``pending``; a row is claimed (``sending``, committed) before the
  mail goes out, with one conditional ``UPDATE … WHERE status = 'pending' RETURNING id`` (two
  workers racing on one mailing never both get a row), and marked ``sent`` right after, so
  running a job twice, or pressing "send" twice, never mails anyone twice (at most once: a crash mid-batch leaves ``sending`` rows,
  shown as "onbekend", which are never retried automatically);
* a failed mail is retried a few times (reconnecting in between), then marked ``failed`` with
  the error, counted in the job's progress and listed on the page with a retry button.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from sqlalchemy import Select, func, select, update

from intranet.plugin_api import (
    N_,
    JobContext,
    Mail,
    Mailer,
    MailError,
    Municipality,
    Resident,
    db,
    dutch_date,
    dutch_datetime,
    mailer,
    record,
    residents_with_consent,
    scoped,
    utcnow,
)

from .models import (
    FAILED,
    GROUP_CONSENT,
    NEW_ATTEMPT,
    PANEL_CONSENT,
    PENDING,
    PROPOSAL_CONSENT,
    SENDING,
    SENT,
    SKIPPED,
    FeedbackMail,
    Group,
    GroupProposal,
    Invitation,
    Meeting,
    PanelMember,
    Questionnaire,
    Trajectory,
)
from .service import create_invitations
from .tokens import make_answer_token, make_unsubscribe_token

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
BATCH_SIZE = 100


class _Connection:
    """One SMTP connection, opened on first use and reopened after a failure."""

    def __init__(self) -> None:
        self._stack: ExitStack | None = None
        self._mailer: Mailer | None = None

    def send(self, mail: Mail) -> None:
        if self._mailer is None:
            stack = ExitStack()
            self._mailer = stack.enter_context(mailer())
            self._stack = stack
        self._mailer.send(mail)

    def close(self) -> None:
        if self._stack is not None:
            try:
                self._stack.close()
            except (MailError, OSError):
                log.warning("closing the SMTP connection failed", exc_info=True)
        self._stack = None
        self._mailer = None


def _refill(batch_residents: dict[int, Resident], loaded: dict[int, Resident]) -> None:
    """Hold only the current batch's residents, so a job's memory does not grow with the
    number of recipients (10,000 panel members are 100 batches, not one big dict)."""
    batch_residents.clear()
    batch_residents.update(loaded)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _batches(model: Any, ids: Select | list[int], size: int) -> tuple[int, Iterator[list[int]]]:
    """How many ids there are, and the ids in batches of ``size``.

    A ``Select`` of ids is read a batch at a time, in id order from where the last batch ended
    (keyset paging): a send to 100,000 panel members never holds all their ids at once, so the
    worker's memory does not grow with the panel.
    """
    if isinstance(ids, list):
        return len(ids), _chunks(ids, size)
    total = db.session.execute(select(func.count()).select_from(ids.subquery())).scalar_one()

    def pages() -> Iterator[list[int]]:
        last = 0
        while True:
            chunk = list(
                db.session.execute(
                    ids.where(model.id > last).order_by(model.id).limit(size)
                ).scalars()
            )
            if not chunk:
                return
            last = chunk[-1]
            yield chunk

    return total, pages()


@dataclass(frozen=True)
class MailingTexts:
    """A mailing's progress messages: message ids, filled in and translated where shown."""

    progress: str
    failures: str
    #: the last line when some were not mailed on purpose (consent withdrawn, unsubscribed)
    skipped: str


# Each kind of mail's progress, worded so that any number reads well.
INVITATIONS = MailingTexts(
    N_("Uitnodigingen verzonden: %(sent)d van %(total)d."),
    N_(
        "Uitnodigingen verzonden: %(sent)d van %(total)d; %(failed)d mislukt na "
        "%(attempts)d pogingen. Zie de lijst en probeer opnieuw."
    ),
    N_(
        "Uitnodigingen verzonden: %(sent)d van %(total)d; %(skipped)d overgeslagen (geen "
        "toestemming meer of afgemeld)."
    ),
)
REMINDERS = MailingTexts(
    N_("Herinneringen verzonden: %(sent)d van %(total)d."),
    N_(
        "Herinneringen verzonden: %(sent)d van %(total)d; %(failed)d mislukt na "
        "%(attempts)d pogingen. Zie de lijst en probeer opnieuw."
    ),
    N_(
        "Herinneringen verzonden: %(sent)d van %(total)d; %(skipped)d overgeslagen (geen "
        "toestemming meer of afgemeld)."
    ),
)
EMAILS = MailingTexts(
    N_("E-mails verzonden: %(sent)d van %(total)d."),
    N_(
        "E-mails verzonden: %(sent)d van %(total)d; %(failed)d mislukt na %(attempts)d "
        "pogingen. Zie de lijst en probeer opnieuw."
    ),
    N_(
        "E-mails verzonden: %(sent)d van %(total)d; %(skipped)d overgeslagen (geen "
        "toestemming meer of afgemeld)."
    ),
)


def deliver(
    ctx: JobContext,
    model: Any,
    ids: Select | list[int],
    build: Callable[[Any], Mail | None],
    *,
    status_attr: str = "status",
    sent_attr: str = "sent_at",
    texts: MailingTexts = EMAILS,
    prefetch: Callable[[list[Any]], Any] | None = None,
) -> tuple[int, int]:
    """Mail the rows ``ids`` of ``model`` (a list, or a select of their ids) that are still
    pending; returns (sent, failed)."""
    total, batches = _batches(model, ids, BATCH_SIZE)
    done = sent = failed = skipped = 0
    ctx.progress(0, total, 0, texts.progress, {"sent": 0, "total": total})
    status = getattr(model, status_attr)
    for chunk in batches:
        # Claim before sending, in one conditional UPDATE: of two workers racing on the same
        # rows, the database gives each row to one of them (at most once).
        claimed = list(
            db.session.execute(
                update(model)
                .where(model.id.in_(chunk), status == PENDING)
                .values({status: SENDING})
                .returning(model.id),
                execution_options={"synchronize_session": False},
            ).scalars()
        )
        db.session.commit()
        # reload the claimed rows (and what the mails need) in one query each, not one per row
        rows = db.session.execute(select(model).where(model.id.in_(claimed))).scalars().all()
        if prefetch is not None:
            prefetch(rows)
        conn = _Connection()
        try:
            for row in rows:
                done += 1
                mail = build(row)
                if mail is None:
                    setattr(row, status_attr, SKIPPED)
                    skipped += 1
                    continue
                ok = False
                row.attempts = 0
                while row.attempts < MAX_ATTEMPTS and not ok:
                    row.attempts += 1
                    try:
                        conn.send(mail)
                        ok = True
                    except MailError as exc:
                        row.last_error = str(exc)[:500]
                        row.failure = exc.reason
                        conn.close()
                if ok:
                    setattr(row, status_attr, SENT)
                    setattr(row, sent_attr, utcnow())
                    for field, value in NEW_ATTEMPT.items():
                        setattr(row, field, value)
                    sent += 1
                else:
                    setattr(row, status_attr, FAILED)
                    failed += 1
        finally:
            conn.close()
            db.session.commit()
        done += len(chunk) - len(rows)
        ctx.progress(done, total, failed, texts.progress, {"sent": sent, "total": total})
    if failed:
        values = {"sent": sent, "total": total, "failed": failed, "attempts": MAX_ATTEMPTS}
        ctx.progress(total, total, failed, texts.failures, values)
    elif skipped:
        values = {"sent": sent, "total": total, "skipped": skipped}
        ctx.progress(total, total, failed, texts.skipped, values)
    else:
        ctx.progress(total, total, failed, texts.progress, {"sent": sent, "total": total})
    return sent, failed


@contextmanager
def _links(base_url: str) -> Iterator[None]:
    """A request context on the public base URL, so url_for builds the links in the mails."""
    with current_app.test_request_context("/", base_url=base_url):
        yield


def _municipality(ctx: JobContext) -> Municipality:
    municipality = db.session.get(Municipality, ctx.municipality_id)
    if municipality is None:
        raise RuntimeError("job without municipality")
    return municipality


def _residents(
    municipality: Municipality, ids: list[int | None], consent: str | None = None
) -> dict[int, Resident]:
    """The residents among ``ids``; with ``consent``, only those who hold that consent now.

    Checked as each batch is sent: a consent withdrawn after the mail was queued leaves the
    resident out, and the mail is marked skipped, not sent.
    """
    wanted = [i for i in ids if i is not None]
    if consent is not None:
        consenting = residents_with_consent(municipality.id, consent, wanted)
        wanted = [i for i in wanted if i in consenting]
    if not wanted:
        return {}
    return {
        r.id: r
        for r in db.session.execute(
            scoped(Resident, municipality).where(Resident.id.in_(wanted))
        ).scalars()
    }


# -- questionnaires ---------------------------------------------------------------------------
def _invitation_mail(
    municipality: Municipality,
    q: Questionnaire,
    inv: Invitation,
    resident: Resident | None,
    reminder: bool,
) -> Mail | None:
    if resident is None or not resident.email or inv.member_id is None:
        return None
    answer_url = url_for(
        "meedenkgroepen_public.answer",
        municipality=municipality.slug,
        token=make_answer_token(municipality.id, inv.id),
        _external=True,
    )
    unsubscribe_url = url_for(
        "meedenkgroepen_public.unsubscribe",
        municipality=municipality.slug,
        token=make_unsubscribe_token(municipality.id, inv.member_id),
        _external=True,
    )
    subject = ("Herinnering: " if reminder else "") + f"Vragenlijst: {q.title}"
    opening = (
        "Een tijdje geleden stuurden we u een vragenlijst. Misschien bent u er nog niet aan "
        "toegekomen; u kunt hem nog invullen"
        if reminder
        else f"Als lid van het panel {q.panel.name} nodigen we u uit om mee te denken"
    )
    text = (
        f"Beste {resident.name},\n\n"
        f"{opening} tot en met {dutch_date(q.closes_on)}.\n\n"
        f"{q.intro}\n\n"
        f"Vul de vragenlijst in via deze persoonlijke link (u kunt hem één keer gebruiken):\n"
        f"{answer_url}\n\n"
        "Antwoorden is niet verplicht: u kunt elke vraag overslaan.\n\n"
        f"Met vriendelijke groet,\n{municipality.name}\n\n"
        "Stoppen kan altijd. Wilt u geen vragenlijsten van dit panel meer ontvangen? "
        f"Klik dan op deze link; u bent dan meteen afgemeld:\n{unsubscribe_url}\n"
    )
    return Mail(
        to=resident.email,
        subject=subject,
        text=text,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def prepare_and_send_invitations(ctx: JobContext, questionnaire_id: int, base_url: str) -> None:
    """What the send button starts: invite whom the plan invites now, then mail them.

    The plan (consent, e-mail address, yearly limit, themes, already invited) is decided by
    the database for the whole panel at once, here in the job rather than in the request.
    """
    municipality = _municipality(ctx)
    q = db.session.execute(
        scoped(Questionnaire, municipality).where(Questionnaire.id == questionnaire_id)
    ).scalar_one()
    ctx.progress(0, message=N_("Bepalen wie een uitnodiging krijgt ..."))
    invited = create_invitations(municipality, q)
    if invited:
        q.status = "verzonden"
    record(
        "meedenkgroepen.questionnaire.sent",
        object_type="vragenlijst",
        object_id=q.id,
        municipality=municipality,
        actor=ctx.job.created_by,
        details={"invitations": invited},
    )
    db.session.commit()
    if not invited:
        ctx.progress(0, 0, message=N_("Er was niemand (meer) om de vragenlijst naar te sturen."))
        return
    _send_questionnaire_mail(ctx, questionnaire_id, base_url, reminder=False)


def send_invitations(ctx: JobContext, questionnaire_id: int, base_url: str) -> None:
    _send_questionnaire_mail(ctx, questionnaire_id, base_url, reminder=False)


def send_reminders(ctx: JobContext, questionnaire_id: int, base_url: str) -> None:
    _send_questionnaire_mail(ctx, questionnaire_id, base_url, reminder=True)


def _send_questionnaire_mail(
    ctx: JobContext, questionnaire_id: int, base_url: str, *, reminder: bool
) -> None:
    """Mail the pending invitations (or reminders) of one questionnaire.

    Whoever unsubscribed, answered (reminders) or withdrew consent since the mail was queued
    is skipped, not mailed: each is checked when the batch is sent.
    """
    municipality = _municipality(ctx)
    q = db.session.execute(
        scoped(Questionnaire, municipality).where(Questionnaire.id == questionnaire_id)
    ).scalar_one()
    status = Invitation.reminder_status if reminder else Invitation.status
    ids = (
        scoped(Invitation, municipality)
        .with_only_columns(Invitation.id)
        .where(Invitation.questionnaire_id == q.id, status == PENDING)
    )
    residents: dict[int, Resident] = {}
    left = _left_members(municipality, q)

    def build(inv: Invitation) -> Mail | None:
        if inv.member_id in left or (reminder and inv.answered_at is not None):
            return None
        return _invitation_mail(municipality, q, inv, residents.get(inv.resident_id), reminder)

    extra: dict[str, str] = (
        {"status_attr": "reminder_status", "sent_attr": "reminded_at"} if reminder else {}
    )
    with _links(base_url):
        deliver(
            ctx,
            Invitation,
            ids,
            build,
            texts=REMINDERS if reminder else INVITATIONS,
            prefetch=lambda batch: _refill(
                residents,
                _residents(municipality, [i.resident_id for i in batch], PANEL_CONSENT),
            ),
            **extra,
        )


def _left_members(municipality: Municipality, q: Questionnaire) -> set[int]:
    return set(
        db.session.execute(
            scoped(PanelMember, municipality)
            .with_only_columns(PanelMember.id)
            .where(
                PanelMember.panel_id == q.panel_id,
                PanelMember.left_at.is_not(None),
            )
        ).scalars()
    )


# -- meetings and trajectories ----------------------------------------------------------------
def _outcomes_text(meeting: Meeting, with_decisions: bool) -> str:
    lines = []
    for n, o in enumerate(meeting.outcomes, start=1):
        lines.append(f"{n}. {o.text}")
        if with_decisions:
            lines.append(f"   Wat de gemeente ermee deed: {o.decision_label}.")
            if o.explanation:
                lines.append(f"   Toelichting: {o.explanation}")
    return "\n".join(lines) or "(geen opbrengsten vastgelegd)"


def _feedback_mail(
    municipality: Municipality, ref: str, kind: str, resident: Resident | None
) -> Mail | None:
    if resident is None or not resident.email:
        return None
    kind_name, _, ident = ref.partition(":")
    if kind_name == "meeting":
        meeting = db.session.execute(
            scoped(Meeting, municipality).where(Meeting.id == int(ident))
        ).scalar_one()
        group: Group = meeting.group
        contact = f"Vragen? Mail naar {group.mailbox}." if group.mailbox else ""
        if kind == "opbrengsten":
            subject = (
                f"Opbrengsten van de bijeenkomst {group.theme} ({dutch_date(meeting.starts_at)})"
            )
            body = (
                f"Dank u wel voor uw inbreng in de meedenkgroep {group.theme} op "
                f"{dutch_datetime(meeting.starts_at)}. Dit zijn de opbrengsten:\n\n"
                f"{_outcomes_text(meeting, False)}\n\n"
                "In een vervolgbijeenkomst vertellen we wat er met de opbrengsten is gedaan."
            )
        else:
            earlier = meeting.follow_up_of
            subject = f"Wat we deden met uw inbreng: meedenkgroep {group.theme}"
            body = (
                f"In de vervolgbijeenkomst van {dutch_date(meeting.starts_at)} vertelden we wat "
                "er is gedaan met de opbrengsten"
                + (f" van de bijeenkomst op {dutch_date(earlier.starts_at)}" if earlier else "")
                + ":\n\n"
                + (_outcomes_text(earlier, True) if earlier else "")
            )
    elif kind_name == "proposal":
        proposal = db.session.execute(
            scoped(GroupProposal, municipality).where(GroupProposal.id == int(ident))
        ).scalar_one()
        contact = ""
        subject = f"Besluit over uw voorstel voor een meedenkgroep: {proposal.theme}"
        outcome = (
            "We richten de meedenkgroep op. U hoort van ons wanneer de eerste bijeenkomst is."
            if proposal.decision == "toegekend"
            else "We richten deze meedenkgroep niet op."
        )
        body = (
            f"U stelde een meedenkgroep voor over {proposal.theme}. {outcome}"
            + (f"\n\nToelichting: {proposal.decision_reason}" if proposal.decision_reason else "")
            + "\n\nDank u wel voor uw voorstel."
        )
    elif kind_name == "questionnaire":
        q = db.session.execute(
            scoped(Questionnaire, municipality).where(Questionnaire.id == int(ident))
        ).scalar_one()
        contact = f"Vragen? Mail naar {q.panel.mailbox}." if q.panel.mailbox else ""
        subject = f"Wat we deden met uw antwoorden: {q.title}"
        body = (
            f"Dank u wel voor het invullen van de vragenlijst {q.title} van het panel "
            f"{q.panel.name}. Dit hebben we met de antwoorden gedaan:\n\n{q.feedback_text}"
        )
    else:
        trajectory = db.session.execute(
            scoped(Trajectory, municipality).where(Trajectory.id == int(ident))
        ).scalar_one()
        contact = ""
        subject = f"Wat we deden met uw bijdrage: {trajectory.topic}"
        lines = []
        for n, c in enumerate(trajectory.contributions, start=1):
            lines.append(f"{n}. {c.text}\n   {c.decision_label}.")
            if c.explanation:
                lines.append(f"   Uitleg: {c.explanation}")
        body = (
            f"U dacht mee over {trajectory.topic}. Zo zijn de bijdragen gebruikt:\n\n"
            + "\n".join(lines)
            + (f"\n\nVolgende stappen: {trajectory.next_steps}" if trajectory.next_steps else "")
            + "".join(
                f"\n\nTussenresultaat ({dutch_date(r.recorded_at)}): {r.text}"
                for r in trajectory.interim_results
            )
            + (f"\n\nResultaat: {trajectory.result_text}" if trajectory.result_text else "")
        )
    text = f"Beste {resident.name},\n\n{body}\n\n{contact}\n\nMet vriendelijke groet,\n{municipality.name}\n"
    return Mail(to=resident.email, subject=subject, text=text)


def send_feedback_mails(ctx: JobContext, ref: str, kind: str) -> None:
    municipality = _municipality(ctx)
    rows = db.session.execute(
        scoped(FeedbackMail, municipality)
        .with_only_columns(FeedbackMail.id, FeedbackMail.resident_id)
        .where(
            FeedbackMail.ref == ref,
            FeedbackMail.kind == kind,
            FeedbackMail.status == PENDING,
        )
    ).all()
    residents: dict[int, Resident] = {}
    # a meeting's mail, and a trajectory's feedback to the attendees of the meetings its
    # contributions came from, rest on the group consent, a questionnaire's on the panel
    # consent, a proposal's decision on the proposer's; checked again now, as the mail goes out
    consent = {
        "meeting": GROUP_CONSENT,
        "trajectory": GROUP_CONSENT,
        "questionnaire": PANEL_CONSENT,
        "proposal": PROPOSAL_CONSENT,
    }.get(ref.partition(":")[0])
    left: set[int] = set()
    if ref.startswith("questionnaire:"):
        q = db.session.execute(
            scoped(Questionnaire, municipality).where(
                Questionnaire.id == int(ref.partition(":")[2])
            )
        ).scalar_one()
        left = {
            m.resident_id
            for m in db.session.execute(
                scoped(PanelMember, municipality).where(
                    PanelMember.panel_id == q.panel_id, PanelMember.left_at.is_not(None)
                )
            ).scalars()
        }
    deliver(
        ctx,
        FeedbackMail,
        [r.id for r in rows],
        lambda fm: (
            None
            if fm.resident_id in left
            else _feedback_mail(municipality, ref, kind, residents.get(fm.resident_id))
        ),
        prefetch=lambda batch: _refill(
            residents, _residents(municipality, [f.resident_id for f in batch], consent)
        ),
    )
