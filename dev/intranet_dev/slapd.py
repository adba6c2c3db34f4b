"""A throwaway OpenLDAP server for the demo and the test suite.

Municipal employees sign in against their municipality's LDAP, so the demo and the
tests need a real directory that behaves like one: real binds, real ACLs, the
memberof overlay in one municipality and plain group searches in the other. This
module runs Debian's ``slapd`` as a child process from a generated legacy
``slapd.conf`` and loads LDIF through the running server (so the memberof overlay
fills ``memberOf``). Data lives in mdb directories under a work directory, so a
``stop()`` followed by ``start()`` simulates an outage and recovery without reloading.

Demo: ``python -m intranet_dev.slapd --port 3389 --workdir instance/demo-ldap``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from typing import Self

import ldap3
from ldap3.core.exceptions import LDAPException

SLAPD = Path("/usr/sbin/slapd")
LDAPADD = Path("/usr/bin/ldapadd")
MODULE_DIR = Path("/usr/lib/ldap")
SCHEMA_DIR = Path("/etc/ldap/schema")
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")

#: ``stats`` puts one line per connection/bind/search in slapd.log: cheap, and it is
#: what you want to read when a test fails. Config errors are logged at any level.
DEBUG_LEVEL = "stats"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
#: tries to start slapd when it exits at once (see Slapd._launch)
START_ATTEMPTS = 3


class _ExitedWhileStarting(RuntimeError):
    """slapd ended before it answered a bind."""


REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO_ROOT / "deploy" / "demo"
DEMO_USER_PASSWORD = "Demo-2026!"  # noqa: S105 - public demo data, see deploy/demo/README.md
DEMO_SERVICE_PASSWORD = "service-demo"  # noqa: S105 - public demo data

# Written after a database's LDIF loaded completely: its presence means "reuse the
# data", its absence after a crash means "wipe the half-loaded database and reload".
_LOADED_MARKER = ".ldif-loaded"


def service_account_dn(suffix: str) -> str:
    """DN of the account the intranet binds with to look up users and groups."""
    return f"cn=intranet-service,ou=services,{suffix}"


def default_access(suffix: str, readers: Sequence[str] | None = None) -> str:
    """Default ACL: least privilege, like a municipality would hand out.

    Passwords can only be used to bind and be changed by their owner (``=xw``:
    "write" alone would imply read). Everything else is visible to the service
    account(s) and to the entry itself, and to nobody else - so the app cannot
    accidentally rely on anonymous reads.
    """
    readers = list(readers) if readers is not None else [service_account_dn(suffix)]
    by_readers = "".join(f'    by dn.exact="{dn}" read\n' for dn in readers)
    return (
        "access to attrs=userPassword\n"
        "    by anonymous auth\n"
        "    by self =xw\n"
        "    by * none\n"
        "access to *\n"
        f"{by_readers}"
        "    by self read\n"
        "    by * none\n"
    )


@dataclass
class DirectoryDatabase:
    """One municipality's directory tree: an mdb database with its own suffix."""

    suffix: str
    ldif_files: list[Path]
    member_of: bool = True
    access: str | None = None

    @property
    def rootdn(self) -> str:
        """The database's administrator; it bypasses the ACL, so use it only to set up data."""
        return f"cn=admin,{self.suffix}"

    @property
    def acl(self) -> str:
        """The access rules written into slapd.conf."""
        return self.access if self.access is not None else default_access(self.suffix)


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the OS for a currently unused TCP port, so parallel runs do not collide."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def tls_config(certificate: Path, key: Path, ca_certificates: Path | None = None) -> str:
    """Global slapd.conf lines that switch on TLS (StartTLS, and ldaps:// listeners).

    ``certificate`` may hold the chain (server certificate first); ``ca_certificates`` is
    what slapd itself trusts, which only matters for client certificates.
    """
    lines = [
        f'TLSCertificateFile "{Path(certificate).resolve()}"',
        f'TLSCertificateKeyFile "{Path(key).resolve()}"',
    ]
    if ca_certificates is not None:
        lines.append(f'TLSCACertificateFile "{Path(ca_certificates).resolve()}"')
    return "\n".join(lines)


