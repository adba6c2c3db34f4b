"""Settings from ``INTRANET_*`` variables, read with Flask's ``from_prefixed_env``: every
documented variable, typed like its default (whole numbers, true/false, lists), clear errors
for values that do not fit, and the production checks intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from intranet import create_app
from intranet.config import (
    ENV_ALIASES,
    ConfigurationError,
    default_settings,
    prefixed_environment,
    settings_from_environment,
)

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 48


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The process environment without the suite's own INTRANET_* variables."""
    for name in list(prefixed_environment()):
        monkeypatch.delenv(f"INTRANET_{name}", raising=False)
    return monkeypatch


def test_from_the_process_environment_through_from_prefixed_env(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    clean_environment.setenv("INTRANET_SMTP_PORT", "2525")
    clean_environment.setenv("INTRANET_SMTP_STARTTLS", "ja")
    clean_environment.setenv("INTRANET_LANGUAGES", "nl, en")
    clean_environment.setenv("INTRANET_DATABASE_URL", "postgresql+psycopg://db/intranet")
    clean_environment.setenv("INTRANET_LDAP_ZWOLLE_PASSWORD", "not-a-setting")
    out = settings_from_environment()
    assert out["SMTP_PORT"] == 2525
    assert out["SMTP_STARTTLS"] is True
    assert out["LANGUAGES"] == ("nl", "en")
    assert out["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/intranet"
    assert "LDAP_ZWOLLE_PASSWORD" not in out


@pytest.mark.parametrize(
    ("variable", "key", "value"),
    [
        ("INTRANET_SMTP_PORT", "SMTP_PORT", 587),
        ("INTRANET_PROXY_COUNT", "PROXY_COUNT", 1),
        ("INTRANET_SESSION_IDLE_MINUTES", "SESSION_IDLE_MINUTES", 45),
        ("INTRANET_SESSION_ABSOLUTE_HOURS", "SESSION_ABSOLUTE_HOURS", 8),
        ("INTRANET_DIRECTORY_RECHECK_MINUTES", "DIRECTORY_RECHECK_MINUTES", 5),
    ],
)
def test_whole_numbers(variable: str, key: str, value: int) -> None:
    out = settings_from_environment({variable: f" {value} "})
    assert out[key] == value and type(out[key]) is int


@pytest.mark.parametrize("text", ["abc", "-1", "2.5", "1e3"])
def test_a_number_that_is_not_one_is_refused_by_name(text: str) -> None:
    with pytest.raises(ConfigurationError, match="INTRANET_SMTP_PORT must be a whole number"):
        settings_from_environment({"INTRANET_SMTP_PORT": text})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("ja", True),
        ("TRUE", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("off", False),
        ("nee", False),
    ],
)
def test_true_or_false(text: str, expected: bool) -> None:
    out = settings_from_environment({"INTRANET_SECURE_COOKIES": text})
    assert out["SESSION_COOKIE_SECURE"] is expected
    assert settings_from_environment({"INTRANET_SMTP_STARTTLS": text})["SMTP_STARTTLS"] is expected


def test_a_boolean_that_is_not_one_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="INTRANET_SECURE_COOKIES must be true or false"):
        settings_from_environment({"INTRANET_SECURE_COOKIES": "misschien"})


def test_lists_are_comma_separated() -> None:
    assert settings_from_environment({"INTRANET_LANGUAGES": "nl,en"})["LANGUAGES"] == ("nl", "en")
    with pytest.raises(ConfigurationError, match="INTRANET_LANGUAGES must list"):
        settings_from_environment({"INTRANET_LANGUAGES": " , "})


def test_text_stays_text_whatever_it_looks_like() -> None:
    """JSON would turn these into a number, null or true; a secret must stay what was typed."""
    out = settings_from_environment(
        {
            "INTRANET_SECRET_KEY": "12345678901234567890123456789012345",
            "INTRANET_SMTP_PASSWORD": "null",
            "INTRANET_SMTP_USER": "true",
            "INTRANET_LOGIN_LIMIT_PER_USERNAME": "5 per minute;30 per hour",
        }
    )
    assert out["SECRET_KEY"] == "12345678901234567890123456789012345"
    assert out["SMTP_PASSWORD"] == "null" and out["SMTP_USER"] == "true"
    assert out["LOGIN_LIMIT_PER_USERNAME"] == "5 per minute;30 per hour"


