"""``make demo``: start the demo directory, prepare the database, and serve with gunicorn.

Everything lives in ``instance/``: the SQLite database, the directory's data, a generated
secret key. Stopping with Ctrl+C stops the directory too.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from .slapd import DEMO_SERVICE_PASSWORD, DEMO_USER_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = ROOT / "instance"
DEMO_DIR = ROOT / "deploy" / "demo"
BIND = os.environ.get("INTRANET_DEMO_BIND", "127.0.0.1:8000")
#: One gunicorn worker with threads: the demo has no Redis, and sign-in limits kept in
#: memory are exact only within one process (deploy/gunicorn.conf.py refuses more without).
DEMO_SERVER = {"INTRANET_WORKERS": "1", "INTRANET_THREADS": "8"}

#: every account in the demo directory (deploy/demo/*.ldif), with what it is for
ACCOUNTS = [
    ("zwolle", "griffier", "Jan de Vries", "griffie: intake, planning, verslagen, doorgeefluik"),
    ("zwolle", "raadslid", "Mirjam Bakker", "raadslid: eigen gesprekken en verslagen"),
    (
        "zwolle",
        "raadslid2",
        "Ahmed El Amrani",
        "tweede raadslid: eigen gesprekken, planningsbotsingen",
    ),
    (
        "zwolle",
        "beleid",
        "Pieter Jansen",
        "beleidsmedewerker: reactie van de gemeente op adviezen, planning van participatie",
    ),
    ("zwolle", "ksmit", "Karin Smit", "externe beleidsmedewerker (DN met komma): als beleid"),
    ("zwolle", "beheerder", "Sanne Visser", "functioneel beheerder: rollen, auditlog, inwoners"),
    ("zwolle", "itbeheer", "Kees Mulder", "technisch beheer: gemeenten en plugins (/beheer/)"),
    ("zaanstad", "coordinator", "Fatima Yilmaz", "participatiecoördinator: meedenkgroepen, panels"),
    ("zaanstad", "secretaris", "Henk de Boer", "secretariaat adviescommissie"),
    (
        "zaanstad",
        "ambtenaar",
        "Lisa Kok",
        "beleidsmedewerker: reactie op adviezen, trajecten",
    ),
    ("zaanstad", "beheerder", "Romy Smit", "functioneel beheerder"),
    ("zaanstad", "medewerker", "Tom Peters", "medewerker zonder extra rechten: start en kalender"),
]


#: the same purposes in English (README.md lists them too), printed for an English terminal
ACCOUNTS_EN = {
    ("zwolle", "griffier"): "council clerk: intake, scheduling, reports, passing ideas on",
    ("zwolle", "raadslid"): "council member: own conversations and reports",
    ("zwolle", "raadslid2"): "a second council member: own conversations, planning clashes",
    ("zwolle", "beleid"): (
        "policy officer: records the municipality's response to advice, the participation plan"
    ),
    ("zwolle", "ksmit"): "external policy officer (a DN with a comma): as beleid",
    ("zwolle", "beheerder"): "access administrator: roles, audit log, residents",
    ("zwolle", "itbeheer"): "platform operator: municipalities and plugins (/beheer/)",
    ("zaanstad", "coordinator"): "participation coordinator: think-along groups, panels",
    ("zaanstad", "secretaris"): "the advisory committee's secretariat",
    ("zaanstad", "ambtenaar"): ("policy officer: responses to advice, trajectories"),
    ("zaanstad", "beheerder"): "access administrator",
    ("zaanstad", "medewerker"): "employee without extra rights: start page and calendar only",
}


def english_terminal(environ: dict[str, str] | None = None) -> bool:
    """Whether the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) is English."""
    env = os.environ if environ is None else environ
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(key):
            return env[key].lower().startswith("en")
    return False


def account_lines(bind: str, english: bool) -> list[str]:
    """The demo accounts as ``make demo`` prints them, each with what it is for."""
    lines = []
    for slug, uid, name, what in ACCOUNTS:
        purpose = ACCOUNTS_EN[(slug, uid)] if english else what
        lines.append(f"  http://{bind}/{slug}/inloggen  {uid:<12} {name:<16} {purpose}")
    return lines


def demo_ldap_port() -> int:
    """The demo directory's port: ``INTRANET_DEMO_LDAP_PORT``, 3389 by default."""
    return int(os.environ.get("INTRANET_DEMO_LDAP_PORT", "3389"))


