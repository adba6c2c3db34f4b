"""Settings: environment variables with the prefix ``INTRANET_`` and a TOML file per deployment.

Secrets never live in the database or the repository: the TOML file names the environment
variable that holds each directory password.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Config

#: Keys that must never be used as a secret key in production.
_DEV_SECRET_KEYS = {"", "dev", "development", "changeme", "secret", "test"}
_MIN_SECRET_KEY_LENGTH = 32


class ConfigurationError(RuntimeError):
    """The deployment is misconfigured; the message says how to fix it."""


#: How a user's groups are found: the ``memberOf`` attribute of the user, a search for groups
#: whose ``member`` is the user, or Active Directory's in-chain matching rule (nested by nature).
GROUP_MEMBERSHIP_MODES = ("memberOf", "search", "ad_in_chain")
#: The usual login attributes. Others are accepted too, as long as they are attribute names.
COMMON_LOGIN_ATTRIBUTES = ("uid", "sAMAccountName", "mail", "userPrincipalName")
_ATTRIBUTE_NAME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)\Z")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
_MAX_NESTED_DEPTH = 20
_MAX_TIMEOUT = 120


@dataclass(frozen=True)
class DirectorySettings:
    """How to reach and read one municipality's LDAP / Active Directory.

    TLS: an ``ldaps://`` URL, or ``starttls = true`` on an ``ldap://`` URL. The server's
    certificate is always checked against ``ca_file`` (or the system's CA store) and the
    host name in the URL; there is deliberately no setting to skip that.
    """

    url: str
    bind_dn: str
    bind_password_env: str
    #: one search base, or several (a list in TOML) searched in order
    user_base: str | tuple[str, ...]
    login_attribute: str = "uid"
    user_filter: str = "(objectClass=person)"
    name_attribute: str = "cn"
    mail_attribute: str = "mail"
    group_membership: str = "memberOf"  # or "search" or "ad_in_chain"
    group_base: str = ""
    group_filter: str = "(objectClass=groupOfNames)"
    group_member_attribute: str = "member"
    #: follow groups that are members of groups (not needed with ad_in_chain)
    nested_groups: bool = False
    #: how many levels of groups count, the user's own groups being level 1
    nested_depth: int = 5
    starttls: bool = False
    #: PEM file with the CA certificate(s) that issued the server's certificate
    ca_file: str | None = None
    #: seconds, for connecting and for each answer
    timeout: float = 5.0

    def __post_init__(self) -> None:
        if isinstance(self.user_base, list):  # hashable, so settings can key a connection pool
            object.__setattr__(self, "user_base", tuple(self.user_base))

    @property
    def bind_password(self) -> str | None:
        """The service password, read from the environment at the moment it is needed."""
        return os.environ.get(self.bind_password_env)

    @property
    def user_bases(self) -> tuple[str, ...]:
        """The user search bases, in the order they are searched."""
        return (self.user_base,) if isinstance(self.user_base, str) else tuple(self.user_base)

    @property
    def group_bases(self) -> tuple[str, ...]:
        """Where group searches look: ``group_base``, else the user base(s)."""
        return (self.group_base,) if self.group_base else self.user_bases

    @property
    def uses_ldaps(self) -> bool:
        return self.url.lower().startswith("ldaps://")

    @property
    def tls_mode(self) -> str | None:
        """``"ldaps"``, ``"starttls"`` or None (plain LDAP: passwords travel unencrypted)."""
        if self.uses_ldaps:
            return "ldaps"
        return "starttls" if self.starttls else None

    @classmethod
    def from_mapping(cls, slug: str, data: dict[str, Any]) -> DirectorySettings:
        def fail(message: str) -> ConfigurationError:
            return ConfigurationError(f"municipality '{slug}': {message}")

        if not isinstance(data, dict):
            raise fail("[directory] must be a table")
        missing = [k for k in ("url", "bind_dn", "bind_password_env", "user_base") if k not in data]
        if missing:
            raise fail(f"directory setting(s) missing: {', '.join(missing)}")
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise fail(f"unknown directory setting(s): {', '.join(unknown)}")
        data = dict(data)
        mode = data.get("group_membership", "memberOf")
        if mode not in GROUP_MEMBERSHIP_MODES:
            raise fail("group_membership must be 'memberOf', 'search' or 'ad_in_chain'")

        url = data["url"]
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme.lower() not in ("ldap", "ldaps") or not parts.hostname:
            raise fail(f"url must look like ldaps://host:636 or ldap://host:389, not {url!r}")
        for key in ("starttls", "nested_groups"):
            if not isinstance(data.get(key, False), bool):
                raise fail(f"{key} must be true or false")
        if data.get("starttls") and parts.scheme.lower() == "ldaps":
            raise fail("starttls is for ldap:// URLs; an ldaps:// URL is encrypted already")
        ca_file = data.get("ca_file")
        if ca_file is not None:
            if not isinstance(ca_file, str) or not ca_file:
                raise fail("ca_file must be the path of a PEM file")
            if parts.scheme.lower() != "ldaps" and not data.get("starttls"):
                raise fail(
                    "ca_file is set but the connection is not encrypted: "
                    "use an ldaps:// URL or starttls = true"
                )
            if not Path(ca_file).is_file():
                raise fail(f"ca_file '{ca_file}' is not a file")

        if not isinstance(data["bind_dn"], str) or not data["bind_dn"].strip():
            raise fail(f"bind_dn must be the DN of the service account, not {data['bind_dn']!r}")
        env = data["bind_password_env"]
        if not isinstance(env, str) or not _ENV_NAME.match(env):
            raise fail(
                "bind_password_env must name an environment variable "
                f"(e.g. INTRANET_LDAP_{slug.upper().replace('-', '_')}_PASSWORD), not {env!r}"
            )
        for key in ("group_base",):
            if key in data and not isinstance(data[key], str):
                raise fail(f"{key} must be a DN, not {data[key]!r}")
        bases = data["user_base"]
        if isinstance(bases, str):
            bases = [bases]
        if (
            not isinstance(bases, list)
            or not bases
            or not all(isinstance(b, str) and b.strip() for b in bases)
        ):
            raise fail("user_base must be a DN or a list of DNs")
        for key in (
            "login_attribute",
            "name_attribute",
            "mail_attribute",
            "group_member_attribute",
        ):
            value = data.get(key)
            if value is not None and not (isinstance(value, str) and _ATTRIBUTE_NAME.match(value)):
                raise fail(
                    f"{key} must be an attribute name "
                    f"(for example {', '.join(COMMON_LOGIN_ATTRIBUTES)}), not {value!r}"
                )
        for key in ("user_filter", "group_filter"):
            value = data.get(key)
            if value is not None and not (
                isinstance(value, str) and value.startswith("(") and value.endswith(")")
            ):
                raise fail(f"{key} must be an LDAP filter in parentheses, not {value!r}")
        depth = data.get("nested_depth", 5)
        if (
            isinstance(depth, bool)
            or not isinstance(depth, int)
            or not 1 <= depth <= _MAX_NESTED_DEPTH
        ):
            raise fail(f"nested_depth must be a whole number from 1 to {_MAX_NESTED_DEPTH}")
        needs_group_base = (
            mode == "ad_in_chain"
            or data.get("nested_groups")
            or (mode == "search" and len(bases) > 1)
        )
        if needs_group_base and not data.get("group_base"):
            raise fail(
                "group_base is needed with group_membership = 'ad_in_chain', with "
                "nested_groups, and with a 'search' over several user bases"
            )
        timeout = data.get("timeout", 5.0)
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, int | float)
            or not 0 < timeout <= _MAX_TIMEOUT
        ):
            raise fail(f"timeout must be a number of seconds above 0 and at most {_MAX_TIMEOUT}")
        if isinstance(data["user_base"], list):
            data["user_base"] = tuple(data["user_base"])
        return cls(**data)


#: An HTTP header name (RFC 9110 token) without underscores: WSGI spells ``X-Remote-User`` and
#: ``X_Remote_User`` the same, so a client could slip the second past a proxy that sets the first.
_HEADER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}\Z")
#: Headers that carry something else; naming one as the user header is a mistake.
_RESERVED_HEADERS = {
    "authorization",
    "connection",
    "content-length",
    "content-type",
    "cookie",
    "forwarded",
    "host",
    "proxy-authorization",
    "transfer-encoding",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
}
#: A Kerberos realm (ZWOLLE.DEMO), a DNS domain (zwolle.demo) or a NetBIOS domain (ZWOLLE).
_REALM = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,253}[A-Za-z0-9])?\Z")


def canonical_network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """An address or CIDR network in one spelling: IPv4-mapped IPv6 (``::ffff:10.0.0.1``) as IPv4.

    Raises ValueError for anything that is not an address or network.
    """
    network = ipaddress.ip_network(value.strip(), strict=False)
    if isinstance(network, ipaddress.IPv6Network) and network.prefixlen >= 96:
        mapped = network.network_address.ipv4_mapped
        if mapped is not None:
            return ipaddress.IPv4Network((mapped, network.prefixlen - 96))
    return network


@dataclass(frozen=True)
class SingleSignOnSettings:
    """A trusted reverse proxy (Kerberos, SAML) authenticates and names the user in a header."""

    header: str
    #: canonical addresses / networks (see :func:`canonical_network`)
    trusted_proxies: tuple[str, ...]
    #: "jan@ZWOLLE.DEMO" or "ZWOLLE\\jan" becomes "jan" (the realm must be one of ``realms``)
    strip_realm: bool = True
    #: the realms / domains a qualified name may carry, compared case-insensitively; a name
    #: with any other realm is refused, and without realms only bare names are accepted
    realms: tuple[str, ...] = ()
    #: true: employees sign in only through the proxy (no password form), and a request
    #: without the header has no employee (a session that was there ends)
    required: bool = False

    @cached_property
    def networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(canonical_network(p) for p in self.trusted_proxies)

    @classmethod
    def from_mapping(cls, slug: str, data: dict[str, Any]) -> SingleSignOnSettings:
        def fail(key: str, message: str) -> ConfigurationError:
            return ConfigurationError(f"municipality '{slug}': [sso] {key}: {message}")

        if not isinstance(data, dict):
            raise ConfigurationError(f"municipality '{slug}': [sso] must be a table")
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            raise ConfigurationError(
                f"municipality '{slug}': unknown sso setting(s): {', '.join(unknown)}"
            )
        for key in ("header", "trusted_proxies"):
            if key not in data:
                raise ConfigurationError(
                    f"municipality '{slug}': [sso] needs 'header' and 'trusted_proxies' "
                    "(the proxy addresses)"
                )
        header = data["header"]
        if not isinstance(header, str) or not _HEADER_NAME.match(header):
            raise fail(
                "header",
                f"{header!r} is not a header name: letters, digits and '-' only "
                "(no '_': WSGI cannot tell X_Remote_User from X-Remote-User), e.g. X-Remote-User",
            )
        if header.lower() in _RESERVED_HEADERS:
            raise fail("header", f"{header!r} carries something else; use e.g. X-Remote-User")

        proxies = data["trusted_proxies"]
        if not isinstance(proxies, list) or not proxies:
            raise fail(
                "trusted_proxies",
                f'must be a list of IP addresses or networks, e.g. ["127.0.0.1"], not {proxies!r}',
            )
        canonical: list[str] = []
        for proxy in proxies:
            try:
                if not isinstance(proxy, str):
                    raise ValueError(proxy)
                network = canonical_network(proxy)
            except ValueError:
                raise fail(
                    "trusted_proxies",
                    f"{proxy!r} is not an IP address or network (CIDR); host names are not "
                    'accepted: use the address the proxy connects from, e.g. "10.0.0.5" or '
                    '"10.0.0.0/24"',
                ) from None
            if network.prefixlen == 0:
                raise fail(
                    "trusted_proxies",
                    f"{proxy!r} trusts every address, so anyone could name any user",
                )
            canonical.append(str(network))

        for key in ("strip_realm", "required"):
            if key in data and not isinstance(data[key], bool):
                raise fail(key, f"must be true or false, not {data[key]!r}")

        realms = data.get("realms", [])
        if isinstance(realms, str) or not isinstance(realms, list):
            raise fail("realms", f'must be a list, e.g. ["ZWOLLE.DEMO", "ZWOLLE"], not {realms!r}')
        for realm in realms:
            if not isinstance(realm, str) or not _REALM.match(realm):
                raise fail(
                    "realms",
                    f"{realm!r} is not a realm or domain name (e.g. ZWOLLE.DEMO, or ZWOLLE)",
                )
        return cls(
            header=header,
            trusted_proxies=tuple(canonical),
            strip_realm=data.get("strip_realm", True),
            realms=tuple(realms),
            required=data.get("required", False),
        )


@dataclass(frozen=True)
class MunicipalitySettings:
    """What the config file says about one municipality."""

    slug: str
    directory: DirectorySettings | None = None
    sso: SingleSignOnSettings | None = None
    #: for the processing register: who is the controller, and how to reach the DPO
    controller: str = ""
    data_protection_officer: str = ""
    #: directory group DN (any case) -> role names in this municipality
    group_roles: dict[str, list[str]] = field(default_factory=dict)
    #: plugin name -> its settings for this municipality (``[municipalities.<slug>.plugins.<name>]``)
    plugin_settings: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class DeploymentSettings:
    """The parsed ``INTRANET_CONFIG`` file."""

    operator_groups: tuple[str, ...] = ()
    municipalities: dict[str, MunicipalitySettings] = field(default_factory=dict)

    def for_municipality(self, slug: str) -> MunicipalitySettings:
        return self.municipalities.get(slug, MunicipalitySettings(slug=slug))


def load_deployment_settings(path: str | os.PathLike[str] | None) -> DeploymentSettings:
    """Read the TOML file; an absent path means no directories are configured yet."""
    if not path:
        return DeploymentSettings()
    p = Path(path)
    if not p.is_file():
        raise ConfigurationError(f"INTRANET_CONFIG points to '{p}', which is not a file")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{p}: not valid TOML: {exc}") from exc
    return parse_deployment_settings(data)


def _group_dn(where: str, dn: str) -> str:
    """A group DN from the config file in the one spelling the app compares (see auth.dn)."""
    from .auth.dn import normalize_dn

    try:
        return normalize_dn(dn)
    except ValueError as exc:
        raise ConfigurationError(f"{where}: group {dn!r} is not a valid DN: {exc}") from exc


def _role_names(slug: str, dn: str, roles: Any) -> list[str]:
    if isinstance(roles, str):
        roles = [roles]
    if not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles):
        raise ConfigurationError(
            f"municipality '{slug}': group_roles {dn!r} must be a role name or a list of them"
        )
    return list(roles)


def parse_deployment_settings(data: dict[str, Any]) -> DeploymentSettings:
    platform = data.get("platform", {})
    municipalities: dict[str, MunicipalitySettings] = {}
    for slug, section in data.get("municipalities", {}).items():
        if not isinstance(section, dict):
            raise ConfigurationError(
                f"municipality '{slug}': [municipalities.{slug}] must be a table"
            )
        directory = section.get("directory")
        group_roles = {
            _group_dn(slug, dn): _role_names(slug, dn, roles)
            for dn, roles in section.get("group_roles", {}).items()
        }
        sso = section.get("sso")
        if sso is not None and not directory:
            raise ConfigurationError(
                f"municipality '{slug}': [sso] needs a [municipalities.{slug}.directory] "
                "section: groups and roles come from the directory"
            )
        municipalities[slug] = MunicipalitySettings(
            slug=slug,
            directory=DirectorySettings.from_mapping(slug, directory) if directory else None,
            sso=SingleSignOnSettings.from_mapping(slug, sso) if sso is not None else None,
            controller=str(section.get("privacy", {}).get("controller", "")),
            data_protection_officer=str(
                section.get("privacy", {}).get("data_protection_officer", "")
            ),
            group_roles=group_roles,
            plugin_settings={
                str(name): dict(values)
                for name, values in section.get("plugins", {}).items()
                if isinstance(values, dict)
            },
        )
    operator_groups = platform.get("operator_groups", [])
    if not isinstance(operator_groups, list) or not all(
        isinstance(g, str) for g in operator_groups
    ):
        raise ConfigurationError("[platform] operator_groups must be a list of group DNs")
    return DeploymentSettings(
        operator_groups=tuple(
            _group_dn("platform", g) for g in platform.get("operator_groups", [])
        ),
        municipalities=municipalities,
    )


#: the prefix of every setting in the environment: ``INTRANET_SMTP_PORT`` sets ``SMTP_PORT``
ENV_PREFIX = "INTRANET"
#: environment names (after the prefix) that differ from the config key they set
ENV_ALIASES = {
    "ENV": "ENV_NAME",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "CONFIG": "DEPLOYMENT_CONFIG",
    "SECURE_COOKIES": "SESSION_COOKIE_SECURE",
    "DEFAULT_LOCALE": "BABEL_DEFAULT_LOCALE",
}
#: the values of INTRANET_ENV; anything else would silently skip the production checks
ENVIRONMENTS = ("production", "development", "testing")
#: settings with no sensible text form; set them in code (tests) if at all
_NOT_FROM_ENVIRONMENT = frozenset({"SQLALCHEMY_ENGINE_OPTIONS", "WTF_CSRF_TIME_LIMIT"})
_TRUE = frozenset({"1", "true", "yes", "on", "ja"})
_FALSE = frozenset({"0", "false", "no", "off", "nee", ""})


def prefixed_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every ``INTRANET_*`` variable without the prefix, its value as text.

    From the process environment through Flask's ``Config.from_prefixed_env`` (which also
    nests ``INTRANET_A__B`` as ``{"A": {"B": ...}}``); a given mapping (tests, tools) is read
    the same way for flat names.
    """
    if environ is None:
        scratch = Config(os.getcwd())
        scratch.from_prefixed_env(ENV_PREFIX, loads=str)
        return dict(scratch)
    prefix = f"{ENV_PREFIX}_"
    return {k.removeprefix(prefix): v for k, v in environ.items() if k.startswith(prefix)}


def _typed(variable: str, value: Any, default: Any) -> Any:
    """The text of ``variable`` as the type of the setting's default, or a clear error."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{variable} must be one value, not a group of settings")
    text = value.strip()
    if isinstance(default, bool):
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ConfigurationError(f"{variable} must be true or false, not {value!r}")
    if isinstance(default, int):
        if not re.fullmatch(r"[0-9]+", text):
            raise ConfigurationError(
                f"{variable} must be a whole number of 0 or more, not {value!r}"
            )
        return int(text)
    if isinstance(default, list | tuple):
        items = [item.strip() for item in text.split(",") if item.strip()]
        if not items:
            raise ConfigurationError(f"{variable} must list at least one value, comma-separated")
        return type(default)(items)
    return value


def settings_from_environment(
    environ: Mapping[str, str] | None = None, defaults: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``INTRANET_<KEY>`` for every setting in :func:`default_settings`, typed like its default.

    ``environ`` defaults to the process environment, read with Flask's ``from_prefixed_env``.
    Variables that are not settings (directory passwords named in the TOML file, the demo's,
    gunicorn's, plugins' ``INTRANET_<PLUGIN>_<KEY>``) are left alone here.
    """
    defaults = default_settings(".") if defaults is None else defaults
    out: dict[str, Any] = {}
    for name, value in sorted(prefixed_environment(environ).items()):
        key = ENV_ALIASES.get(name, name)
        if key not in defaults or key in _NOT_FROM_ENVIRONMENT:
            continue
        if isinstance(value, str) and not value.strip():
            continue  # empty counts as unset: INTRANET_ENV= must not switch production off
        out[key] = _typed(f"{ENV_PREFIX}_{name}", value, defaults[key])
    if out.get("ENV_NAME", "production") not in ENVIRONMENTS:
        raise ConfigurationError(
            f"INTRANET_ENV must be one of {', '.join(ENVIRONMENTS)}, not {out['ENV_NAME']!r}"
        )
    if out.get("PUBLIC_URL"):
        out["PUBLIC_URL"] = out["PUBLIC_URL"].rstrip("/")
    return out


def plugin_settings_from_environment(plugin_names: Iterable[str]) -> dict[str, Any]:
    """``INTRANET_<PLUGIN>_<KEY>`` as ``<PLUGIN>_<KEY>``, read with Flask's
    ``from_prefixed_env`` and its JSON values: ``5`` is a number, ``true`` a boolean, any other
    text stays text."""
    scratch = Config(os.getcwd())
    scratch.from_prefixed_env(ENV_PREFIX)
    prefixes = tuple(f"{name.upper()}_" for name in plugin_names)
    return {key: value for key, value in scratch.items() if prefixes and key.startswith(prefixes)}


def default_settings(instance_path: str) -> dict[str, Any]:
    return {
        "ENV_NAME": "production",
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'intranet.sqlite3'}",
        #: completed by engine_options(): pre-ping, and PostgreSQL's timeouts below
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        #: seconds to wait for a new PostgreSQL connection (libpq's minimum is 2)
        "DATABASE_CONNECT_TIMEOUT": 5,
        #: seconds a PostgreSQL statement may run before the server cancels it (0: no limit);
        #: below gunicorn's 30 s worker timeout, so a slow query ends as a 503, not a killed worker
        "DATABASE_STATEMENT_TIMEOUT": 20,
        #: seconds /health waits for the database before it answers 503
        "HEALTH_TIMEOUT": 2,
        "DEPLOYMENT_CONFIG": None,
        "REDIS_URL": None,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "intranet_session",
        "REMEMBER_COOKIE_DURATION": 0,
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_ABSOLUTE_HOURS": 10,
        #: how often a signed-in employee is looked up in the directory again
        "DIRECTORY_RECHECK_MINUTES": 15,
        #: after a failed re-check, leave that directory alone for this long (per worker)
        "DIRECTORY_RECHECK_BACKOFF_SECONDS": 60,
        "LOGIN_LIMIT_PER_ADDRESS": "30 per minute;300 per hour",
        "LOGIN_LIMIT_PER_USERNAME": "5 per minute;30 per hour",
        #: fetches of one personal calendar feed address (calendar programs poll every 5-60 min)
        "CALENDAR_FEED_LIMIT": "60 per hour",
        #: off: one storage round trip less per limited request; a 429 still has Retry-After
        "RATELIMIT_HEADERS_ENABLED": False,
        "PROXY_COUNT": 0,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "LANGUAGES": ("nl", "en"),
        "WTF_CSRF_TIME_LIMIT": None,
        "RESIDENTS_PER_PAGE": 25,
        "LOG_LEVEL": "INFO",
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 25,
        "SMTP_STARTTLS": False,
        "SMTP_USER": None,
        "SMTP_PASSWORD": None,
        "MAIL_FROM": "intranet@localhost",
        #: the address residents reach public pages (questionnaires) on, e.g. https://participatie.gemeente.nl
        "PUBLIC_URL": None,
        "JOBS_EAGER": False,
        #: how many processes serve the app (gunicorn workers); memory rate limits are exact
        #: only in one process
        "WORKER_PROCESSES": 1,
        #: the retention run deletes audit events older than this (five years)
        "AUDIT_RETENTION_DAYS": 5 * 365 + 1,
        #: without Redis, run jobs as threads of the web process: tests and the demo only
        "JOBS_IN_PROCESS": False,
        #: a running job says it is alive this often (seconds), whether or not it progresses
        "JOBS_HEARTBEAT_SECONDS": 30,
        #: a job silent this long (seconds) is taken for lost: a running one is marked
        #: interrupted, a queued one is handed to the queue again (see intranet.jobs.recovery)
        "JOBS_STALLED_AFTER_SECONDS": 180,
    }


