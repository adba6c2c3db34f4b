"""[sso] and directory settings are checked when the configuration is loaded: a bad value stops
start-up (and ``intranet ldap check``) with a message naming the municipality and the key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from intranet import create_app
from intranet.config import ConfigurationError, load_deployment_settings
from intranet.testing.helpers import SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]

DIRECTORY = """
[municipalities.zwolle.directory]
url = "ldap://ldap.zwolle.demo:389"
bind_dn = "cn=intranet-service,ou=services,dc=zwolle,dc=demo"
bind_password_env = "INTRANET_LDAP_ZWOLLE_PASSWORD"
user_base = "ou=people,dc=zwolle,dc=demo"
"""


def _config(tmp_path: Path, sso: str, directory: str = DIRECTORY) -> Path:
    path = tmp_path / "intranet.toml"
    path.write_text(directory + "\n[municipalities.zwolle.sso]\n" + sso)
    return path


GOOD = 'header = "X-Remote-User"\ntrusted_proxies = ["127.0.0.1"]\n'


@pytest.mark.parametrize(
    ("sso", "key"),
    [
        (
            'header = "X-Remote-User"\ntrusted_proxies = ["proxy.gemeente.local"]\n',
            "trusted_proxies",
        ),
        ('header = "X-Remote-User"\ntrusted_proxies = "127.0.0.1"\n', "trusted_proxies"),
        ('header = "X-Remote-User"\ntrusted_proxies = []\n', "trusted_proxies"),
        ('header = "X-Remote-User"\ntrusted_proxies = [127001]\n', "trusted_proxies"),
        ('header = "X-Remote-User"\ntrusted_proxies = ["10.0.0.0/33"]\n', "trusted_proxies"),
        ('header = "X-Remote-User"\ntrusted_proxies = ["0.0.0.0/0"]\n', "trusted_proxies"),
        ('header = "X-Remote-User"\ntrusted_proxies = ["::/0"]\n', "trusted_proxies"),
        ('header = "X_Remote_User"\ntrusted_proxies = ["127.0.0.1"]\n', "header"),
        ('header = "X-Remote User"\ntrusted_proxies = ["127.0.0.1"]\n', "header"),
        ('header = ""\ntrusted_proxies = ["127.0.0.1"]\n', "header"),
        ('header = 5\ntrusted_proxies = ["127.0.0.1"]\n', "header"),
        ('header = "Cookie"\ntrusted_proxies = ["127.0.0.1"]\n', "header"),
        (GOOD + 'realms = "ZWOLLE.DEMO"\n', "realms"),
        (GOOD + 'realms = ["EVIL@ZWOLLE.DEMO"]\n', "realms"),
        (GOOD + 'realms = ["ZWOLLE\\\\DEMO"]\n', "realms"),
        (GOOD + "realms = [5]\n", "realms"),
        (GOOD + 'strip_realm = "false"\n', "strip_realm"),
        (GOOD + 'required = "yes"\n', "required"),
        (GOOD + "colour = 'red'\n", "unknown sso setting"),
        ('trusted_proxies = ["127.0.0.1"]\n', "header"),
    ],
)
def test_bad_sso_settings_name_the_municipality_and_the_key(tmp_path, sso, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError) as caught:
        load_deployment_settings(_config(tmp_path, sso))
    message = str(caught.value)
    assert "'zwolle'" in message and key in message


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("timeout = 0", "timeout"),
        ("timeout = -3", "timeout"),
        ('timeout = "5"', "timeout"),
        ("timeout = true", "timeout"),
        ("nested_depth = 0", "nested_depth"),
        ("starttls = 'yes'", "starttls"),
        ("login_attribute = 'uid)(x'", "login_attribute"),
        ("user_filter = 'objectClass=person'", "user_filter"),
        ("group_base = 5", "group_base"),
    ],
)
def test_bad_directory_settings_name_the_municipality_and_the_key(tmp_path, setting, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError) as caught:
        load_deployment_settings(_config(tmp_path, GOOD, DIRECTORY + setting + "\n"))
    assert "'zwolle'" in str(caught.value) and key in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('url = "ldap://ldap.zwolle.demo:389"', 'url = "http://ldap.zwolle.demo"', "url"),
        ('url = "ldap://ldap.zwolle.demo:389"', "url = 389", "url"),
        (
            'bind_dn = "cn=intranet-service,ou=services,dc=zwolle,dc=demo"',
            'bind_dn = " "',
            "bind_dn",
        ),
        (
            'bind_password_env = "INTRANET_LDAP_ZWOLLE_PASSWORD"',
            'bind_password_env = "secret password"',
            "bind_password_env",
        ),
    ],
)
def test_bad_directory_values_are_refused(tmp_path, old, new, key) -> None:  # type: ignore[no-untyped-def]
    directory = DIRECTORY.replace(old, new)
    with pytest.raises(ConfigurationError) as caught:
        load_deployment_settings(_config(tmp_path, GOOD, directory))
    assert "'zwolle'" in str(caught.value) and key in str(caught.value)


def test_sso_without_a_directory_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError, match=r"zwolle.*directory"):
        load_deployment_settings(_config(tmp_path, GOOD, directory=""))


def test_good_settings_are_kept_in_canonical_form(tmp_path) -> None:  # type: ignore[no-untyped-def]
    sso = (
        'header = "X-Remote-User"\n'
        'trusted_proxies = ["::ffff:127.0.0.1", "10.1.2.3/24", "2001:DB8::1"]\n'
        'realms = ["ZWOLLE.DEMO", "zwolle"]\nrequired = true\n'
    )
    settings = load_deployment_settings(_config(tmp_path, sso)).for_municipality("zwolle").sso
    assert settings is not None
    assert settings.trusted_proxies == ("127.0.0.1/32", "10.1.2.0/24", "2001:db8::1/128")
    assert settings.realms == ("ZWOLLE.DEMO", "zwolle")
    assert settings.required and settings.strip_realm


def test_a_bad_value_stops_the_app_from_starting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _config(tmp_path, 'header = "X-Remote-User"\ntrusted_proxies = "127.0.0.1"\n')
    with pytest.raises(ConfigurationError, match=r"zwolle.*trusted_proxies"):
        create_app(
            {"ENV_NAME": "testing", "SECRET_KEY": SECRET_KEY, "DEPLOYMENT_CONFIG": str(path)}
        )


def test_a_bad_value_stops_ldap_check_with_the_key_in_the_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _config(
        tmp_path, 'header = "X-Remote-User"\ntrusted_proxies = ["proxy.gemeente.local"]\n'
    )
    env = {
        **os.environ,
        "INTRANET_CONFIG": str(path),
        "INTRANET_ENV": "development",
        "INTRANET_SECRET_KEY": SECRET_KEY,
        "INTRANET_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    result = subprocess.run(
        [*FLASK, "intranet", "ldap", "check", "--municipality", "zwolle"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "municipality 'zwolle'" in output
    assert "trusted_proxies" in output and "proxy.gemeente.local" in output


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (
            '[municipalities.zwolle.group_roles]\n"cn=griffie,dc=zwolle" = 5\n',
            ("zwolle", "group_roles"),
        ),
        ('[platform]\noperator_groups = "cn=beheer,dc=x"\n', ("operator_groups",)),
        ("[municipalities]\nzwolle = 5\n", ("zwolle",)),
    ],
)
def test_other_malformed_sections_are_refused_at_load(tmp_path, extra, words) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "intranet.toml"
    path.write_text(extra if extra.startswith("[municipalities]") else DIRECTORY + extra)
    with pytest.raises(ConfigurationError) as caught:
        load_deployment_settings(path)
    assert all(word in str(caught.value) for word in words)
