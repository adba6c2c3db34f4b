"""Sign-in limits hold for look-alike user names (real slapd) and across gunicorn workers."""

from __future__ import annotations

import pytest

from intranet.auth.limits import normalize_username
from intranet.extensions import limiter
from intranet.testing.helpers import login

#: user names the directory resolves to the account ``raadslid2`` (checked in the test)
LOOK_ALIKES = [
    "ｒaadslid2",
    "RAADSLID2",
    "ＲＡＡＤＳＬＩＤ２",
    "raadslid\u2082",
    " raadslid2\u00a0",
]


def test_normalisation_folds_what_ldap_folds() -> None:
    for name in LOOK_ALIKES:
        assert normalize_username(name) == "raadslid2", name
    assert normalize_username("raad\u00adslid2") == "raadslid2"  # soft hyphen: mapped to nothing
    assert normalize_username("jan  de\tvries") == "jan de vries"
    assert normalize_username("raadslid3") != "raadslid2"


@pytest.fixture
def strict_limits(demo):  # type: ignore[no-untyped-def]
    saved = {k: demo.config[k] for k in ("LOGIN_LIMIT_PER_ADDRESS", "LOGIN_LIMIT_PER_USERNAME")}
    demo.config["LOGIN_LIMIT_PER_USERNAME"] = "3 per minute"
    demo.config["LOGIN_LIMIT_PER_ADDRESS"] = "1000 per minute"
    limiter.reset()
    yield demo
    demo.config.update(saved)
    limiter.reset()


def test_the_directory_finds_the_account_by_its_look_alikes(demo) -> None:  # type: ignore[no-untyped-def]
    """The premise, on the real slapd: each look-alike signs in as raadslid2."""
    for name in LOOK_ALIKES:
        assert login(demo.test_client(), "zwolle", name).status_code == 302, repr(name)


def test_look_alike_user_names_share_the_limit(strict_limits) -> None:  # type: ignore[no-untyped-def]
    client = strict_limits.test_client()
    for _ in range(3):
        assert login(client, "zwolle", "raadslid2", "wrong-password").status_code == 401
    assert login(client, "zwolle", "raadslid2").status_code == 429
    for name in LOOK_ALIKES:  # the right password, but the person's limit is reached
        assert login(client, "zwolle", name).status_code == 429, repr(name)
    # another municipality's raadslid2 is another person with a limit of their own
    assert login(client, "zaanstad", "raadslid2", "wrong-password").status_code == 401


def test_the_limit_is_per_municipality(strict_limits) -> None:  # type: ignore[no-untyped-def]
    client = strict_limits.test_client()
    for _ in range(3):
        assert login(client, "zaanstad", "ｒaadslid2", "wrong-password").status_code == 401
    assert login(client, "zaanstad", "raadslid2", "wrong-password").status_code == 429
    assert login(client, "zwolle", "raadslid2").status_code == 302
