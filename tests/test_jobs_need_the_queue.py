"""In production, jobs run on the Redis queue: without it the app refuses to start."""

from __future__ import annotations

import pytest

from intranet import create_app
from intranet.config import ConfigurationError


def test_production_without_redis_is_a_start_up_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INTRANET_ENV", "production")
    monkeypatch.setenv("INTRANET_SECRET_KEY", "z" * 48)
    monkeypatch.delenv("INTRANET_REDIS_URL", raising=False)
    monkeypatch.delenv("INTRANET_JOBS_IN_PROCESS", raising=False)
    with pytest.raises(ConfigurationError, match="INTRANET_REDIS_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("INTRANET_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["REDIS_URL"]


def test_the_demo_may_run_jobs_in_process(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from intranet_dev.run_demo import demo_environment

    monkeypatch.setenv("INTRANET_ENV", "production")
    monkeypatch.setenv("INTRANET_SECRET_KEY", "z" * 48)
    monkeypatch.delenv("INTRANET_REDIS_URL", raising=False)
    monkeypatch.setenv(
        "INTRANET_JOBS_IN_PROCESS",
        demo_environment("ldap://127.0.0.1:3389", instance=tmp_path)["INTRANET_JOBS_IN_PROCESS"],
    )
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["JOBS_IN_PROCESS"]
