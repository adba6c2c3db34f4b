"""Settings from the environment and the deployment TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from intranet.config import ConfigurationError, load_deployment_settings, settings_from_environment

ROOT = Path(__file__).resolve().parent.parent


def test_environment_variables_map_to_settings() -> None:
    out = settings_from_environment(
        {
            "INTRANET_DATABASE_URL": "postgresql+psycopg://db/intranet",
            "INTRANET_SECRET_KEY": "k",
            "INTRANET_CONFIG": "/etc/intranet.toml",
            "INTRANET_REDIS_URL": "redis://127.0.0.1:6379/0",
            "INTRANET_SECURE_COOKIES": "false",
            "INTRANET_SMTP_PORT": "2525",
        }
    )
    assert out["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/intranet"
    assert out["DEPLOYMENT_CONFIG"] == "/etc/intranet.toml"
    assert out["REDIS_URL"] == "redis://127.0.0.1:6379/0"
    assert out["SESSION_COOKIE_SECURE"] is False and out["SMTP_PORT"] == 2525


@pytest.mark.parametrize("path", ["deploy/demo/intranet.toml", "deploy/intranet.example.toml"])
def test_shipped_configs_parse(path: str) -> None:
    settings = load_deployment_settings(ROOT / path)
    assert settings.municipalities
    assert all(m.directory is not None for m in settings.municipalities.values())
    assert all(g == g.lower() for g in settings.operator_groups)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[municipalities.x.directory]\nurl = 'ldap://h'\n", "missing"),
        (
            "[municipalities.x.directory]\nurl='ldap://h'\nbind_dn='a'\nbind_password_env='B'\nuser_base='c'\ncolour='red'\n",
            "unknown",
        ),
        (
            "[municipalities.x.directory]\nurl='ldap://h'\nbind_dn='a'\nbind_password_env='B'\nuser_base='c'\ngroup_membership='magic'\n",
            "group_membership",
        ),
        ("this is = = not toml", "not valid TOML"),
    ],
)
def test_bad_config_files_explain_themselves(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(ConfigurationError, match=message):
        load_deployment_settings(path)


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not a file"):
        load_deployment_settings(tmp_path / "nope.toml")


def test_plugin_settings_come_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from intranet import create_app

    monkeypatch.setenv("INTRANET_MEEDENKGROEPEN_YEARLY_LIMIT", "3")
    monkeypatch.setenv("INTRANET_MEEDENKGROEPEN_PUBLIC_URL", "https://meedenken.example.nl")
    app = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["MEEDENKGROEPEN_YEARLY_LIMIT"] == 3
    assert app.config["MEEDENKGROEPEN_PUBLIC_URL"] == "https://meedenken.example.nl"


@pytest.mark.parametrize(
    ("heartbeat", "stalled"), [("100", "180"), ("0", "180"), ("30", "59")], ids=str
)
def test_a_stall_time_that_would_interrupt_live_jobs_is_refused(heartbeat, stalled) -> None:  # type: ignore[no-untyped-def]
    from intranet.config import check_job_timing

    config = settings_from_environment(
        {
            "INTRANET_JOBS_HEARTBEAT_SECONDS": heartbeat,
            "INTRANET_JOBS_STALLED_AFTER_SECONDS": stalled,
        }
    )
    with pytest.raises(ConfigurationError, match="at least twice"):
        check_job_timing(config)
    check_job_timing({"JOBS_HEARTBEAT_SECONDS": 30, "JOBS_STALLED_AFTER_SECONDS": 60})
