"""TLS to the directory against a real slapd: StartTLS and LDAPS, trusted, untrusted, wrong host.

The certificates are made here with ``cryptography``: a municipality's CA, another CA, a
server certificate for the name ``localhost`` only. Connecting to ``localhost`` then works,
connecting to ``127.0.0.1`` (same server, same certificate) is a host name mismatch, and
trusting the other CA is an untrusted certificate. Also here: no setting can switch the
checks off, and a directory that lets a DN with an empty password bind anonymously still
never signs anyone in with an empty password.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import ssl
from collections.abc import Iterator
from pathlib import Path

import ldap3
import pytest
from ldap3.core.exceptions import LDAPCertificateError, LDAPException, LDAPStartTLSError
from ldap3.operation.bind import bind_operation

from intranet.auth.directory import (
    CertificateNotTrusted,
    Directory,
    DirectoryTLSError,
    HostnameMismatch,
    InvalidCredentials,
    VerifyingTls,
    reset_directories,
)
from intranet.config import ConfigurationError, DirectorySettings
from intranet.testing.helpers import PASSWORD, login
from intranet.testing.tls_pki import (
    PASSWORD_ENV,
    ROOT,
    ZWOLLE,
    TlsDirectory,
    log_since,
    log_size,
    start_tls_directory,
    use_directory,
    zwolle_settings,
)
from intranet_dev.slapd import (
    DEMO_SERVICE_PASSWORD,
    Slapd,
    demo_databases,
    free_port,
    service_account_dn,
)

pytestmark = pytest.mark.ldap


@pytest.fixture(scope="module")
def tls_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsDirectory]:
    directory = start_tls_directory(tmp_path_factory.mktemp("tls"))
    yield directory
    directory.slapd.stop()


@pytest.fixture(autouse=True)
def _service_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, DEMO_SERVICE_PASSWORD)


# -- trusted, untrusted, wrong host: for StartTLS and for LDAPS -------------------------

MODES = ["starttls", "ldaps"]


def _settings(tls: TlsDirectory, mode: str, host: str = "localhost", ca=None) -> DirectorySettings:  # type: ignore[no-untyped-def]
    extra = {"starttls": True} if mode == "starttls" else {}
    return zwolle_settings(tls.url(mode, host), ca_file=str(ca or tls.ca.path), **extra)


@pytest.mark.parametrize("mode", MODES)
def test_trusted_certificate_signs_in_and_the_password_travels_encrypted(
    tls_directory: TlsDirectory, mode: str
) -> None:
    offset = log_size(tls_directory.slapd)
    user = Directory(_settings(tls_directory, mode)).authenticate("griffier", PASSWORD)
    assert user.dn == f"uid=griffier,ou=people,{ZWOLLE}"
    assert "cn=griffie,ou=groups,dc=zwolle,dc=demo" in user.groups
    # slapd logs each bind with the connection's security strength factor: > 0 is encrypted.
    log = log_since(tls_directory.slapd, offset)
    binds = re.findall(r'BIND dn="([^"]+)" mech=SIMPLE bind_ssf=\d+ ssf=(\d+)', log)
    assert {dn for dn, _ssf in binds} == {service_account_dn(ZWOLLE), user.dn}
    assert all(int(ssf) >= 128 for _dn, ssf in binds), binds


@pytest.mark.parametrize("mode", MODES)
def test_untrusted_certificate_is_refused_before_any_password_is_sent(
    tls_directory: TlsDirectory, mode: str
) -> None:
    offset = log_size(tls_directory.slapd)
    settings = _settings(tls_directory, mode, ca=tls_directory.other_ca.path)
    with pytest.raises(CertificateNotTrusted) as refused:
        Directory(settings).authenticate("griffier", PASSWORD)
    assert "certificate not trusted" in str(refused.value)
    assert refused.value.step == "tls"
    assert "does not contain the issuer" in refused.value.advice
    assert " BIND " not in log_since(tls_directory.slapd, offset)


@pytest.mark.parametrize("mode", MODES)
def test_certificate_for_another_host_name_is_refused(
    tls_directory: TlsDirectory, mode: str
) -> None:
    offset = log_size(tls_directory.slapd)
    settings = _settings(tls_directory, mode, host="127.0.0.1")  # the certificate says localhost
    with pytest.raises(HostnameMismatch) as refused:
        Directory(settings).authenticate("griffier", PASSWORD)
    assert "host name does not match" in str(refused.value)
    assert "certificate not trusted" not in str(refused.value)
    assert " BIND " not in log_since(tls_directory.slapd, offset)


@pytest.mark.parametrize("mode", MODES)
def test_system_store_does_not_trust_a_private_ca(tls_directory: TlsDirectory, mode: str) -> None:
    settings = dataclasses.replace(_settings(tls_directory, mode), ca_file=None)
    with pytest.raises(CertificateNotTrusted, match="certificate not trusted") as refused:
        Directory(settings).authenticate("griffier", PASSWORD)
    assert "system's CA store" in refused.value.advice


def test_ldaps_url_on_a_plain_ldap_port_fails_clearly(tls_directory: TlsDirectory) -> None:
    settings = zwolle_settings(
        tls_directory.slapd.url.replace("ldap://", "ldaps://"), ca_file=str(tls_directory.ca.path)
    )
    with pytest.raises(DirectoryTLSError, match="TLS handshake failed"):
        Directory(settings).authenticate("griffier", PASSWORD)


def test_certificate_with_the_ip_address_works_for_that_address(
    tmp_path: Path,
) -> None:
    tls = start_tls_directory(tmp_path, dns=(), ips=("127.0.0.1",))
    try:
        for mode in MODES:
            user = Directory(_settings(tls, mode, host="127.0.0.1")).authenticate(
                "griffier", PASSWORD
            )
            assert user.username == "griffier"
            with pytest.raises(HostnameMismatch):
                Directory(_settings(tls, mode, host="localhost")).authenticate("griffier", PASSWORD)
    finally:
        tls.slapd.stop()


@pytest.mark.parametrize("mode", MODES)
def test_sign_in_page_over_tls(demo, tls_directory: TlsDirectory, mode: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import intranet.auth.directory as directory_module
    import intranet.auth.views as views

    monkeypatch.setattr(views, "directory_for", directory_module.directory_for)
    reset_directories()
    use_directory(monkeypatch, demo, "zwolle", _settings(tls_directory, mode))
    assert login(demo.test_client(), "zwolle", "griffier").status_code == 302
    use_directory(
        monkeypatch, demo, "zwolle", _settings(tls_directory, mode, ca=tls_directory.other_ca.path)
    )
    refused = login(demo.test_client(), "zwolle", "griffier")
    assert refused.status_code == 503
    assert "niet bereikbaar" in refused.get_data(as_text=True)
    reset_directories()


# -- ldap3 itself, and no way to switch the checks off ----------------------------------


def test_plain_ldap3_tls_checks_the_host_name_too(tls_directory: TlsDirectory) -> None:
    """What the brief asked to verify: ldap3's own Tls(validate=CERT_REQUIRED) compares the
    host name after the handshake (ldap3.core.tls.check_hostname). VerifyingTls lets OpenSSL
    do it in the handshake instead, which does not depend on ssl.match_hostname (gone in
    Python 3.12)."""
    ca = str(tls_directory.ca.path)
    for host, ok in (("localhost", True), ("127.0.0.1", False)):
        tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED, ca_certs_file=ca, version=ssl.PROTOCOL_TLS_CLIENT
        )
        server = ldap3.Server(tls_directory.url("starttls", host), tls=tls, get_info=ldap3.NONE)
        conn = ldap3.Connection(server)
        try:
            conn.open()
            if ok:
                assert conn.start_tls()
            else:
                with pytest.raises(LDAPStartTLSError) as refused:
                    conn.start_tls()
                assert isinstance(refused.value, LDAPCertificateError)
        finally:
            with contextlib.suppress(LDAPException):
                conn.unbind()


def test_the_tls_context_always_verifies(tls_directory: TlsDirectory) -> None:
    tls = VerifyingTls(str(tls_directory.ca.path))
    assert tls.validate == ssl.CERT_REQUIRED
    assert tls.context.verify_mode == ssl.CERT_REQUIRED
    assert tls.context.check_hostname is True
    assert tls.context.minimum_version >= ssl.TLSVersion.TLSv1_2


@pytest.mark.parametrize(
    "key", ["validate", "verify", "tls_verify", "tls_validate", "insecure", "check_hostname"]
)
def test_no_setting_skips_certificate_validation(key: str) -> None:
    with pytest.raises(ConfigurationError, match="unknown directory setting"):
        zwolle_settings("ldaps://localhost:636", **{key: False})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"url": "ldaps://h:636", "starttls": True}, "starttls is for ldap://"),
        ({"url": "ldap://h:389", "ca_file": __file__}, "not encrypted"),
        ({"url": "ldaps://h:636", "ca_file": "/nonexistent/ca.pem"}, "is not a file"),
        ({"url": "https://h"}, "url must look like"),
        ({"url": "ldap://h", "starttls": "yes"}, "starttls must be true or false"),
        ({"login_attribute": "uid)(uid=*"}, "login_attribute must be an attribute name"),
        ({"user_base": []}, "user_base must be"),
        ({"timeout": 0}, "timeout"),
        ({"nested_depth": 0}, "nested_depth"),
        ({"group_membership": "ad_in_chain"}, "group_base is needed"),
        ({"nested_groups": True}, "group_base is needed"),
    ],
)
def test_directory_settings_are_checked(overrides: dict, message: str) -> None:
    data = {"url": "ldap://h"} | overrides
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        zwolle_settings(**data)  # type: ignore[arg-type]


def test_common_login_attributes_are_accepted() -> None:
    for attribute in ("uid", "sAMAccountName", "mail", "userPrincipalName", "employeeNumber"):
        assert zwolle_settings("ldap://h", login_attribute=attribute).login_attribute == attribute


# -- a directory that allows unauthenticated binds --------------------------------------


@pytest.fixture(scope="module")
def anonymous_dn_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    """slapd with ``allow bind_anon_dn``: a DN with an empty password binds anonymously."""
    slapd = Slapd(
        demo_databases(ROOT / "deploy" / "demo")[:1],
        tmp_path_factory.mktemp("anon-dn"),
        port=free_port(),
        extra_global_config="allow bind_anon_dn",
    )
    slapd.start()
    yield slapd
    slapd.stop()


def _raw_bind(url: str, dn: str, password: str) -> tuple[int, str]:
    """A simple bind sent as is: ldap3's Connection.bind refuses an empty password itself."""
    conn = ldap3.Connection(ldap3.Server(url, get_info=ldap3.NONE))
    conn.open()
    try:
        request = bind_operation(3, ldap3.ANONYMOUS, "", "")
        request["name"] = dn
        request["authentication"]["simple"] = password
        conn.post_send_single_response(conn.send("bindRequest", request, None))
        code = conn.result["result"]
        who = conn.extend.standard.who_am_i() if code == 0 else None
        return code, who or ""
    finally:
        conn.unbind()


