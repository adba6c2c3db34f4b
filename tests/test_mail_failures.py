"""Why a mail failed, sorted from the real server's reply (aiosmtpd) and told in words.

The employee sees an explanation in their language; the server's reply is kept beside it.
"""

from __future__ import annotations

import pytest

from intranet.mail import MAIL_FAILURES, Mail, MailError, mail_failure_text, mailer, send_mail
from intranet_dev.slapd import free_port

pytest_plugins = ("test_meedenkgroepen_support",)  # the real SMTP server (aiosmtpd) fixture


def _failure(app, to: str = "lid@example.org") -> MailError:  # type: ignore[no-untyped-def]
    with app.app_context(), pytest.raises(MailError) as caught:
        send_mail(Mail(to=to, subject="Uitnodiging", text="Dag,"))
    return caught.value


def test_a_refused_address_is_the_recipients(app, smtp) -> None:  # type: ignore[no-untyped-def]
    smtp.refuse("weg@example.org")
    error = _failure(app, "weg@example.org")
    assert error.reason == "recipient"
    assert "550" in str(error)  # the server's own reply is kept for whoever looks into it


def test_a_temporary_refusal_says_try_later(app, smtp) -> None:  # type: ignore[no-untyped-def]
    smtp.defer("druk@example.org")
    error = _failure(app, "druk@example.org")
    assert error.reason == "temporary" and "451" in str(error)


def test_a_refused_message_is_not_the_addresses_fault(app, smtp) -> None:  # type: ignore[no-untyped-def]
    smtp.reject_messages()
    error = _failure(app)
    assert error.reason == "rejected" and "554" in str(error)
    assert smtp.messages == []


def test_no_server_listening_is_unreachable(app) -> None:  # type: ignore[no-untyped-def]
    saved = app.config.get("SMTP_HOST"), app.config.get("SMTP_PORT")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nothing listens there
    try:
        error = _failure(app)
    finally:
        app.config.update(SMTP_HOST=saved[0], SMTP_PORT=saved[1])
    assert error.reason == "unreachable"


def test_a_delivered_mail_raises_nothing(app, smtp) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), mailer() as m:
        m.send(Mail(to="lid@example.org", subject="Uitnodiging", text="Dag,"))
    assert [msg["To"] for msg in smtp.messages] == ["lid@example.org"]


def test_every_reason_reads_in_both_languages(app) -> None:  # type: ignore[no-untyped-def]
    from flask_babel import force_locale

    with app.test_request_context():
        dutch = {reason: mail_failure_text(reason) for reason in MAIL_FAILURES}
        with force_locale("en"):
            english = {reason: mail_failure_text(reason) for reason in MAIL_FAILURES}
        assert dutch["recipient"].startswith("De mailserver weigerde dit e-mailadres")
        for reason in MAIL_FAILURES:
            assert english[reason] != dutch[reason], reason
        # an unknown reason (a plugin's own, a newer version's) still reads as a failure
        assert mail_failure_text("something-else") == dutch["error"]
    assert MailError("x", "no-such-reason").reason == "error"


def test_the_reasons_of_replies_a_test_server_cannot_give() -> None:
    """smtplib's own exceptions, built here: a line dropped mid-message, a server that lacks
    an extension the message needs. (Every SMTP exception is an ``OSError`` in Python; only
    a failure of the line itself means the server was not reachable.)"""
    import smtplib

    from intranet.mail import _reason_of

    assert _reason_of(smtplib.SMTPServerDisconnected("Connection unexpectedly closed")) == (
        "unreachable"
    )
    assert _reason_of(TimeoutError("timed out")) == "unreachable"
    assert _reason_of(smtplib.SMTPNotSupportedError("SMTPUTF8 not supported")) == "error"
    assert _reason_of(smtplib.SMTPSenderRefused(553, b"sender refused", "x@y")) == "rejected"
    assert _reason_of(smtplib.SMTPDataError(452, b"too many messages")) == "temporary"
    refused = smtplib.SMTPRecipientsRefused({"a@x": (550, b"no"), "b@x": (451, b"later")})
    assert _reason_of(refused) == "recipient"  # one of them for good: the address is the cause


def test_a_server_that_will_not_take_our_sign_on_is_a_matter_of_settings(app, smtp) -> None:  # type: ignore[no-untyped-def]
    """STARTTLS asked of a server without it: retrying will not help, the settings must change."""
    saved = app.config.get("SMTP_STARTTLS")
    app.config.update(SMTP_STARTTLS=True)
    try:
        error = _failure(app)
    finally:
        app.config.update(SMTP_STARTTLS=saved)
    assert error.reason == "settings" and "STARTTLS" in str(error)
    assert smtp.messages == []


def test_the_sign_on_reasons_of_replies_a_test_server_cannot_give() -> None:
    import smtplib
    import ssl

    from intranet.mail import _reason_of_sign_on

    assert _reason_of_sign_on(smtplib.SMTPAuthenticationError(535, b"bad credentials")) == (
        "settings"
    )
    assert _reason_of_sign_on(ssl.SSLCertVerificationError("certificate verify failed")) == (
        "settings"
    )
    assert _reason_of_sign_on(smtplib.SMTPResponseException(454, b"TLS not available now")) == (
        "unreachable"  # busy for now: try again later
    )
    assert _reason_of_sign_on(smtplib.SMTPServerDisconnected("closed")) == "unreachable"
