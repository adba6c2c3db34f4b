"""Search-then-bind against a municipality's LDAP / Active Directory with ldap3.

Every value from the user is escaped (RFC 4515) before it enters a filter, and a blank
password is refused before any bind: many directories treat a DN with an empty password
as an anonymous bind that *succeeds* (RFC 4513 "unauthenticated bind").

TLS (``ldaps://`` or StartTLS) always checks the server's certificate chain against the
configured CA file (else the system store) *and* the host name in the URL, inside the
handshake (OpenSSL's ``check_hostname``); a failure says which of the two it was.

:func:`directory_for` keeps one :class:`Directory` per municipality per process, with a
small pool of bound service connections and of connections used only for the users'
binds, so a sign-in costs the user's bind and a few searches, not new TCP/TLS sessions.
A pooled connection that broke (the server restarted, an idle timeout) is thrown away
and the operation is tried once more on a fresh one, within the same deadline: the
configured ``timeout`` is the most one sign-in or lookup waits in total, however many
connections and answers it takes (a frozen directory costs ``timeout``, not twice that).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import secrets
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ldap3 import BASE, NONE, SIMPLE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException, LDAPStartTLSError
from ldap3.protocol.sasl.sasl import validate_simple_password
from ldap3.utils.conv import escape_filter_chars

from ..config import DirectorySettings
from .dn import normalize_dn_lenient
from .usernames import same_username

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_USERNAME_LENGTH = 256
#: Bound service connections (and bind-only connections) kept per municipality per process.
POOL_SIZE = 4
#: A pooled connection idle for longer is closed rather than reused: directories drop idle
#: connections themselves (Active Directory after 15 minutes, OpenLDAP after ``idletimeout``).
POOL_IDLE_SECONDS = 240.0
#: Active Directory's LDAP_MATCHING_RULE_IN_CHAIN: transitive group membership in one search.
IN_CHAIN_RULE = "1.2.840.113556.1.4.1941"
#: At most this many ``(member=...)`` terms in one nested-group search.
NESTED_FILTER_CHUNK = 50

#: LDAP result codes of a bind that mean "these credentials are not accepted".
_REFUSED_BIND = {
    48,  # inappropriateAuthentication
    49,  # invalidCredentials (AD: also unknown user, disabled, locked, expired)
    50,  # insufficientAccessRights
    53,  # unwillingToPerform
}
_SEARCH_OK = {0, 4}  # success, sizeLimitExceeded (we ask for at most 2 users)
_NO_SUCH_OBJECT = 32
#: Less time than this left before the deadline: give up rather than start another attempt.
_MIN_ATTEMPT_SECONDS = 0.05
#: at most this many groups in the picker, and members per group on a role's page
GROUP_SEARCH_LIMIT = 25
GROUP_MEMBER_LIMIT = 500
#: OpenSSL verify codes for a certificate that is valid but not for this host / IP address.
_HOSTNAME_MISMATCH = {62, 64}


class InvalidCredentials(Exception):
    """Sign-in refused. ``reason`` is a category for the audit log, never shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DirectoryUnavailable(Exception):
    """The directory could not be reached or refused the service account.

    ``step`` names what failed (``connect``, ``tls``, ``service_bind``, ``search``,
    ``groups``); ``advice`` says in plain words what to check.
    """

    def __init__(self, message: str, *, step: str = "connect", advice: str = "") -> None:
        super().__init__(message)
        self.step = step
        self.advice = advice


class DirectoryTLSError(DirectoryUnavailable):
    """TLS could not be set up: the handshake failed or the server refused StartTLS."""

    def __init__(self, message: str, *, advice: str = "") -> None:
        super().__init__(message, step="tls", advice=advice)


class CertificateNotTrusted(DirectoryTLSError):
    """The server's certificate was not issued by a CA we trust (or has expired)."""


class HostnameMismatch(DirectoryTLSError):
    """The server's certificate is trusted but names another host than the one in the URL."""