def test_empty_counts_as_unset_and_public_url_loses_its_slash() -> None:
    out = settings_from_environment(
        {
            "INTRANET_ENV": "",
            "INTRANET_REDIS_URL": "",
            "INTRANET_PUBLIC_URL": "https://participatie.zwolle.nl/",
        }
    )
    assert "ENV_NAME" not in out and "REDIS_URL" not in out
    assert out["PUBLIC_URL"] == "https://participatie.zwolle.nl"


def test_an_unknown_environment_name_is_refused() -> None:
    """'prod' would otherwise skip every production check."""
    with pytest.raises(ConfigurationError, match="INTRANET_ENV must be one of"):
        settings_from_environment({"INTRANET_ENV": "prod"})


def test_every_documented_variable_is_read() -> None:
    """Each ``INTRANET_*`` variable in the README's configuration table sets a setting."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `INTRANET_")]
    # INTRANET_<PLUGIN>_<KEY> does not match: the plugin settings test below covers it
    documented = set(re.findall(r"`INTRANET_([A-Z_]+)`", "\n".join(rows)))
    assert {"ENV", "SECRET_KEY", "DATABASE_URL", "SMTP_PORT", "LOG_LEVEL"} <= documented
    defaults = default_settings(".")
    gunicorn = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    for name in documented:
        if f'"INTRANET_{name}"' in gunicorn:
            continue  # read by gunicorn's configuration (workers, threads), not by the app
        key = ENV_ALIASES.get(name, name)
        assert key in defaults, f"INTRANET_{name} is documented but is no setting"
        sample = {bool: "true", int: "3", tuple: "nl,en"}.get(type(defaults[key]), "x" * 40)
        sample = "development" if key == "ENV_NAME" else sample
        assert key in settings_from_environment({f"INTRANET_{name}": sample}), name


def test_create_app_reads_settings_and_plugin_settings(
    clean_environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_environment.setenv("INTRANET_ENV", "production")
    clean_environment.setenv("INTRANET_SECRET_KEY", STRONG_KEY)
    clean_environment.setenv("INTRANET_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    clean_environment.setenv("INTRANET_SESSION_IDLE_MINUTES", "45")
    clean_environment.setenv("INTRANET_SECURE_COOKIES", "false")
    clean_environment.setenv("INTRANET_JOBS_IN_PROCESS", "true")  # production needs a queue else
    clean_environment.setenv("INTRANET_MEEDENKGROEPEN_YEARLY_LIMIT", "7")
    clean_environment.setenv("INTRANET_ADVIESCOMMISSIE_SOMETHING", "text")
    clean_environment.setenv("INTRANET_LDAP_ZWOLLE_PASSWORD", "geheim")
    app = create_app()
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SECRET_KEY"] == STRONG_KEY
    assert app.config["SESSION_IDLE_MINUTES"] == 45
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["MEEDENKGROEPEN_YEARLY_LIMIT"] == 7
    assert app.config["ADVIESCOMMISSIE_SOMETHING"] == "text"
    assert "LDAP_ZWOLLE_PASSWORD" not in app.config  # a secret the TOML names, not a setting
    # code (the tests) still wins over the environment
    assert create_app({"SESSION_IDLE_MINUTES": 5}).config["SESSION_IDLE_MINUTES"] == 5


def test_production_still_refuses_a_weak_key(clean_environment: pytest.MonkeyPatch) -> None:
    clean_environment.setenv("INTRANET_ENV", "production")
    clean_environment.setenv("INTRANET_SECRET_KEY", "changeme")
    with pytest.raises(ConfigurationError, match="INTRANET_SECRET_KEY"):
        create_app()
    clean_environment.setenv("INTRANET_SECRET_KEY", "")
    with pytest.raises(ConfigurationError, match="INTRANET_SECRET_KEY"):
        create_app()


def test_a_bad_number_on_the_command_line_is_one_message(tmp_path: Path) -> None:
    environ = {"PATH": "/usr/bin:/bin", "INTRANET_ENV": "development"}
    environ["INTRANET_DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    environ["INTRANET_SMTP_PORT"] = "vijfentwintig"
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "intranet", "municipality", "list"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "INTRANET_SMTP_PORT must be a whole number" in result.stderr