def test_empty_password_binds_anonymously_there_but_never_signs_in(
    anonymous_dn_directory: Slapd,
) -> None:
    dn = f"uid=griffier,ou=people,{ZWOLLE}"
    # The trap: the directory says "success" to the DN with an empty password...
    code, who = _raw_bind(anonymous_dn_directory.url, dn, "")
    assert code == 0
    assert who in ("", "anonymous", None)  # ...but the connection is anonymous, not griffier
    # ...and it still refuses a wrong password, so only the empty one is the hole.
    assert _raw_bind(anonymous_dn_directory.url, dn, "wrong")[0] == 49

    directory = Directory(zwolle_settings(anonymous_dn_directory.url))
    offset = log_size(anonymous_dn_directory)
    for blank in ("", " ", "   ", "\t", "\n"):
        with pytest.raises(InvalidCredentials) as refused:
            directory.authenticate("griffier", blank)
        assert refused.value.reason == "blank_password"
    assert f'BIND dn="{dn}"' not in log_since(anonymous_dn_directory, offset)
    assert directory.authenticate("griffier", PASSWORD).dn == dn


def test_sign_in_page_refuses_blank_password_on_such_a_directory(  # type: ignore[no-untyped-def]
    demo, anonymous_dn_directory: Slapd, monkeypatch
) -> None:
    use_directory(monkeypatch, demo, "zwolle", zwolle_settings(anonymous_dn_directory.url))
    for blank in ("", "   "):
        client = demo.test_client()
        response = login(client, "zwolle", "griffier", blank)
        assert response.status_code in (400, 401)
        assert client.get("/zwolle/").status_code == 302  # not signed in
    assert login(demo.test_client(), "zwolle", "griffier").status_code == 302