@dataclass(frozen=True)
class DirectoryUser:
    dn: str
    username: str
    display_name: str
    email: str | None
    #: every group the user is in, nested ones included, as :func:`normalize_dn` spells them
    groups: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DirectoryGroup:
    """A group as the group picker shows it."""

    dn: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class DirectoryMember:
    """A member of a group: who holds a role through it, signed in or not."""

    dn: str
    username: str
    display_name: str


@dataclass(frozen=True)
class UserEntry:
    """One user as the search found them (before any bind)."""

    dn: str
    base: str
    attributes: dict[str, Any]


def _first(entry: dict, name: str) -> str | None:
    value = entry.get(name)
    if isinstance(value, list):
        return str(value[0]) if value else None
    return str(value) if value not in (None, "") else None


def _values(entry: dict, name: str) -> list[str]:
    value = entry.get(name) or []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


class _Broken(Exception):
    """A connection answered in a way that means it is no longer usable."""


# -- TLS -------------------------------------------------------------------------------


class VerifyingTls(Tls):
    """ldap3's :class:`Tls` with certificate *and* host name checks inside the handshake.

    ldap3 2.9 turns the context's ``check_hostname`` off and compares names itself after
    the handshake with ``ssl.match_hostname``, which Python 3.12 removed (ldap3 then falls
    back to a copy that does not accept IP addresses). Here OpenSSL does both checks, with
    ``server_hostname`` set to the host in the URL, so the failure also says which check
    failed. The socket error is remembered on the connection, because ldap3 wraps it.
    """

    def __init__(self, ca_file: str | None) -> None:
        super().__init__(
            validate=ssl.CERT_REQUIRED,
            version=ssl.PROTOCOL_TLS_CLIENT,
            ca_certs_file=ca_file or None,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = True
        if ca_file:
            context.load_verify_locations(cafile=ca_file)
        else:
            context.load_default_certs(ssl.Purpose.SERVER_AUTH)
        self.context = context

    def wrap_socket(self, connection: Connection, do_handshake: bool = False) -> None:
        # Not overridable per call: a Connection cannot switch validation off.
        assert self.context.check_hostname and self.context.verify_mode == ssl.CERT_REQUIRED
        try:
            connection.socket = self.context.wrap_socket(
                connection.socket,
                server_side=False,
                do_handshake_on_connect=do_handshake,
                server_hostname=connection.server.host,
            )
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            connection._intranet_tls_error = exc
            raise


def _tls_failure(
    exc: BaseException, settings: DirectorySettings, host: str
) -> DirectoryUnavailable:
    """Plain words for a failed handshake: not trusted, wrong host name, or something else."""
    how = "LDAPS" if settings.uses_ldaps else "StartTLS"
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or str(exc)
        if exc.verify_code in _HOSTNAME_MISMATCH or "mismatch" in reason.lower():
            return HostnameMismatch(
                f"{how} to {host}: host name does not match the server certificate ({reason})",
                advice=(
                    f"the certificate is not issued for '{host}': put the name the certificate "
                    "was issued for (its subjectAltName) in url, or ask the directory's "
                    f"administrators for a certificate that includes '{host}'"
                ),
            )
        if settings.ca_file:
            advice = (
                f"the CA file {settings.ca_file} does not contain the issuer of the server "
                "certificate: put the (root) CA certificate that signed the directory's "
                "certificate in it, in PEM format"
            )
        else:
            advice = (
                "the system's CA store does not contain the issuer of the server certificate: "
                "set ca_file to the CA certificate (PEM) that signed the directory's certificate"
            )
        if exc.verify_code == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
            advice = (
                "the server certificate has expired: ask the directory's administrators to renew it"
            )
        return CertificateNotTrusted(
            f"{how} to {host}: certificate not trusted ({reason})", advice=advice
        )
    if isinstance(exc, TimeoutError):
        return DirectoryUnavailable(
            f"{how} to {host}: no answer within {settings.timeout:g} s during the TLS handshake",
            step="tls",
            advice="the server accepts connections but does not answer: is it an LDAP server, "
            "and is this its TLS port?",
        )
    if isinstance(exc, ssl.SSLError):
        return DirectoryTLSError(
            f"{how} to {host}: TLS handshake failed ({exc.reason or exc})",
            advice=(
                "is this port an LDAPS port? ldaps:// usually uses port 636, ldap:// with "
                "starttls port 389"
            ),
        )
    return DirectoryTLSError(f"{how} to {host}: TLS failed ({exc})")


# -- a small connection pool -----------------------------------------------------------


class _Pool:
    """Up to ``size`` open connections, each used by one thread at a time.

    ``size == 0`` keeps nothing: every connection is closed after its operation (the
    behaviour of a plain ``Directory(settings)``).
    """

    def __init__(
        self,
        opener: Callable[[], Connection],
        size: int,
        wait: float,
        remaining: Callable[[], float] | None = None,
    ) -> None:
        self._opener = opener
        #: seconds left before the caller's deadline; raises DirectoryUnavailable when none
        self._remaining = remaining or (lambda: wait)
        self._size = size
        self._wait = wait
        self._idle: list[tuple[Connection, float]] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size) if size else None
        self._closed = False

    def run(self, operation: Callable[[Connection], T]) -> T:
        """``operation(conn)``; a broken reused connection is replaced once by a fresh one."""
        if self._slots is not None and not self._slots.acquire(
            timeout=min(self._wait, self._remaining())
        ):
            raise DirectoryUnavailable(
                f"all {self._size} connections to the directory stayed busy for {self._wait:g} s",
                step="connect",
            )
        try:
            for attempt in (1, 2):
                conn, reused = self._checkout()
                try:
                    result = operation(conn)
                except (LDAPException, OSError, _Broken) as exc:
                    _close(conn)
                    if reused and attempt == 1:
                        self._remaining()  # no time left: DirectoryUnavailable, no second wait
                        log.info("pooled directory connection broke (%s); trying a fresh one", exc)
                        continue
                    raise
                except (InvalidCredentials, DirectoryUnavailable):
                    self._checkin(conn)  # a complete answer: the connection is fine
                    raise
                except BaseException:
                    _close(conn)  # interrupted half-way: the protocol state is unknown
                    raise
                self._checkin(conn)
                return result
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            if self._slots is not None:
                self._slots.release()

    def _checkout(self) -> tuple[Connection, bool]:
        now = time.monotonic()
        stale: list[Connection] = []
        conn = None
        with self._lock:
            while self._idle:
                candidate, since = self._idle.pop()
                if candidate.closed or now - since > POOL_IDLE_SECONDS:
                    stale.append(candidate)
                    continue
                conn = candidate
                break
        for old in stale:
            _close(old)
        if conn is not None:
            return conn, True
        return self._opener(), False

    def _checkin(self, conn: Connection) -> None:
        if conn.closed:
            return
        with self._lock:
            if not self._closed and len(self._idle) < self._size:
                self._idle.append((conn, time.monotonic()))
                return
        _close(conn)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn, _since in idle:
            _close(conn)


