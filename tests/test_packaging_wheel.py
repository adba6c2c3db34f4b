"""The runtime package is what a municipality installs: it must not carry the demo directory,
the demo loader, the test fixtures or the demo passwords. Builds the real wheels to check."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORDS = (b"Demo-2026!", b"service-demo")
_NOT_SOURCE = shutil.ignore_patterns(
    ".venv", ".git", "node_modules", "instance", "build", "dist", "*.egg-info", "__pycache__"
)


_PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]


def _build_wheel(project: Path, out: Path) -> zipfile.ZipFile:
    """Build a wheel from a copy of ``project`` (an in-tree build would leave build/ behind)."""
    copy = out / "src"
    shutil.copytree(project, copy, ignore=_NOT_SOURCE)
    wheels = out / "wheels"
    subprocess.run(
        [*_PIP_WHEEL, "--wheel-dir", str(wheels), str(copy)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("*.whl")
    return zipfile.ZipFile(wheel)


@pytest.fixture(scope="module")
def runtime_wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    return _build_wheel(ROOT, tmp_path_factory.mktemp("runtime"))


def test_runtime_wheel_holds_the_core_and_the_plugins(runtime_wheel: zipfile.ZipFile) -> None:
    names = set(runtime_wheel.namelist())
    assert "intranet/__init__.py" in names
    assert "intranet/plugin_api.py" in names
    assert "intranet/access/seed.py" in names  # demo_roles: role data, no passwords
    assert "plugins/raadsgesprekken/plugin.py" in names
    assert any(n.startswith("intranet/templates/") for n in names)
    assert any(n.startswith("plugins/meedenkgroepen/templates/") for n in names)


def test_runtime_wheel_has_no_developer_tools(runtime_wheel: zipfile.ZipFile) -> None:
    names = runtime_wheel.namelist()
    forbidden = ("intranet_dev/", "intranet/devtools/", "intranet/testing/", "tests/", "dev/")
    shipped = [
        n
        for n in names
        if n.startswith(forbidden)
        # the scaffold's templates of a new plugin's test are data for `plugin new`
        or ("/tests/" in n and not n.startswith("intranet/scaffold/"))
    ]
    assert shipped == []
    # the built-in plugins' demo data (the intranet_demo_data hook) stays in the checkout
    assert [n for n in names if re.fullmatch(r"plugins/[^/]+/demo\.py", n)] == []


def test_runtime_wheel_has_no_demo_passwords(runtime_wheel: zipfile.ZipFile) -> None:
    leaks = [
        name
        for name in runtime_wheel.namelist()
        for password in DEMO_PASSWORDS
        if password in runtime_wheel.read(name)
    ]
    assert leaks == []


def test_runtime_metadata_has_no_test_entry_point_and_honest_bounds(
    runtime_wheel: zipfile.ZipFile,
) -> None:
    dist_info = next(n.split("/")[0] for n in runtime_wheel.namelist() if ".dist-info/" in n)
    entry_points = runtime_wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert "[intranet.plugins]" in entry_points
    assert "pytest11" not in entry_points
    metadata = runtime_wheel.read(f"{dist_info}/METADATA").decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert any("wtforms" in r.lower() and ">=3.3" in r for r in requires), requires


def test_dev_wheel_holds_the_tools_and_the_pytest_plugin(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    wheel = _build_wheel(ROOT / "dev", tmp_path_factory.mktemp("dev"))
    names = set(wheel.namelist())
    assert {"intranet_dev/slapd.py", "intranet_dev/demo.py", "intranet_dev/run_demo.py"} <= names
    dist_info = next(n.split("/")[0] for n in names if ".dist-info/" in n)
    assert "intranet.testing.pytest_plugin" in wheel.read(f"{dist_info}/entry_points.txt").decode()


def test_lock_pins_every_requirement() -> None:
    """``make setup`` installs from the lock; every line there is an exact pin."""
    lock = (ROOT / "requirements" / "dev.lock").read_text()
    pins = [
        line.split("#")[0].strip()
        for line in lock.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert pins
    assert all("==" in pin for pin in pins), [p for p in pins if "==" not in p]
    for name in ("flask", "wtforms", "sqlalchemy", "flask-babel", "pytest", "psycopg"):
        assert any(pin.lower().startswith(f"{name}==") for pin in pins), name
    wtforms = next(p for p in pins if p.lower().startswith("wtforms=="))
    assert tuple(int(x) for x in wtforms.split("==")[1].split(".")[:2]) >= (3, 3)
