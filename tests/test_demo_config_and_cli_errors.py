"""The demo's configuration follows the port its slapd runs on, and a configuration error
on the command line is one clear message with a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ldap3
import pytest

from intranet import create_app
from intranet_dev.run_demo import DEMO_CONFIG_LDAP_URL, demo_environment, demo_ldap_port
from intranet_dev.slapd import DEMO_SERVICE_PASSWORD, Slapd, service_account_dn

ROOT = Path(__file__).resolve().parent.parent


def test_demo_port_defaults_to_3389_and_follows_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INTRANET_DEMO_LDAP_PORT", raising=False)
    assert demo_ldap_port() == 3389
    monkeypatch.setenv("INTRANET_DEMO_LDAP_PORT", "4389")
    assert demo_ldap_port() == 4389


@pytest.mark.ldap
def test_the_app_reads_the_directory_the_demo_started(
    slapd: Slapd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With INTRANET_DEMO_LDAP_PORT moved, the app talks to that slapd, not to 3389."""
    assert slapd.port != 3389
    monkeypatch.setenv("INTRANET_DEMO_LDAP_PORT", str(slapd.port))
    env = demo_environment(f"ldap://127.0.0.1:{demo_ldap_port()}", instance=tmp_path)
    config = Path(env["INTRANET_CONFIG"])
    assert config.parent == tmp_path
    assert DEMO_CONFIG_LDAP_URL not in config.read_text()
    for key in (
        "INTRANET_ENV",
        "INTRANET_SECRET_KEY",
        "INTRANET_CONFIG",
        "INTRANET_DATABASE_URL",
        "INTRANET_JOBS_IN_PROCESS",
    ):
        monkeypatch.setenv(key, env[key])
    monkeypatch.setenv("INTRANET_LDAP_ZWOLLE_PASSWORD", env["INTRANET_LDAP_ZWOLLE_PASSWORD"])
    monkeypatch.setenv("INTRANET_LDAP_ZAANSTAD_PASSWORD", env["INTRANET_LDAP_ZAANSTAD_PASSWORD"])

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})

    deployment = app.extensions["intranet"].deployment
    for slug in ("zwolle", "zaanstad"):
        directory = deployment.for_municipality(slug).directory
        assert directory is not None
        assert directory.url == slapd.url
        # ...and that URL is the running demo directory: the service account binds there.
        server = ldap3.Server(directory.url, connect_timeout=5)
        conn = ldap3.Connection(
            server, service_account_dn(f"dc={slug},dc=demo"), directory.bind_password
        )
        assert conn.bind(), conn.result
        conn.unbind()
    assert directory.bind_password == DEMO_SERVICE_PASSWORD


def _flask(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("INTRANET_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", [["intranet", "municipality", "list"], ["db", "current"]])
def test_weak_secret_key_in_production_is_a_message_not_a_traceback(
    command: list[str], tmp_path: Path
) -> None:
    result = _flask(
        command,
        INTRANET_ENV="production",
        INTRANET_SECRET_KEY="geheim",
        INTRANET_DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "INTRANET_SECRET_KEY" in result.stderr
    assert result.stderr.startswith("Configuratiefout: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_broken_deployment_config_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "intranet.toml"
    config.write_text("[municipalities.zwolle.directory\nurl = ")
    result = _flask(
        ["intranet", "municipality", "list"],
        INTRANET_ENV="development",
        INTRANET_CONFIG=str(config),
        INTRANET_DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "not valid TOML" in result.stderr