def demo_databases(demo_dir: Path = DEMO_DIR) -> list[DirectoryDatabase]:
    """The two demo municipalities.

    Zwolle runs the memberof overlay; Zaanstad does not, so the app must find a
    user's groups there with a ``(member=<user DN>)`` search.
    """
    return [
        DirectoryDatabase("dc=zwolle,dc=demo", [demo_dir / "zwolle.ldif"], member_of=True),
        DirectoryDatabase("dc=zaanstad,dc=demo", [demo_dir / "zaanstad.ldif"], member_of=False),
    ]


class Slapd:
    """A slapd child process serving ``databases`` from ``workdir``.

    The port is fixed at construction (a free one if not given) so that a restart
    comes back at the same URL, as a real directory would after an outage.
    """

    def __init__(
        self,
        databases: list[DirectoryDatabase],
        workdir: Path,
        port: int | None = None,
        host: str = "127.0.0.1",
        extra_global_config: str = "",
        ldaps_port: int | None = None,
    ) -> None:
        """``ldaps_port`` adds an ldaps:// listener; it needs TLS settings in
        ``extra_global_config`` (see :func:`tls_config`). StartTLS on the ldap:// port
        works as soon as those are there."""
        if not databases:
            raise ValueError("Slapd needs at least one DirectoryDatabase")
        self.databases = list(databases)
        # Absolute, because the paths end up in slapd.conf.
        self.workdir = Path(workdir).resolve()
        self.host = host
        self._port = port if port is not None else free_port(host)
        self.extra_global_config = extra_global_config
        self.ldaps_port = ldaps_port
        # Random per instance, kept across stop()/start(); the admin never needs to remember it.
        self.rootpw = secrets.token_urlsafe(24)
        self._process: subprocess.Popen[bytes] | None = None

    # -- addresses and files ------------------------------------------------

    @property
    def port(self) -> int:
        """TCP port slapd listens on."""
        return self._port

    @property
    def url(self) -> str:
        """LDAP URL to give to the app, e.g. ``ldap://127.0.0.1:3389``."""
        return f"ldap://{self._url_host}:{self._port}"

    @property
    def ldaps_url(self) -> str | None:
        """The ldaps:// URL when an LDAPS listener was asked for, else None."""
        if self.ldaps_port is None:
            return None
        return f"ldaps://{self._url_host}:{self.ldaps_port}"

    @property
    def _url_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def listeners(self) -> str:
        """The ``-h`` argument of slapd: the ldap:// URL, and the ldaps:// one if any."""
        urls = [f"{self.url}/"]
        if self.ldaps_url:
            urls.append(f"{self.ldaps_url}/")
        return " ".join(urls)

    @property
    def config_path(self) -> Path:
        """The generated slapd.conf (it holds the rootpw, hence mode 0600)."""
        return self.workdir / "slapd.conf"

    @property
    def log_path(self) -> Path:
        """slapd's stdout and stderr, appended to across restarts."""
        return self.workdir / "slapd.log"

    def database_dir(self, database: DirectoryDatabase) -> Path:
        """The mdb directory of ``database``; named after the suffix so it is recognisable."""
        slug = "".join(ch if ch.isalnum() else "-" for ch in database.suffix.lower())
        return self.workdir / "db" / slug

    @property
    def running(self) -> bool:
        """True while the slapd child process is alive."""
        return self._process is not None and self._process.poll() is None

    def has_data(self) -> bool:
        """True when every database still holds the LDIF loaded by an earlier start."""
        return all(self._is_loaded(db) for db in self.databases)

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> None:
        """Write slapd.conf, start slapd, wait for a bind and load LDIF into new databases.

        Databases that were loaded before keep their data (outage/recovery); a database
        left half-loaded by a crash is wiped and loaded again.
        """
        if self.running:
            raise RuntimeError(f"slapd is already running at {self.url}")
        self.stop()  # reap a slapd that died on its own
        self.workdir.mkdir(parents=True, exist_ok=True)
        fresh = [db for db in self.databases if not self._is_loaded(db)]
        for db in fresh:
            shutil.rmtree(self.database_dir(db), ignore_errors=True)
        for db in self.databases:
            self.database_dir(db).mkdir(parents=True, exist_ok=True)
        self._write_private(self.config_path, self._config())

        try:
            self._launch()
            for db in fresh:
                self._load(db)
                (self.database_dir(db) / _LOADED_MARKER).touch()
        except BaseException:
            self.stop()
            raise

    def _launch(self) -> None:
        """Start the process and wait for a bind; retry when it exits at once.

        A slapd that has just stopped can hold its port or database lock for a moment longer
        than its process lives (seen on a busy machine): the new one exits with status 1.
        """
        command = [str(SLAPD), "-f", str(self.config_path), "-h", self.listeners]
        command += ["-d", DEBUG_LEVEL]
        for attempt in range(1, START_ATTEMPTS + 1):
            with self.log_path.open("ab") as log:
                log.write(f"\n--- starting slapd at {self.listeners} ---\n".encode())
                log.flush()
                self._process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            try:
                self._wait_until_ready()
                return
            except _ExitedWhileStarting:
                self.stop()
                if attempt == START_ATTEMPTS:
                    raise
                time.sleep(0.5 * attempt)

    def stop(self) -> None:
        """Terminate slapd (SIGTERM, then SIGKILL after a timeout); the data stays on disk."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def reset(self) -> None:
        """Forget all data so the next start() reloads the LDIF; removes only our own files."""
        if self.running:
            raise RuntimeError("stop slapd before resetting its work directory")
        for db in self.databases:
            shutil.rmtree(self.database_dir(db), ignore_errors=True)
        for path in (self.config_path, self.log_path):
            path.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals ------------------------------------------------------------

    def _is_loaded(self, database: DirectoryDatabase) -> bool:
        return (self.database_dir(database) / _LOADED_MARKER).exists()

    def _config(self) -> str:
        lines = [
            "# Generated by intranet_dev.slapd; rewritten on every start.",
            *(f'include "{SCHEMA_DIR / name}.schema"' for name in SCHEMAS),
            f'modulepath "{MODULE_DIR}"',
            "moduleload back_mdb",
            "moduleload memberof",
            f'pidfile "{self.workdir / "slapd.pid"}"',
            f'argsfile "{self.workdir / "slapd.args"}"',
        ]
        if self.extra_global_config:
            lines.append(self.extra_global_config)
        for db in self.databases:
            lines += [
                "",
                "database mdb",
                f'suffix "{db.suffix}"',
                f'rootdn "{db.rootdn}"',
                f'rootpw "{self.rootpw}"',
                f'directory "{self.database_dir(db)}"',
                "index objectClass eq",
                "index uid,mail eq",
                "index cn eq,sub",
                "index member eq",
            ]
            if db.member_of:
                lines += [
                    "index memberOf eq",
                    "overlay memberof",
                    "memberof-group-oc groupOfNames",
                    "memberof-member-ad member",
                    "memberof-refint TRUE",
                ]
            lines.append(db.acl)
        return "\n".join(lines) + "\n"

    def _wait_until_ready(self) -> None:
        """Poll with a real bind: an open port alone does not mean the databases are up."""
        deadline = time.monotonic() + START_TIMEOUT
        database = self.databases[0]
        last_error = "no answer"
        while True:
            assert self._process is not None
            status = self._process.poll()
            if status is not None:
                raise _ExitedWhileStarting(
                    f"slapd exited with status {status} while starting at {self.url}"
                    f"{self.log_tail()}"
                )
            try:
                if self._bind(database.rootdn, self.rootpw):
                    return
                last_error = f"no successful bind as {database.rootdn}"
            except LDAPException as exc:
                last_error = f"{type(exc).__name__}: {exc}"
            if time.monotonic() >= deadline:
                raise RuntimeError(
                    f"slapd at {self.url} did not answer a bind within {START_TIMEOUT:g} s "
                    f"({last_error}){self.log_tail()}"
                )
            time.sleep(0.05)

    def _bind(self, dn: str, password: str) -> bool:
        # Probe the port first: ldap3 leaks its socket when a connect is refused.
        try:
            socket.create_connection((self.host, self._port), timeout=1).close()
        except OSError:
            return False
        server = ldap3.Server(self.url, get_info=ldap3.NONE, connect_timeout=1)
        connection = ldap3.Connection(server, user=dn, password=password, receive_timeout=2)
        try:
            return bool(connection.bind())
        finally:
            connection.unbind()

    def _load(self, database: DirectoryDatabase) -> None:
        """ldapadd through the running server, so overlays (memberof) see every add."""
        password_file = self.workdir / ".rootpw"
        # -y instead of -w keeps the password out of the process list.
        self._write_private(password_file, self.rootpw)
        # LDAPNOINIT: ignore /etc/ldap/ldap.conf and ~/.ldaprc, which may point elsewhere.
        env = {**os.environ, "LDAPNOINIT": "1"}
        try:
            for ldif in database.ldif_files:
                result = subprocess.run(
                    [
                        str(LDAPADD),
                        "-x",
                        "-H",
                        self.url,
                        "-D",
                        database.rootdn,
                        "-y",
                        str(password_file),
                        "-f",
                        str(ldif),
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=False,
                )
                if result.returncode != 0:
                    raise RuntimeError(
                        f"ldapadd of {ldif} into {database.suffix} failed "
                        f"(exit {result.returncode}):\n{result.stderr.strip()}"
                        f"{self.log_tail()}"
                    )
        finally:
            password_file.unlink(missing_ok=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        tail = "\n".join(text.splitlines()[-lines:])
        return f"\n--- last lines of {self.log_path} ---\n{tail}"

    @staticmethod
    def _write_private(path: Path, content: str) -> None:
        """Write a file only we can read: slapd.conf and the password file hold the rootpw."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(content)
        path.chmod(0o600)


