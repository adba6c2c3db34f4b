"""The documented sign-in limits hold in every supported server configuration.

gunicorn runs for real here, on a free port, against the test database and directory:
with the demo's settings (one worker, threads, no Redis), with several workers sharing Redis,
and several workers without shared storage must refuse to start.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from intranet import create_app
from intranet.config import ConfigurationError, check_rate_limit_storage
from intranet.testing.helpers import SECRET_KEY, redis_up, redis_url
from intranet_dev.run_demo import DEMO_SERVER, ROOT, gunicorn_command
from intranet_dev.slapd import free_port

REDIS_URL = redis_url(12)


def _environment(demo, deployment_config: Path, **extra: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTRANET_")}
    env.update(
        {
            "INTRANET_ENV": "production",
            "INTRANET_SECRET_KEY": SECRET_KEY,
            "INTRANET_DATABASE_URL": demo.config["SQLALCHEMY_DATABASE_URI"],
            "INTRANET_CONFIG": str(deployment_config),
            "INTRANET_SECURE_COOKIES": "false",  # plain http on 127.0.0.1
            "INTRANET_LDAP_ZWOLLE_PASSWORD": "service-demo",
            "INTRANET_LDAP_ZAANSTAD_PASSWORD": "service-demo",
            "INTRANET_JOBS_IN_PROCESS": "true",  # as make demo runs it: no Redis for jobs
            **extra,
        }
    )
    return env


@contextmanager
def _gunicorn(env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(
        gunicorn_command(f"127.0.0.1:{port}"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90  # a busy machine; not a timing assertion
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)


def _attempt(port: int, username: str, password: str) -> int:
    """One sign-in on a fresh connection (gunicorn hands each to any worker)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/zwolle/inloggen")
    page = conn.getresponse()
    html = page.read().decode()
    cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert token, html[:500]
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urlencode(
        {"username": username, "password": password, "next": "", "csrf_token": token.group(1)}
    )
    conn.request(
        "POST",
        "/zwolle/inloggen",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    status = conn.getresponse().status
    conn.close()
    return status


def _six_wrong_passwords(port: int) -> list[int]:
    # a user name of its own per run: the directory answers "unknown", the limit still counts
    username = f"pipeline-{secrets.token_hex(4)}"
    return [_attempt(port, username, "wrong-password") for _ in range(6)]


def test_demo_server_settings_hold_the_documented_limit(demo, deployment_config) -> None:  # type: ignore[no-untyped-def]
    env = _environment(demo, deployment_config, **DEMO_SERVER)
    with _gunicorn(env) as port:
        assert _six_wrong_passwords(port) == [401] * 5 + [429]  # "5 per minute"


@pytest.mark.skipif(not redis_up(REDIS_URL), reason="needs Redis (TEST_REDIS_URL)")
def test_several_workers_share_the_limit_through_redis(demo, deployment_config) -> None:  # type: ignore[no-untyped-def]
    env = _environment(
        demo,
        deployment_config,
        INTRANET_WORKERS="3",
        INTRANET_THREADS="2",
        INTRANET_REDIS_URL=REDIS_URL,
    )
    with _gunicorn(env) as port:
        assert _six_wrong_passwords(port) == [401] * 5 + [429]


def test_several_workers_without_shared_storage_refuse_to_start(demo, deployment_config) -> None:  # type: ignore[no-untyped-def]
    env = _environment(demo, deployment_config, INTRANET_WORKERS="3")
    result = subprocess.run(
        [*gunicorn_command(f"127.0.0.1:{free_port()}")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "3 gunicorn workers without INTRANET_REDIS_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_app_refuses_several_processes_with_memory_limits(deployment_config) -> None:  # type: ignore[no-untyped-def]
    settings = {
        "ENV_NAME": "production",
        "SECRET_KEY": SECRET_KEY,
        "DEPLOYMENT_CONFIG": str(deployment_config),
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "WORKER_PROCESSES": 4,
        "JOBS_IN_PROCESS": True,  # the jobs' own Redis check is another test's
    }
    with pytest.raises(ConfigurationError, match="4 worker processes without INTRANET_REDIS_URL"):
        create_app(settings)
    create_app({**settings, "WORKER_PROCESSES": 1})  # one process: memory is exact
    # shared storage (checked without create_app: that would move the suite's limiter to Redis)
    check_rate_limit_storage({**settings, "RATELIMIT_STORAGE_URI": REDIS_URL})


def test_a_redis_that_is_down_falls_back_to_memory_not_to_errors(demo, deployment_config) -> None:  # type: ignore[no-untyped-def]
    """Sign-in keeps working, limits included, while the shared storage is unreachable."""
    env = _environment(
        demo,
        deployment_config,
        **DEMO_SERVER,
        INTRANET_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
    )
    with _gunicorn(env) as port:
        assert _six_wrong_passwords(port) == [401] * 5 + [429]
