"""Sending e-mail over SMTP, one connection per batch, so a mailing to a panel stays fast.

Settings (environment): INTRANET_SMTP_HOST, INTRANET_SMTP_PORT, INTRANET_SMTP_STARTTLS,
INTRANET_SMTP_USER, INTRANET_SMTP_PASSWORD, INTRANET_MAIL_FROM.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import lazy_gettext as _l

#: Headers folded only at RFC 5322's hard limit of 998 characters. With the default of 78, a
#: ``List-Unsubscribe: <https://…long token…>`` has no place to fold and Python encodes it as
#: RFC 2047 (``=?utf-8?q?=3Chttps…``); mail programs then offer no one-click unsubscribe.
MAIL_POLICY = email_policy.SMTP.clone(max_line_length=998)


#: Why a mail did not go out, in words for the employee who sent it. The server's own reply
#: (English, with status codes) stays beside it for whoever has to look into it.
MAIL_FAILURES = {
    "recipient": _l("De mailserver weigerde dit e-mailadres. Controleer het adres bij de inwoner."),
    "temporary": _l("De mailserver kon het bericht nu niet aannemen. Probeer het later opnieuw."),
    "rejected": _l("De mailserver weigerde het bericht."),
    "unreachable": _l(
        "De mailserver was niet bereikbaar of weigerde de verbinding. Probeer het later "
        "opnieuw; blijft het mislukken, meld het dan bij de beheerder."
    ),
    "settings": _l(
        "De mailserver weigerde het intranet (aanmelding of beveiligde verbinding). Meld het "
        "bij de beheerder: opnieuw proberen helpt niet."
    ),
    "error": _l("Het versturen is mislukt."),
}


class MailError(RuntimeError):
    """The mail server refused or could not be reached; the caller retries or reports it.

    ``reason`` is one of :data:`MAIL_FAILURES` (for the employee), the message is the
    server's own reply (for whoever looks into it).
    """

    def __init__(self, detail: str, reason: str = "error") -> None:
        super().__init__(detail)
        self.reason = reason if reason in MAIL_FAILURES else "error"


def mail_failure_text(reason: str) -> str:
    """The employee's explanation of a failure ``reason``, in the reader's language."""
    return str(MAIL_FAILURES.get(reason, MAIL_FAILURES["error"]))


def _reason_of(exc: Exception) -> str:
    """Sort the server's reply: 4xx is temporary, 5xx a refusal, a dropped line unreachable."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        return "temporary" if codes and all(400 <= c < 500 for c in codes) else "recipient"
    if isinstance(exc, smtplib.SMTPResponseException):
        return "temporary" if 400 <= exc.smtp_code < 500 else "rejected"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "unreachable"
    if isinstance(exc, smtplib.SMTPException):  # an OSError too, but the server answered
        return "error"
    return "unreachable" if isinstance(exc, OSError) else "error"


def _reason_of_sign_on(exc: Exception) -> str:
    """STARTTLS or the login failed: a line dropped or a server busy (4xx) may pass, but a
    refused login, a missing extension or a certificate that does not verify are settings."""
    if isinstance(exc, ssl.SSLError):
        return "settings"
    reason = _reason_of(exc)
    return "unreachable" if reason in ("unreachable", "temporary") else "settings"


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)

    def to_message(self, sender: str) -> EmailMessage:
        msg = EmailMessage(policy=MAIL_POLICY)
        msg["From"] = sender
        msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
        for name, value in self.headers.items():
            msg[name] = value
        msg.set_content(self.text)
        if self.html:
            msg.add_alternative(self.html, subtype="html")
        for a in self.attachments:
            maintype, _, subtype = a.mimetype.partition("/")
            msg.add_attachment(
                a.content, maintype=maintype, subtype=subtype or "octet-stream", filename=a.filename
            )
        return msg


def mail_settings() -> dict[str, object]:
    c = current_app.config
    return {
        "host": c.get("SMTP_HOST", "localhost"),
        "port": int(c.get("SMTP_PORT", 25)),
        "starttls": bool(c.get("SMTP_STARTTLS", False)),
        "user": c.get("SMTP_USER"),
        "password": c.get("SMTP_PASSWORD"),
        "sender": c.get("MAIL_FROM", "intranet@localhost"),
        "timeout": float(c.get("SMTP_TIMEOUT", 10)),
    }


class Mailer:
    """An open SMTP connection; ``send`` raises MailError for one message, the batch goes on."""

    def __init__(self, smtp: smtplib.SMTP, sender: str) -> None:
        self.smtp = smtp
        self.sender = sender

    def send(self, mail: Mail) -> None:
        try:
            self.smtp.send_message(mail.to_message(self.sender))
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError(f"recipient refused: {exc.recipients}", _reason_of(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(str(exc), _reason_of(exc)) from exc


@contextmanager
def mailer() -> Iterator[Mailer]:
    s = mail_settings()
    where = f"mail server {s['host']}:{s['port']}"
    try:
        smtp = smtplib.SMTP(str(s["host"]), int(s["port"]), timeout=float(s["timeout"]))  # type: ignore[arg-type]
    except (smtplib.SMTPException, OSError) as exc:  # no line, or a greeting of 421
        raise MailError(f"{where} not reachable: {exc}", "unreachable") from exc
    try:
        if s["starttls"]:
            smtp.starttls(context=ssl.create_default_context())
        if s["user"]:
            smtp.login(str(s["user"]), str(s["password"] or ""))
    except (smtplib.SMTPException, OSError) as exc:
        smtp.close()
        raise MailError(f"{where}: {exc}", _reason_of_sign_on(exc)) from exc
    try:
        yield Mailer(smtp, str(s["sender"]))
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def send_mail(mail: Mail) -> None:
    """Send one message on its own connection."""
    with mailer() as m:
        m.send(mail)