def _simple_bind(conn: Connection, dn: str, password: str) -> bool:
    """A simple bind on an open connection (again); False when the server refused it.

    Not ``Connection.rebind``: that turns a receive timeout into "the server abruptly
    closed the connection", which sends whoever reads the log the wrong way.
    """
    conn.user = dn
    conn.password = password
    conn.authentication = SIMPLE
    try:
        return bool(conn.bind(read_server_info=False))
    finally:
        conn.password = None  # pooled connections keep no passwords


def _close(conn: Connection) -> None:
    try:
        conn.unbind()
    except (LDAPException, OSError):
        with contextlib.suppress(LDAPException, OSError):
            conn.strategy.close()


# -- the directory ---------------------------------------------------------------------


@dataclass
class DirectoryStats:
    """What this Directory asked the server, for tests and the benchmark."""

    connections: int = 0
    service_binds: int = 0
    user_binds: int = 0
    searches: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)


class Directory:
    """One municipality's directory, as its settings describe it.

    ``Directory(settings)`` opens and closes connections per call; ``pooled=True`` (what
    :func:`directory_for` gives) keeps up to :data:`POOL_SIZE` of each kind open.
    """

    def __init__(self, settings: DirectorySettings, *, pooled: bool = False) -> None:
        self.settings = settings
        self.stats = DirectoryStats()
        self._tls: VerifyingTls | None = None
        self._tls_lock = threading.Lock()
        self._local = threading.local()
        size = POOL_SIZE if pooled else 0
        wait = max(settings.timeout, 1.0)
        self._service = _Pool(self._open_service, size, wait, self.remaining)
        self._binders = _Pool(self.connect, size, wait, self.remaining)

    def close(self) -> None:
        """Close the pooled connections (new calls open new ones)."""
        self._service.close()
        self._binders.close()

    # -- connections --------------------------------------------------------------------

    @property
    def host(self) -> str:
        return urlsplit(self.settings.url).hostname or ""

    @property
    def port(self) -> int:
        parts = urlsplit(self.settings.url)
        return parts.port or (636 if self.settings.uses_ldaps else 389)

    @property
    def receive_timeout(self) -> int:
        # Whole seconds: ldap3 2.9 packs the value into SO_RCVTIMEO as an integer and fails
        # with struct.error on a float.
        return max(1, math.ceil(self.settings.timeout))

    # -- one deadline per sign-in ----------------------------------------------------------

    @contextlib.contextmanager
    def deadline(self) -> Iterator[None]:
        """Everything inside (connections, retries, answers) ends within ``timeout`` seconds.

        Nested uses keep the outer deadline.
        """
        if getattr(self._local, "deadline", None) is not None:
            yield
            return
        self._local.deadline = time.monotonic() + self.settings.timeout
        try:
            yield
        finally:
            self._local.deadline = None

    def remaining(self) -> float:
        """Seconds left for the current operation; DirectoryUnavailable when they are up."""
        deadline = getattr(self._local, "deadline", None)
        if deadline is None:
            return float(self.settings.timeout)
        left = deadline - time.monotonic()
        if left < _MIN_ATTEMPT_SECONDS:
            raise DirectoryUnavailable(
                f"no answer from {self.settings.url} within {self.settings.timeout:g} s",
                advice="the server does not answer in time: is it overloaded, or is a firewall "
                "dropping the traffic?",
            )
        return left

    def _arm(self, conn: Connection) -> None:
        """Let the next answer on ``conn`` take no longer than the time left."""
        sock = getattr(conn, "socket", None)
        if sock is not None:
            sock.settimeout(self.remaining())

    def tls(self) -> VerifyingTls | None:
        """The TLS settings (built once: loading the CA store is not free), or None."""
        if self.settings.tls_mode is None:
            return None
        with self._tls_lock:
            if self._tls is None:
                try:
                    self._tls = VerifyingTls(self.settings.ca_file)
                except (OSError, ValueError, LDAPException) as exc:
                    raise DirectoryTLSError(
                        f"cannot read the CA certificates from {self.settings.ca_file or 'the system store'}: {exc}",
                        advice="ca_file must be a readable file with one or more CA certificates in PEM format",
                    ) from exc
            return self._tls

    def _new_connection(self, user: str | None = None, password: str | None = None) -> Connection:
        server = Server(
            self.settings.url,
            get_info=NONE,
            connect_timeout=self.remaining(),
            tls=self.tls(),
        )
        return Connection(
            server,
            user=user,
            password=password,
            receive_timeout=self.receive_timeout,
            read_only=True,
            raise_exceptions=False,
            auto_referrals=False,
        )

    def connect(self) -> Connection:
        """An open connection, encrypted where configured, not bound yet.

        Raises DirectoryUnavailable (or one of its TLS subclasses) with plain words.
        """
        s = self.settings
        conn = self._new_connection()
        self.stats.add("connections")
        try:
            conn.open(read_server_info=False)
            if s.tls_mode == "starttls":
                conn.start_tls(read_server_info=False)
        except (LDAPException, OSError) as exc:
            _close(conn)
            tls_error = getattr(conn, "_intranet_tls_error", None)
            if tls_error is not None:
                raise _tls_failure(tls_error, s, self.host) from exc
            if isinstance(exc, LDAPStartTLSError):
                raise DirectoryTLSError(
                    f"{self.host} refused StartTLS ({exc})",
                    advice="the server does not offer StartTLS: configure TLS on it, or use ldaps://",
                ) from exc
            raise self._unreachable(exc) from exc
        return conn

    def _unreachable(self, exc: BaseException) -> DirectoryUnavailable:
        text = str(exc)
        if "timed out" in text.lower():
            return DirectoryUnavailable(
                f"no answer from {self.settings.url} within {self.settings.timeout:g} s",
                advice="the server does not answer in time: is it overloaded, or is a firewall "
                "dropping the traffic?",
            )
        return DirectoryUnavailable(
            f"cannot reach {self.settings.url}: {text}",
            advice="check the host and port in url, and that a firewall lets this server through",
        )

    def bind_service(self, conn: Connection) -> None:
        """Bind ``conn`` as the service account; DirectoryUnavailable when that fails."""
        s = self.settings
        password = s.bind_password
        if not password:
            raise DirectoryUnavailable(
                f"the service password is not set: environment variable {s.bind_password_env} is empty",
                step="service_bind",
                advice=f"set {s.bind_password_env} in the service's environment (for example the "
                "systemd EnvironmentFile)",
            )
        self.stats.add("service_binds")
        self._arm(conn)
        if not _simple_bind(conn, s.bind_dn, password):
            result = conn.result or {}
            if result.get("result") in _REFUSED_BIND:
                raise DirectoryUnavailable(
                    f"service bind as {s.bind_dn} refused: {result.get('description')} "
                    f"{result.get('message') or ''}".strip(),
                    step="service_bind",
                    advice=f"check bind_dn and the password in {s.bind_password_env}",
                )
            raise _Broken(f"service bind answered {result.get('description')}")

    def _open_service(self) -> Connection:
        conn = self.connect()
        try:
            self.bind_service(conn)
        except (LDAPException, OSError, _Broken) as exc:
            _close(conn)
            raise self._unreachable(exc) from exc
        except BaseException:
            _close(conn)
            raise
        return conn

    def _with_service(self, operation: Callable[[Connection], T]) -> T:
        try:
            return self._service.run(operation)
        except (LDAPException, OSError, _Broken) as exc:
            raise DirectoryUnavailable(
                f"directory error at {self.settings.url}: {exc}", step="search"
            ) from exc

    # -- searches ------------------------------------------------------------------------

    def user_filter(self, username: str) -> str:
        s = self.settings
        return f"(&{s.user_filter}({s.login_attribute}={escape_filter_chars(username)}))"

    def _search(
        self, conn: Connection, base: str, search_filter: str, attributes: list[str], **kwargs: Any
    ) -> list[dict]:
        """Entries found; DirectoryUnavailable for a base that does not exist."""
        self.stats.add("searches")
        self._arm(conn)
        conn.search(base, search_filter, SUBTREE, attributes=attributes, **kwargs)
        result = conn.result or {}
        code = result.get("result")
        if code == _NO_SUCH_OBJECT:
            raise DirectoryUnavailable(
                f"search base '{base}' does not exist in the directory",
                step="search",
                advice="check user_base and group_base: each must be the DN of an existing entry",
            )
        if code not in _SEARCH_OK:
            raise _Broken(f"search under {base} answered {result.get('description')}")
        return [r for r in conn.response or [] if r.get("type") == "searchResEntry"]

    def search_user(self, conn: Connection, username: str) -> list[UserEntry]:
        """Search every user base in order; a DN found under two bases counts once."""
        s = self.settings
        attributes = [s.login_attribute, s.name_attribute, s.mail_attribute]
        if s.group_membership == "memberOf":
            attributes.append("memberOf")
        found: dict[str, UserEntry] = {}
        for base in s.user_bases:
            for r in self._search(conn, base, self.user_filter(username), attributes, size_limit=2):
                key = normalize_dn_lenient(r["dn"])
                found.setdefault(key, UserEntry(r["dn"], base, dict(r.get("attributes", {}))))
        return list(found.values())

    def check_bases(self, conn: Connection) -> list[str]:
        """The configured bases that exist (a base-scope read of each); raises for the first that doesn't."""
        s = self.settings
        bases = list(dict.fromkeys([*s.user_bases, *([s.group_base] if s.group_base else [])]))
        for base in bases:
            self.stats.add("searches")
            self._arm(conn)
            conn.search(base, "(objectClass=*)", BASE, attributes=["1.1"])
            code = (conn.result or {}).get("result")
            if code == _NO_SUCH_OBJECT or (code == 0 and not conn.response):
                raise DirectoryUnavailable(
                    f"search base '{base}' does not exist (or the service account cannot see it)",
                    step="search",
                    advice="check user_base and group_base, and that the service account may read them",
                )
            if code != 0:
                raise _Broken(f"reading {base} answered {(conn.result or {}).get('description')}")
        return bases

    def groups_of(self, conn: Connection, entry: UserEntry) -> tuple[list[str], list[str]]:
        """(direct groups, all groups) of the user, as the server spells the DNs."""
        s = self.settings
        if s.group_membership == "ad_in_chain":
            rule = f"({s.group_member_attribute}:{IN_CHAIN_RULE}:={escape_filter_chars(entry.dn)})"
            groups = self._group_search(conn, [rule])
            return groups, groups
        if s.group_membership == "memberOf":
            direct = _values(entry.attributes, "memberOf")
        else:
            direct = self._group_search(
                conn, [f"({s.group_member_attribute}={escape_filter_chars(entry.dn)})"]
            )
        if not s.nested_groups:
            return direct, direct
        return direct, self._nested(conn, direct)

    def _group_search(self, conn: Connection, terms: list[str]) -> list[str]:
        s = self.settings
        member = terms[0] if len(terms) == 1 else f"(|{''.join(terms)})"
        group_filter = f"(&{s.group_filter}{member})"
        found: dict[str, str] = {}
        for base in s.group_bases:
            for r in self._search(conn, base, group_filter, []):
                found.setdefault(normalize_dn_lenient(r["dn"]), r["dn"])
        return list(found.values())

    def _nested(self, conn: Connection, direct: list[str]) -> list[str]:
        """Groups of groups, level by level: cycles end it, and so does ``nested_depth``."""
        s = self.settings
        seen = {normalize_dn_lenient(g): g for g in direct}
        frontier = list(seen.values())
        level = 1
        while frontier and level < s.nested_depth:
            parents: list[str] = []
            for start in range(0, len(frontier), NESTED_FILTER_CHUNK):
                chunk = frontier[start : start + NESTED_FILTER_CHUNK]
                terms = [f"({s.group_member_attribute}={escape_filter_chars(g)})" for g in chunk]
                parents += self._group_search(conn, terms)
            frontier = []
            for group in parents:
                key = normalize_dn_lenient(group)
                if key not in seen:
                    seen[key] = group
                    frontier.append(group)
            level += 1
        return list(seen.values())

    # -- administration: the group picker and who is in a group -----------------------------

    def search_groups(self, text: str, limit: int = GROUP_SEARCH_LIMIT) -> list[DirectoryGroup]:
        """Groups whose name or description contains ``text`` (escaped), sorted by name."""
        s = self.settings
        q = escape_filter_chars((text or "").strip()[:100])
        term = f"(|(cn=*{q}*)(description=*{q}*))" if q else "(cn=*)"

        def run(conn: Connection) -> list[DirectoryGroup]:
            found: dict[str, DirectoryGroup] = {}
            # without a group base (memberOf directories) groups usually sit beside the
            # people: look from the user base's parent
            bases = (
                s.group_bases
                if s.group_base
                else tuple(
                    dict.fromkeys(b.split(",", 1)[1] if "," in b else b for b in s.user_bases)
                )
            )
            for base in bases:
                for r in self._search(
                    conn,
                    base,
                    f"(&{s.group_filter}{term})",
                    ["cn", "description"],
                    size_limit=limit,
                ):
                    attrs = dict(r.get("attributes", {}))
                    found.setdefault(
                        normalize_dn_lenient(r["dn"]),
                        DirectoryGroup(
                            r["dn"],
                            _first(attrs, "cn") or r["dn"],
                            _first(attrs, "description") or "",
                        ),
                    )
            return sorted(found.values(), key=lambda g: g.name.lower())[:limit]

        return self._with_service(run)

    def members_of(self, group_dn: str, limit: int = GROUP_MEMBER_LIMIT) -> list[DirectoryMember]:
        """The users in a group, through nested groups too (as far as sign-in looks), read
        from the group's member attribute: works whether or not users carry memberOf."""
        s = self.settings
        depth = s.nested_depth if s.nested_groups else 1

        def read(
            conn: Connection, dn: str, search_filter: str, attributes: list[str]
        ) -> dict | None:
            self.stats.add("searches")
            conn.search(dn, search_filter, BASE, attributes=attributes)
            code = (conn.result or {}).get("result")
            if code == _NO_SUCH_OBJECT:
                return None
            if code != 0:
                raise _Broken(f"reading {dn} answered {(conn.result or {}).get('description')}")
            hits = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
            return dict(hits[0].get("attributes", {})) if hits else None

        def run(conn: Connection) -> list[DirectoryMember]:
            members: dict[str, DirectoryMember] = {}
            seen: set[str] = set()
            frontier, level = [group_dn], 0
            while frontier and level < depth and len(members) < limit:
                nested: list[str] = []
                for group in frontier:
                    key = normalize_dn_lenient(group)
                    if key in seen:
                        continue
                    seen.add(key)
                    group_attrs = read(conn, group, "(objectClass=*)", [s.group_member_attribute])
                    for dn in _values(group_attrs or {}, s.group_member_attribute):
                        user = read(conn, dn, s.user_filter, [s.login_attribute, s.name_attribute])
                        if user is None:
                            nested.append(dn)  # not a user: perhaps a group inside the group
                            continue
                        username = _first(user, s.login_attribute)
                        if username:
                            members.setdefault(
                                username.lower(),
                                DirectoryMember(
                                    dn, username, _first(user, s.name_attribute) or username
                                ),
                            )
                frontier, level = nested, level + 1
            return sorted(members.values(), key=lambda m: m.display_name.lower())[:limit]

        return self._with_service(run)

    # -- binds ---------------------------------------------------------------------------

    def _bind_user(self, dn: str, password: str) -> bool:
        """Bind as ``dn`` on a bind-only connection; True when the directory accepted it."""

        def bind(conn: Connection) -> bool:
            self.stats.add("user_binds")
            self._arm(conn)
            if _simple_bind(conn, dn, password):
                return True
            if (conn.result or {}).get("result") in _REFUSED_BIND:
                return False
            raise _Broken(f"bind answered {(conn.result or {}).get('description')}")

        try:
            return self._binders.run(bind)
        except (LDAPException, OSError, _Broken) as exc:
            raise DirectoryUnavailable(
                f"directory error at {self.settings.url} during a bind: {exc}", step="connect"
            ) from exc

    def _decoy_dn(self) -> str:
        """A DN that does not exist, under the first user base: its bind costs what a real one does."""
        return f"cn=intranet-no-such-user-{secrets.token_hex(8)},{self.settings.user_bases[0]}"

    # -- what the app calls ----------------------------------------------------------------

    @staticmethod
    def _clean_username(username: str) -> str:
        username = (username or "").strip()
        if not username or len(username) > MAX_USERNAME_LENGTH:
            raise InvalidCredentials("invalid_username")
        return username

    def _user(self, entry: UserEntry, username: str, groups: Iterable[str]) -> DirectoryUser:
        s = self.settings
        attrs = entry.attributes
        return DirectoryUser(
            dn=entry.dn,
            username=_first(attrs, s.login_attribute) or username,
            display_name=_first(attrs, s.name_attribute) or username,
            email=_first(attrs, s.mail_attribute),
            groups=sorted({normalize_dn_lenient(g) for g in groups}),
        )

    def authenticate(self, username: str, password: str) -> DirectoryUser:
        """Return the directory's view of the user, or raise InvalidCredentials/Unavailable.

        Unknown and ambiguous users get a bind of a DN that does not exist, so that a
        refusal takes as long whether or not the user name exists.
        """
        if not password or not password.strip():
            raise InvalidCredentials("blank_password")
        try:
            validate_simple_password(password)
        except LDAPException as exc:  # e.g. characters SASLprep forbids: no bind could succeed
            raise InvalidCredentials("invalid_password") from exc
        username = self._clean_username(username)

        def sign_in(conn: Connection) -> DirectoryUser:
            entries = self.search_user(conn, username)
            if len(entries) != 1:
                self._bind_user(self._decoy_dn(), password)  # equal work; the answer is ignored
                raise InvalidCredentials("unknown_user" if not entries else "ambiguous_user")
            entry = entries[0]
            if not self._bind_user(entry.dn, password):
                raise InvalidCredentials("wrong_password")
            _direct, groups = self.groups_of(conn, entry)
            return self._user(entry, username, groups)

        with self.deadline():
            return self._with_service(sign_in)

    def find_user(self, username: str) -> DirectoryUser:
        """The user and their groups without a password (single sign-on: the proxy vouched).

        Raises InvalidCredentials("unknown_user"/"ambiguous_user") or DirectoryUnavailable.
        The entry found must carry ``username`` by :func:`normalize_username` in its login
        attribute: the directory's own matching is looser (``ªbakker`` finds ``abakker``),
        and without a password nothing else vouches that this is the person meant.
        """
        username = self._clean_username(username)

        def lookup(conn: Connection) -> DirectoryUser:
            entries = self.search_user(conn, username)
            if len(entries) != 1:
                raise InvalidCredentials("unknown_user" if not entries else "ambiguous_user")
            wanted = self.settings.login_attribute.lower()
            attributes = entries[0].attributes
            names = [v for k in attributes if k.lower() == wanted for v in _values(attributes, k)]
            if not any(same_username(name, username) for name in names):
                raise InvalidCredentials("name_mismatch")
            _direct, groups = self.groups_of(conn, entries[0])
            return self._user(entries[0], username, groups)

        with self.deadline():
            return self._with_service(lookup)


# -- one Directory per municipality per process ------------------------------------------

_directories: dict[str, Directory] = {}
_directories_lock = threading.Lock()
_directories_pid = os.getpid()


def directory_for(slug: str, settings: DirectorySettings) -> Directory:
    """The pooled Directory of municipality ``slug``, shared by this process's threads.

    New settings (a reloaded config) replace the old Directory and close its connections;
    after a fork (gunicorn ``--preload``) the parent's connections are left alone.
    """
    global _directories_pid
    with _directories_lock:
        if os.getpid() != _directories_pid:
            _directories.clear()
            _directories_pid = os.getpid()
        directory = _directories.get(slug)
        if directory is None or directory.settings != settings:
            if directory is not None:
                directory.close()
            directory = _directories[slug] = Directory(settings, pooled=True)
        return directory


def reset_directories() -> None:
    """Close every pooled connection of this process (tests, and a config reload)."""
    with _directories_lock:
        directories = list(_directories.values())
        _directories.clear()
    for directory in directories:
        directory.close()