def _secret_key(instance: Path) -> str:
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


#: the directory URL written in deploy/demo/intranet.toml; the demo and the tests replace it
DEMO_CONFIG_LDAP_URL = "ldap://127.0.0.1:3389"


def write_demo_config(ldap_url: str, path: Path) -> Path:
    """Write the demo deployment config with every directory pointed at ``ldap_url``.

    The demo's slapd moves with ``INTRANET_DEMO_LDAP_PORT`` (and the tests' slapd takes a free
    port); the app must then sign people in against that directory, never against whatever
    else listens on 3389.
    """
    source = (DEMO_DIR / "intranet.toml").read_text()
    if DEMO_CONFIG_LDAP_URL not in source:
        raise RuntimeError(f"{DEMO_DIR / 'intranet.toml'} no longer names {DEMO_CONFIG_LDAP_URL}")
    path.write_text(source.replace(DEMO_CONFIG_LDAP_URL, ldap_url))
    return path


def demo_environment(ldap_url: str, instance: Path = INSTANCE) -> dict[str, str]:
    """The environment ``make demo`` runs flask and gunicorn with, for a directory at ``ldap_url``."""
    instance.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "INTRANET_ENV": "production",
            # no Redis here: jobs run as threads of the web process (demo and benchmark only)
            "INTRANET_JOBS_IN_PROCESS": "true",
            "INTRANET_SECRET_KEY": _secret_key(instance),
            "INTRANET_DATABASE_URL": env.get(
                "INTRANET_DATABASE_URL", f"sqlite:///{instance / 'intranet.sqlite3'}"
            ),
            "INTRANET_CONFIG": str(write_demo_config(ldap_url, instance / "demo-intranet.toml")),
            "INTRANET_LDAP_ZWOLLE_PASSWORD": DEMO_SERVICE_PASSWORD,
            "INTRANET_LDAP_ZAANSTAD_PASSWORD": DEMO_SERVICE_PASSWORD,
        }
    )
    for key, value in DEMO_SERVER.items():
        env.setdefault(key, value)
    return env


def gunicorn_command(bind: str) -> list[str]:
    """The demo's web server: the production gunicorn settings, with DEMO_SERVER's workers."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        bind,
        "wsgi:app",
    ]


def main() -> int:
    from .slapd import Slapd, demo_databases

    INSTANCE.mkdir(exist_ok=True)
    directory = Slapd(
        demo_databases(DEMO_DIR), workdir=INSTANCE / "demo-ldap", port=demo_ldap_port()
    )
    env = demo_environment(directory.url)
    os.environ.update(env)
    directory.start()
    print(f"Demo-directory draait op {directory.url}")
    try:
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        subprocess.run([*flask, "db", "upgrade"], check=True, cwd=ROOT, env=env)
        subprocess.run([*flask, "intranet", "demo"], check=True, cwd=ROOT, env=env)
        english = english_terminal()
        if english:
            print(f"\nDemo accounts (the same password for all: {DEMO_USER_PASSWORD}):")
        else:
            print(f"\nDemo-accounts (wachtwoord voor allemaal: {DEMO_USER_PASSWORD}):")
        print("\n".join(account_lines(BIND, english)))
        if english:
            print(f"\nThe intranet runs at http://{BIND}/ — stop with Ctrl+C.\n", flush=True)
        else:
            print(f"\nHet intranet draait op http://{BIND}/ — stoppen met Ctrl+C.\n", flush=True)
        server = subprocess.Popen(
            gunicorn_command(BIND),
            cwd=ROOT,
            env={**env, "INTRANET_SECURE_COOKIES": env.get("INTRANET_SECURE_COOKIES", "true")},
        )
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.terminate()
            return server.wait()
    finally:
        directory.stop()


if __name__ == "__main__":
    sys.exit(main())
