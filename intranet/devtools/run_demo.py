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

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = ROOT / "instance"
DEMO_DIR = ROOT / "deploy" / "demo"
LDAP_PORT = int(os.environ.get("INTRANET_DEMO_LDAP_PORT", "3389"))
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
    ("zwolle", "beleid", "Pieter Jansen", "beleidsmedewerker: reactie van de gemeente op adviezen"),
    ("zwolle", "ksmit", "Karin Smit", "externe beleidsmedewerker (DN met komma): als beleid"),
    ("zwolle", "beheerder", "Sanne Visser", "functioneel beheerder: rollen, auditlog, inwoners"),
    ("zwolle", "itbeheer", "Kees Mulder", "technisch beheer: gemeenten en plugins (/beheer/)"),
    ("zaanstad", "coordinator", "Fatima Yilmaz", "participatiecoördinator: meedenkgroepen, panels"),
    ("zaanstad", "secretaris", "Henk de Boer", "secretariaat adviescommissie"),
    (
        "zaanstad",
        "ambtenaar",
        "Lisa Kok",
        "beleidsmedewerker: reactie op adviezen, trajecten, planning van participatie",
    ),
    ("zaanstad", "beheerder", "Romy Smit", "functioneel beheerder"),
    ("zaanstad", "medewerker", "Tom Peters", "medewerker zonder extra rechten: start en kalender"),
]


def _secret_key() -> str:
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "INTRANET_ENV": "production",
            # no Redis here: jobs run as threads of the web process (demo and benchmark only)
            "INTRANET_JOBS_IN_PROCESS": "true",
            "INTRANET_SECRET_KEY": _secret_key(),
            "INTRANET_DATABASE_URL": env.get(
                "INTRANET_DATABASE_URL", f"sqlite:///{INSTANCE / 'intranet.sqlite3'}"
            ),
            "INTRANET_CONFIG": str(DEMO_DIR / "intranet.toml"),
            "INTRANET_LDAP_ZWOLLE_PASSWORD": "service-demo",
            "INTRANET_LDAP_ZAANSTAD_PASSWORD": "service-demo",
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
    env = demo_environment()
    os.environ.update(env)
    directory = Slapd(demo_databases(DEMO_DIR), workdir=INSTANCE / "demo-ldap", port=LDAP_PORT)
    directory.start()
    print(f"Demo-directory draait op {directory.url}")
    try:
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        subprocess.run([*flask, "db", "upgrade"], check=True, cwd=ROOT, env=env)
        subprocess.run([*flask, "intranet", "demo"], check=True, cwd=ROOT, env=env)
        print("\nDemo-accounts (wachtwoord voor allemaal: Demo-2026!):")
        for slug, uid, name, what in ACCOUNTS:
            print(f"  http://{BIND}/{slug}/inloggen  {uid:<12} {name:<16} {what}")
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
