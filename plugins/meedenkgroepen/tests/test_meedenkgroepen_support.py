"""Shared fixtures for the meedenkgroepen tests: a real SMTP server (aiosmtpd) and helpers.

Other test modules import the fixtures from here (``from test_meedenkgroepen_support import ...``).
"""

from __future__ import annotations

import re
import smtplib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities.models import Municipality
from intranet.residents.models import Resident
from intranet_dev.slapd import free_port

BASE = "/zaanstad/meedenkgroepen"


SERVER = """
import sys, time, os
from aiosmtpd.controller import Controller
folder, port = sys.argv[1], int(sys.argv[2])
count = [0]

class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with open(os.path.join(folder, "connections"), "a") as f:
            f.write("x")
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        path = os.path.join(folder, "refuse.txt")
        if os.path.exists(path) and address in open(path).read().split():
            return "550 mailbox unavailable"
        path = os.path.join(folder, "later.txt")
        if os.path.exists(path) and address in open(path).read().split():
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(folder, "reject-data")):
            return "554 5.7.1 message refused"
        count[0] += 1
        tmp = os.path.join(folder, "tmp-%06d" % count[0])
        with open(tmp, "wb") as f:
            f.write(envelope.content)
        os.rename(tmp, os.path.join(folder, "%06d.eml" % count[0]))
        return "250 OK"

Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost").start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"""


@dataclass
class SmtpSink:
    """A real SMTP server (aiosmtpd) in its own process, so it never competes with the app for
    the GIL; every message lands as a file in ``folder``."""

    folder: Path

    @property
    def raw(self) -> list[bytes]:
        return [p.read_bytes() for p in sorted(self.folder.glob("*.eml"))]

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(r, policy=policy.default) for r in self.raw]  # type: ignore[misc]

    @property
    def connections(self) -> int:
        path = self.folder / "connections"
        return len(path.read_text()) if path.exists() else 0

    def refuse(self, *addresses: str) -> None:
        (self.folder / "refuse.txt").write_text("\n".join(addresses))

    def defer(self, *addresses: str) -> None:
        """Answer these recipients with a temporary failure (451)."""
        (self.folder / "later.txt").write_text("\n".join(addresses))

    def reject_messages(self, on: bool = True) -> None:
        """Refuse every message after its content is sent (554), whoever it is for."""
        flag = self.folder / "reject-data"
        if on:
            flag.write_text("x")
        else:
            flag.unlink(missing_ok=True)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        for p in self.folder.glob("*.eml"):
            p.unlink()


@pytest.fixture
def smtp(app, tmp_path) -> Iterator[SmtpSink]:  # type: ignore[no-untyped-def]
    """A real SMTP server on a free port; the app mails to it and runs jobs synchronously."""
    folder = tmp_path / "smtp"
    folder.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(folder), str(port)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    saved = {k: app.config.get(k) for k in ("SMTP_HOST", "SMTP_PORT", "MAIL_FROM", "JOBS_EAGER")}
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        MAIL_FROM="participatie@zaanstad.demo",
        JOBS_EAGER=True,
    )
    try:
        yield SmtpSink(folder)
    finally:
        app.config.update(saved)
        proc.kill()
        proc.wait()


def body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def link(msg: EmailMessage, kind: str) -> str:
    """The path of the answer ('vragenlijst') or unsubscribe ('afmelden') link in a mail."""
    found = re.search(rf"https?://[^/\s]+(/publiek/\S+/{kind}/\S+)", body(msg))
    assert found, body(msg)
    return found.group(1)


def municipality(slug: str) -> Municipality:
    return db.session.execute(select(Municipality).where(Municipality.slug == slug)).scalar_one()


def resident(m: Municipality, name: str, email: str | None = None) -> Resident:
    r = Resident(municipality_id=m.id, name=name, email=email, kind="client")
    db.session.add(r)
    db.session.flush()
    return r


def test_the_smtp_sink_receives_and_refuses(app, smtp):  # type: ignore[no-untyped-def]
    smtp.refuse("nee@example.org")
    with smtplib.SMTP("127.0.0.1", app.config["SMTP_PORT"]) as s:
        s.sendmail("a@example.org", ["ja@example.org"], b"Subject: x\r\n\r\nhallo")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            s.sendmail("a@example.org", ["nee@example.org"], b"Subject: y\r\n\r\nhallo")
    assert len(smtp.messages) == 1
