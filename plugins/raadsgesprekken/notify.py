"""Mail to residents and council members, and the letters for residents without e-mail.

A mail that fails does not undo the planning: the caller gets the failures back and shows
them, and the letter is always available as a printable page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import current_app, render_template, request, url_for

from intranet.plugin_api import (
    Attachment,
    Mail,
    MailError,
    _,
    mailer,
)

from . import ics
from .models import (
    CONSENT_CONTACT,
    ConversationAppointment,
    ConversationRequest,
    ExecutiveSummary,
)
from .service import consenting, in_default_language, settings

P = ParamSpec("P")
R = TypeVar("R")


def _in_default_language(send: Callable[P, R]) -> Callable[P, R]:
    """Mails (and their calendar files) are written in the default language (Dutch), also when
    the clerk who plans the conversation reads the intranet in English."""

    @wraps(send)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with in_default_language():
            return send(*args, **kwargs)

    return wrapper


@dataclass
class Outcome:
    mailed: list[str] = field(default_factory=list)
    letters: list[int] = field(default_factory=list)  # request ids that need a printed letter
    failed: list[str] = field(default_factory=list)


def _host() -> str:
    return request.host.split(":")[0] if request else "intranet"


def clerk_email() -> str:
    return settings().clerk_email or current_app.config.get("MAIL_FROM", "griffie@localhost")


def public_place(appointment: ConversationAppointment) -> str:
    """The place as a council member's invitation shows it."""
    if appointment.form == "phone":
        return _("Telefonisch")
    return appointment.place or appointment.form_label


@_in_default_language
def send_invitations(appointment: ConversationAppointment, *, changed: str = "new") -> Outcome:
    """Mail every assigned council member an .ics invitation (or cancellation)."""
    outcome = Outcome()
    subjects = {
        "new": _("Uitnodiging raadsgesprek"),
        "moved": _("Gewijzigd: raadsgesprek"),
        "cancelled": _("Vervallen: raadsgesprek"),
    }
    url = url_for("raadsgesprekken.appointment", appointment_id=appointment.id, _external=True)
    mails = []
    for link in appointment.members:
        member = link.member
        if not member.email:
            continue
        body = ics.invitation(
            appointment,
            member,
            host=_host(),
            organiser_email=clerk_email(),
            place=public_place(appointment),
            url=url,
        )
        text = render_template(
            "raadsgesprekken/mail/invitation.txt",
            appointment=appointment,
            member=member,
            changed=changed,
            url=url,
        )
        mails.append(
            (
                member.email,
                Mail(
                    to=member.email,
                    subject=subjects[changed],
                    text=text,
                    attachments=[
                        Attachment(
                            "raadsgesprek.ics",
                            body,
                            "text/calendar",
                        )
                    ],
                ),
            )
        )
    _send(mails, outcome)
    return outcome


@_in_default_language
def send_confirmations(appointment: ConversationAppointment, *, changed: str = "new") -> Outcome:
    """Confirm to each resident: by mail when they have an address, otherwise a letter.

    Only residents whose contact consent stands (``consenting``, the rule of ``may_contact``
    for all of them at once): after a withdrawal no mail and no letter, also not about a
    change to a conversation already planned.
    """
    outcome = Outcome()
    mails = []
    may = consenting(appointment.requests, CONSENT_CONTACT)
    for req in appointment.requests:
        resident = req.resident
        if resident is None or resident.id not in may:
            continue
        if resident.email:
            text = render_template(
                "raadsgesprekken/mail/confirmation.txt",
                appt=appointment,
                req=req,
                changed=changed,
                settings=settings(),
            )
            subject = {
                "new": _("Bevestiging: uw gesprek met raadsleden"),
                "moved": _("Gewijzigd: uw gesprek met raadsleden"),
                "cancelled": _("Vervallen: uw gesprek met raadsleden"),
            }[changed]
            mails.append((resident.email, Mail(to=resident.email, subject=subject, text=text)))
        else:
            outcome.letters.append(req.id)
    _send(mails, outcome)
    return outcome


@_in_default_language
def send_feedback(
    summary: ExecutiveSummary, requests: list[ConversationRequest], answers: dict[int, list]
) -> Outcome:  # type: ignore[type-arg]
    """Tell residents who wanted to hear back what the executive answered (only while their
    contact consent stands)."""
    outcome = Outcome()
    mails = []
    may = consenting(requests, CONSENT_CONTACT)
    for req in requests:
        resident = req.resident
        if resident is None or resident.id not in may:
            continue
        if resident.email:
            text = render_template(
                "raadsgesprekken/mail/feedback.txt",
                summary=summary,
                req=req,
                ideas=answers.get(req.id, []),
                settings=settings(),
            )
            mails.append(
                (
                    resident.email,
                    Mail(
                        to=resident.email,
                        subject="Wat het college doet met uw ideeën",
                        text=text,
                    ),
                )
            )
        else:
            outcome.letters.append(req.id)
    _send(mails, outcome)
    return outcome


def _send(mails: list[tuple[str, Mail]], outcome: Outcome) -> None:
    if not mails:
        return
    try:
        with mailer() as m:
            for to, mail in mails:
                try:
                    m.send(mail)
                    outcome.mailed.append(to)
                except MailError:
                    current_app.logger.warning("raadsgesprekken: mail refused")
                    outcome.failed.append(to)
    except MailError:
        current_app.logger.warning("raadsgesprekken: mail server not reachable")
        outcome.failed.extend(to for to, _ in mails if to not in outcome.mailed)