# -- command line -----------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo directory in the foreground until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(
        prog="python -m intranet_dev.slapd",
        description="Run the demo LDAP directory (Zwolle and Zaanstad) in the foreground.",
    )
    parser.add_argument("--port", type=int, default=3389, help="TCP port (default 3389)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("instance/demo-ldap"),
        help="where config, log and data live (default instance/demo-ldap)",
    )
    parser.add_argument(
        "--demo-dir", type=Path, default=DEMO_DIR, help="directory with the demo LDIF files"
    )
    parser.add_argument(
        "--reset", action="store_true", help="throw away existing data and reload the LDIF"
    )
    args = parser.parse_args(argv)

    slapd = Slapd(demo_databases(args.demo_dir), args.workdir, port=args.port, host=args.host)
    if args.reset:
        slapd.reset()
    reused = slapd.has_data()

    stop_requested = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    try:
        slapd.start()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        state = "existing data reused" if reused else "demo LDIF loaded"
        print(f"Demo directory at {slapd.url} ({state}; workdir {slapd.workdir})")
        for db in slapd.databases:
            print(f"  {db.suffix}: bind as {service_account_dn(db.suffix)}")
        print(f"  service account password {DEMO_SERVICE_PASSWORD!r}")
        print(f"  employee password {DEMO_USER_PASSWORD!r} (see deploy/demo/README.md)")
        print(f"  admin cn=admin,<suffix>, password {slapd.rootpw!r} (new for every run)")
        print(f"Log: {slapd.log_path}. Stop with Ctrl-C.", flush=True)
        while not stop_requested:
            if not slapd.running:
                print(f"error: slapd exited unexpectedly{slapd.log_tail()}", file=sys.stderr)
                return 1
            time.sleep(0.2)
    finally:
        slapd.stop()
    print("Demo directory stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
