"""Proof that a plugin built outside this repository works end to end, without touching the core.

The scaffold writes a plugin into a temporary folder; ``pip`` builds and installs it into a new
virtualenv that also sees the core (a ``.pth`` pointing at this interpreter's site-packages,
so nothing is downloaded); with that interpreter: ``db upgrade`` creates its table, the CLI
enables it for Zwolle, its page answers 200 with the permission, 403 without and 404 in
Zaanstad (through the app's test client against the test slapd), disabling gives 404 and keeps
the table and rows, the plugin's own test passes with the core's fixtures, and after
``pip uninstall`` the core still starts, ``db upgrade`` still works and a reinstall continues
where it was. On SQLite, and on PostgreSQL when ``TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from intranet.testing.databases import empty_database_url, flask_command

ROOT = Path(__file__).resolve().parent.parent
NAME = "proefplugin"
ITEM = "Eerste proefitem"

#: Runs inside the new virtualenv: signs in through the real directory and fetches the page.
PAGES = """
import json, sys
from intranet import create_app
from intranet.testing.helpers import SECRET_KEY, signed_in

url, config, name = sys.argv[1:4]
app = create_app({
    "ENV_NAME": "testing", "TESTING": True, "SECRET_KEY": SECRET_KEY,
    "SQLALCHEMY_DATABASE_URI": url, "DEPLOYMENT_CONFIG": config,
    "SESSION_COOKIE_SECURE": False, "LOG_LEVEL": "WARNING",
    "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute", "LOGIN_LIMIT_PER_USERNAME": "100000 per minute",
})
out = {}
for key, slug, user in (("allowed", "zwolle", "griffier"), ("denied", "zwolle", "raadslid"),
                        ("off", "zaanstad", "coordinator")):
    client = signed_in(app, slug, user)
    page = client.get(f"/{slug}/{name}/")
    out[key] = [page.status_code, page.get_data(as_text=True)]
    if key == "allowed":
        with client.session_transaction() as session:
            session["locale"] = "en"
        page = client.get(f"/{slug}/{name}/")
        out["english"] = [page.status_code, page.get_data(as_text=True)]
print(json.dumps(out))
"""


def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def make_venv(folder: Path) -> Path:
    """A virtualenv without pip of its own that sees the core's installed packages."""
    run(sys.executable, "-m", "venv", "--without-pip", folder)
    python = folder / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    core_site = sysconfig.get_paths()["purelib"]
    # addsitedir (not a bare path) so the core's own .pth files (its editable install) count.
    (Path(purelib.strip()) / "_intranet_core.pth").write_text(
        f"import site; site.addsitedir({core_site!r})\n"
    )
    return python


