"""A throw-away PKI and a slapd with StartTLS and LDAPS, for the directory TLS tests.

The certificates are made with ``cryptography``: a municipality's CA, another CA, a server
certificate for exactly the names asked for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from intranet.config import DirectorySettings
from intranet_dev.slapd import (
    Slapd,
    demo_databases,
    free_port,
    service_account_dn,
    tls_config,
)

ROOT = Path(__file__).resolve().parent.parent.parent
ZWOLLE = "dc=zwolle,dc=demo"
PASSWORD_ENV = "INTRANET_TEST_TLS_PASSWORD"


# -- a small PKI -------------------------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Intranet tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclasses.dataclass
class CertificateAuthority:
    """A throw-away CA that can issue server certificates."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    path: Path

    @classmethod
    def create(cls, directory: Path, name: str) -> CertificateAuthority:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(ca=True), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        path = directory / f"{name.lower().replace(' ', '-')}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cls(key, cert, path)

    def issue(
        self, directory: Path, stem: str, dns: tuple[str, ...] = (), ips: tuple[str, ...] = ()
    ) -> tuple[Path, Path]:
        """A server certificate for exactly these names; returns (certificate, key) files."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        names: list[x509.GeneralName] = [x509.DNSName(n) for n in dns]
        names += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name([*dns, *ips][0]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(_key_usage(ca=False), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        cert_path = directory / f"{stem}.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path = directory / f"{stem}.key"
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_path.chmod(0o600)
        return cert_path, key_path


@dataclasses.dataclass
class TlsDirectory:
    """A running slapd with StartTLS and LDAPS, its CA and a CA it does not use."""

    slapd: Slapd
    ca: CertificateAuthority
    other_ca: CertificateAuthority

    def url(self, mode: str, host: str = "localhost") -> str:
        base = self.slapd.ldaps_url if mode == "ldaps" else self.slapd.url
        assert base is not None
        return base.replace("127.0.0.1", host)


def start_tls_directory(
    workdir: Path, dns: tuple[str, ...] = ("localhost",), ips: tuple[str, ...] = ()
) -> TlsDirectory:
    """The demo directory with TLS; its certificate names exactly ``dns`` and ``ips``."""
    workdir.mkdir(parents=True, exist_ok=True)
    ca = CertificateAuthority.create(workdir, "Gemeente CA")
    other_ca = CertificateAuthority.create(workdir, "Andere CA")
    cert, key = ca.issue(workdir, "ldap-server", dns=dns, ips=ips)
    slapd = Slapd(
        demo_databases(ROOT / "deploy" / "demo"),
        workdir / "ldap",
        port=free_port(),
        ldaps_port=free_port(),
        extra_global_config=tls_config(cert, key, ca.path),
    )
    slapd.start()
    return TlsDirectory(slapd, ca, other_ca)


def zwolle_settings(url: str, **overrides: object) -> DirectorySettings:
    """Zwolle's directory settings, parsed the way the config file is."""
    data: dict[str, object] = {
        "url": url,
        "bind_dn": service_account_dn(ZWOLLE),
        "bind_password_env": PASSWORD_ENV,
        "user_base": f"ou=people,{ZWOLLE}",
        "user_filter": "(objectClass=inetOrgPerson)",
        "timeout": 3,
    }
    data.update(overrides)
    return DirectorySettings.from_mapping("zwolle", data)


def use_directory(
    monkeypatch: pytest.MonkeyPatch, app, slug: str, settings: DirectorySettings
) -> None:  # type: ignore[no-untyped-def]
    """Point municipality ``slug`` of the running app at other directory settings."""
    state = app.extensions["intranet"]
    deployment = state.deployment
    municipality = dataclasses.replace(deployment.for_municipality(slug), directory=settings)
    municipalities = {**deployment.municipalities, slug: municipality}
    monkeypatch.setattr(
        state, "deployment", dataclasses.replace(deployment, municipalities=municipalities)
    )


def log_since(slapd: Slapd, offset: int) -> str:
    return slapd.log_path.read_bytes()[offset:].decode(errors="replace")


def log_size(slapd: Slapd) -> int:
    return slapd.log_path.stat().st_size
