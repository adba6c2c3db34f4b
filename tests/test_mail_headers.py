"""The List-Unsubscribe header leaves as plain ASCII ``<https://…>`` (issue 10 §5, RFC 8058)."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

from intranet.mail import Mail

pytest_plugins = ("test_meedenkgroepen_support",)  # the real SMTP server (aiosmtpd) fixture

URL = "https://intranet.zaanstad.example/publiek/zaanstad/meedenkgroepen/afmelden/" + (
    "eyJtIjoxLCJwIjozNX0.Z0x9AQ.dGhpcyBpcyBhIHNpZ25hdHVyZQ" * 5
)


def test_list_unsubscribe_is_plain_ascii_in_the_raw_bytes() -> None:
    mail = Mail(
        to="lid@example.org",
        subject="Uw mening over hulp bij het huishouden — één vraag",
        text="Dag,",
        headers={
            "List-Unsubscribe": f"<{URL}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    raw = mail.to_message("participatie@zaanstad.demo").as_bytes()
    assert f"List-Unsubscribe: <{URL}>\r\n".encode() in raw
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert b"=?utf-8?q?=3Chttp" not in raw
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["List-Unsubscribe"] == f"<{URL}>"
    assert parsed["Subject"] == "Uw mening over hulp bij het huishouden — één vraag"
    assert re.match(rb"^[\x20-\x7e]+$", raw.split(b"List-Unsubscribe: ")[1].split(b"\r\n")[0])


def test_list_unsubscribe_arrives_unencoded_over_smtp(app, smtp) -> None:  # type: ignore[no-untyped-def]
    """Through smtplib to a real server (aiosmtpd): the bytes that arrive, not our rendering."""
    from intranet.mail import send_mail

    with app.app_context():
        send_mail(
            Mail(
                to="lid@example.org",
                subject="x",
                text="y",
                headers={"List-Unsubscribe": f"<{URL}>"},
            )
        )
    (raw,) = smtp.raw
    assert re.search(rb"List-Unsubscribe: <" + re.escape(URL.encode()) + rb">\r?\n", raw)