def versions(url: str, table: str = "alembic_version") -> set[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {r[0] for r in conn.execute(text(f"SELECT version_num FROM {table}"))}  # noqa: S608
    engine.dispose()
    return rows


def entries(url: str) -> list[tuple[int, str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(f"SELECT id, title FROM {NAME}_entry"))]  # noqa: S608
    engine.dispose()
    return rows


def test_a_plugin_from_the_scaffold_installs_migrates_serves_and_uninstalls(
    deployment_config: Path, tmp_path: Path
) -> None:
    with empty_database_url(tmp_path, prefix="intranet_proof") as url:
        core = lambda *a: flask_command(url, *a, cwd=ROOT)  # noqa: E731

        # 1. Generate, outside the repository.
        made = core("intranet", "plugin", "new", NAME, "--directory", str(tmp_path))
        assert made.returncode == 0, made.stderr
        project = tmp_path / f"intranet-{NAME}"

        # 2. Build and install it with pip into a virtualenv beside the core.
        python = make_venv(tmp_path / "venv")
        run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", project)
        where = run(python, "-c", f"import intranet_{NAME} as p; print(p.__file__)")
        assert str(tmp_path / "venv") in where  # the installed copy, not the source folder
        plugin = lambda *a: flask_command(url, *a, cwd=ROOT, python=str(python))  # noqa: E731

        def ok(*args: str) -> str:
            result = plugin(*args)
            assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
            return result.stdout

        # 3. db upgrade on a fresh database: the core, the built-in plugins and this one.
        ok("db", "upgrade")
        assert f"{NAME}_entry" in inspect(create_engine(url)).get_table_names()
        applied = versions(url)
        assert f"{NAME}_0001" in applied
        assert any(v.startswith("00") and v not in {f"{NAME}_0001"} for v in applied)  # core
        ok("db", "check")  # its model and its migration agree
        assert f"{NAME}\t{NAME.capitalize()}\t0.1.0" in ok("intranet", "plugins", "list")

        # 4. Enable it for Zwolle with the CLI; a role with its permission for the clerks.
        ok("intranet", "municipality", "add", "zwolle", "Gemeente Zwolle")
        ok("intranet", "municipality", "add", "zaanstad", "Gemeente Zaanstad")
        enabled = ok("intranet", "plugins", "enable", NAME, "--municipality", "zwolle")
        assert f"Plugin {NAME} aangezet voor zwolle." in enabled
        ok("intranet", "roles", "create", "lezer", "--title", "Lezer", "--permission",
           f"{NAME}.view", "--municipality", "zwolle")  # fmt: skip
        ok("intranet", "roles", "map", "cn=griffie,ou=groups,dc=zwolle,dc=demo", "lezer",
           "--municipality", "zwolle")  # fmt: skip
        engine = create_engine(url)
        with engine.begin() as conn:
            zwolle = conn.execute(
                text("SELECT id FROM municipality WHERE slug = 'zwolle'")
            ).scalar()
            conn.execute(
                text(
                    f"INSERT INTO {NAME}_entry (title, created_at, municipality_id) "  # noqa: S608
                    "VALUES (:t, CURRENT_TIMESTAMP, :m)"
                ),
                {"t": ITEM, "m": zwolle},
            )
        engine.dispose()

        # 5. Its page through the app: 200 with the permission, 403 without, 404 where off.
        def pages() -> dict[str, list]:
            out = run(python, "-c", PAGES, url, deployment_config, NAME)
            return json.loads(out.strip().splitlines()[-1])

        seen = pages()
        assert seen["allowed"][0] == 200
        assert ITEM in seen["allowed"][1]
        assert 'class="utrecht-heading-1"' in seen["allowed"][1]
        assert seen["english"][0] == 200
        assert "This plugin was just created." in seen["english"][1]  # its own catalog
        assert seen["denied"][0] == 403
        assert seen["off"][0] == 404

        # 6. Disabled: 404 for everyone, its table and rows kept.
        ok("intranet", "plugins", "disable", NAME, "--municipality", "zwolle")
        seen = pages()
        assert seen["allowed"][0] == 404
        assert seen["denied"][0] == 404
        assert [title for _id, title in entries(url)] == [ITEM]

        # 7. The plugin's own test, with the core's fixtures, in that interpreter (its own
        #    database: the fixture drops and creates every table).
        with empty_database_url(tmp_path, prefix="intranet_proof_own") as own:
            own_env = {"TEST_DATABASE_URL": own} if os.environ.get("TEST_DATABASE_URL") else {}
            env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
            result = subprocess.run(
                [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                cwd=project,
                env={**env, **own_env},
                capture_output=True,
                text=True,
                check=False,
            )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 passed" in result.stdout

        # 8. Uninstalled: the core starts and lists its plugins; db upgrade still works and
        #    keeps the plugin's revision aside; the table and rows stay.
        run(python, "-m", "pip", "uninstall", "-y", "-q", f"intranet-{NAME}")
        gone = subprocess.run(
            [str(python), "-c", f"import intranet_{NAME}"], capture_output=True, check=False
        )
        assert gone.returncode != 0
        listed = ok("intranet", "plugins", "list")
        assert NAME not in listed
        assert "raadsgesprekken" in listed
        ok("db", "upgrade")
        assert f"{NAME}_0001" not in versions(url)
        assert versions(url, "alembic_version_parked") == {f"{NAME}_0001"}
        assert [title for _id, title in entries(url)] == [ITEM]

        # 9. Installed again: it continues from its recorded revision, nothing recreated.
        run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", project)
        again = plugin("db", "upgrade")
        assert again.returncode == 0, again.stderr
        assert "Running upgrade" not in again.stderr
        assert f"{NAME}_0001" in versions(url)
        assert versions(url, "alembic_version_parked") == set()
        assert [title for _id, title in entries(url)] == [ITEM]


@pytest.fixture(autouse=True)
def _no_stray_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """The subprocesses get their settings from the arguments, not from the caller's shell."""
    monkeypatch.delenv("INTRANET_CONFIG", raising=False)
