"""Single sign-on through gunicorn as deployed: real header bytes, a server bound to ``[::]``.

Bound to ``[::]``, a proxy on 127.0.0.1 arrives as ``::ffff:127.0.0.1``; it must count as the
configured ``127.0.0.1``. Header bytes go over the wire as they are (UTF-8, or a stray 0xAA).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from ldap3 import Connection
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.testing.helpers import SECRET_KEY
from intranet_dev.slapd import free_port

pytestmark = pytest.mark.ldap

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]

SSO = """
[municipalities.zwolle.sso]
header = "X-Remote-User"
trusted_proxies = ["127.0.0.1"]
realms = ["ZWOLLE.DEMO"]
"""


def _ipv6_dual_stack() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            sock.bind(("::", 0))
        return True
    except OSError:
        return False


@pytest.fixture
def jmuller(slapd) -> Iterator[None]:  # type: ignore[no-untyped-def]
    suffix = "dc=zwolle,dc=demo"
    conn = Connection(slapd.url, f"cn=admin,{suffix}", slapd.rootpw, auto_bind=True)
    dn = f"uid=jmüller,ou=people,{suffix}"
    conn.add(dn, ["inetOrgPerson"], {"uid": "jmüller", "cn": "Jürgen Müller", "sn": "Müller"})
    assert conn.result["result"] in (0, 68), conn.result
    try:
        yield
    finally:
        conn.delete(dn)
        conn.unbind()


@pytest.fixture
def server(demo, deployment_config: Path, tmp_path: Path, jmuller) -> Iterator[int]:  # type: ignore[no-untyped-def]
    if not _ipv6_dual_stack():
        pytest.skip("no IPv6 on this machine: the [::] bind cannot be tried")
    config = tmp_path / "intranet.toml"
    config.write_text(deployment_config.read_text() + SSO)
    port = free_port("::")
    env = {
        **os.environ,
        "INTRANET_ENV": "testing",
        "INTRANET_SECRET_KEY": SECRET_KEY,
        "INTRANET_DATABASE_URL": demo.config["SQLALCHEMY_DATABASE_URI"],
        "INTRANET_CONFIG": str(config),
        "INTRANET_SECURE_COOKIES": "false",
        "INTRANET_WORKERS": "1",
        "INTRANET_LOG_LEVEL": "WARNING",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"[::]:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/health")
                conn.getresponse().read()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _get(port: int, path: str, user: bytes) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("GET", path)
    conn.putheader("X-Remote-User", user)
    conn.endheaders()
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def _logins(app) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (e.result, e.actor or "", {**(e.details or {}), "origin": e.origin})
            for e in db.session.execute(
                select(AuditEvent).where(AuditEvent.action == "auth.login").order_by(AuditEvent.id)
            ).scalars()
        ]


def test_sso_through_gunicorn_bound_to_all_ipv6_addresses(demo, server) -> None:  # type: ignore[no-untyped-def]
    # the peer is ::ffff:127.0.0.1, the configured proxy 127.0.0.1
    status, html = _get(server, "/zwolle/", b"griffier@ZWOLLE.DEMO")
    assert status == 200 and "Jan de Vries" in html
    assert _logins(demo)[-1][2]["origin"] == "::ffff:127.0.0.1"
    # a real UTF-8 name
    _get(server, "/zwolle/", "jmüller@ZWOLLE.DEMO".encode())
    assert _logins(demo)[-1][:2] == ("success", "jmüller")
    # a single byte 0xAA is not UTF-8 and names nobody
    status, _ = _get(server, "/zwolle/", b"\xaabakker")
    assert status == 403
    assert _logins(demo)[-1][0] == "failure" and _logins(demo)[-1][2]["reason"] == "not_utf8"
    # another realm, and two separators
    for value in (b"griffier@EVIL.EXAMPLE", b"griffier@ZWOLLE.DEMO@EVIL", b"x\\y\\griffier"):
        status, _ = _get(server, "/zwolle/", value)
        assert status == 403, value
    assert [r for r, _a, _d in _logins(demo)].count("success") == 2