def check_production_settings(config: dict[str, Any]) -> None:
    """Refuse to serve real data with a guessable secret key, or with jobs that die with a worker."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key.lower() in _DEV_SECRET_KEYS or len(key) < _MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            "INTRANET_SECRET_KEY is missing or too weak: in production it must be a random "
            f"value of at least {_MIN_SECRET_KEY_LENGTH} characters, for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`. "
            "Set INTRANET_ENV=development only on a developer's machine."
        )
    if not config.get("REDIS_URL") and not config.get("JOBS_IN_PROCESS"):
        # In-process jobs are daemon threads of a web worker: gunicorn's worker recycling (and
        # every restart) kills them mid-mailing. Only the queue's workers finish a job.
        raise ConfigurationError(
            "INTRANET_REDIS_URL is missing: in production background jobs (mailings, "
            "retention) run on the Redis queue with `flask --app wsgi intranet worker`, not "
            "as threads inside the web process. Set INTRANET_REDIS_URL, for example "
            "redis://127.0.0.1:6379/0. In-process jobs are for tests and the demo only "
            "(INTRANET_JOBS_IN_PROCESS=true)."
        )


def check_job_timing(config: dict[str, Any]) -> None:
    """A job must be able to miss a heartbeat before it is taken for lost: a stall time of
    less than two heartbeats would mark running jobs interrupted (intranet.jobs.recovery)."""
    beat = float(config["JOBS_HEARTBEAT_SECONDS"])
    stalled = float(config["JOBS_STALLED_AFTER_SECONDS"])
    if beat <= 0 or stalled < 2 * beat:
        raise ConfigurationError(
            f"INTRANET_JOBS_STALLED_AFTER_SECONDS ({stalled:g}) must be at least twice "
            f"INTRANET_JOBS_HEARTBEAT_SECONDS ({beat:g}), and the heartbeat more than 0: "
            "otherwise jobs that are still running would be marked interrupted."
        )


def check_rate_limit_storage(config: dict[str, Any]) -> None:
    """Refuse to run production in several processes with sign-in limits kept in memory.

    Memory storage counts per process: with five workers the documented "5 per minute"
    becomes 25. The limits hold with shared storage (``INTRANET_REDIS_URL``) or in one
    process with threads (``make demo``).
    """
    if config.get("ENV_NAME") != "production":
        return
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if storage.startswith("memory://") and int(config.get("WORKER_PROCESSES") or 1) > 1:
        raise ConfigurationError(
            f"{config['WORKER_PROCESSES']} worker processes without INTRANET_REDIS_URL: the "
            "sign-in limits would count per process and allow several times the documented "
            "attempts. Set INTRANET_REDIS_URL (shared storage), or run one worker process "
            "with threads (INTRANET_WORKERS=1, INTRANET_THREADS=8)."
        )


def engine_options(config: dict[str, Any]) -> dict[str, Any]:
    """SQLAlchemy engine options that make a database outage end instead of hang.

    Every pooled connection is pinged before use (a restarted server costs one reconnect,
    not an error page). On PostgreSQL a new connection gives up after
    ``DATABASE_CONNECT_TIMEOUT`` (a server that accepts connections and never answers), a
    statement after ``DATABASE_STATEMENT_TIMEOUT`` (``-c statement_timeout``), and the kernel
    drops a connection whose data stays unacknowledged as long (``tcp_user_timeout``: a host
    that went away). Options given in ``SQLALCHEMY_ENGINE_OPTIONS`` or the URL win.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    url = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if not url.startswith("postgresql"):
        return options
    connect_timeout = max(2, math.ceil(float(config.get("DATABASE_CONNECT_TIMEOUT") or 0)))
    statement_ms = int(float(config.get("DATABASE_STATEMENT_TIMEOUT") or 0) * 1000)
    in_url = set(parse_qs(urlsplit(url).query))
    defaults: dict[str, Any] = {
        "connect_timeout": connect_timeout,
        "tcp_user_timeout": max(connect_timeout, statement_ms // 1000) * 1000,
        "keepalives": 1,
        "keepalives_idle": 30,
    }
    if statement_ms > 0:
        defaults["options"] = f"-c statement_timeout={statement_ms}"
    args = dict(options.get("connect_args") or {})
    for key, value in defaults.items():
        if key not in in_url:
            args.setdefault(key, value)
    options["connect_args"] = args
    return options


def municipality_setting(municipality: Any, plugin: str, key: str, default: Any = None) -> Any:
    """A plugin's setting for one municipality from the deployment file, or ``default``:
    names and wording that differ per municipality (a committee's name on its prints)."""
    from flask import current_app

    deployment = current_app.extensions["intranet"].deployment
    slug = municipality if isinstance(municipality, str) else municipality.slug
    return deployment.for_municipality(slug).plugin_settings.get(plugin, {}).get(key, default)
