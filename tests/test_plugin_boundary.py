"""The plugin boundary: plugins import the core only through ``intranet.plugin_api``.

Runs the same import-linter contracts as ``make lint`` (``.importlinter``), so CI's ``make
test`` enforces them too, and proves on a throw-away package that the contracts do catch a
plugin reaching into the core or into another plugin.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import intranet.plugin_api as api

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(config: Path, cwd: Path, pythonpath: list[Path] | None = None) -> tuple[int, str]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([*map(str, pythonpath), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(config)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_the_plugins_keep_the_import_contracts() -> None:
    code, output = _lint(CONFIG, ROOT)
    assert code == 0, output
    assert "Contracts: 2 kept, 0 broken." in output


def _fake_plugins(tmp_path: Path) -> Path:
    """A package laid out like ``plugins/`` with one well-behaved and two offending plugins."""
    pkg = tmp_path / "fakeplugins"
    for name, body in {
        "good": "from intranet.plugin_api import db, requires\n",
        "reaches_in": "from intranet.extensions import db\n",
        "neighbour": "from fakeplugins.good import plugin\n",
    }.items():
        (pkg / name).mkdir(parents=True)
        (pkg / name / "__init__.py").write_text("")
        (pkg / name / "plugin.py").write_text(body)
    (pkg / "__init__.py").write_text("")
    # A plugin's tests (no __init__.py) may use the core's fixtures and helpers.
    (pkg / "good" / "tests").mkdir()
    (pkg / "good" / "tests" / "test_good.py").write_text("from intranet.testing import helpers\n")
    return pkg


def _config_for(package: str, tmp_path: Path) -> Path:
    text = re.sub(r"\bplugins(?=[.\s])", package, CONFIG.read_text())
    config = tmp_path / ".importlinter"
    config.write_text(text)
    return config


def test_the_contracts_catch_a_plugin_reaching_into_the_core_or_another_plugin(
    tmp_path: Path,
) -> None:
    _fake_plugins(tmp_path)
    code, output = _lint(_config_for("fakeplugins", tmp_path), tmp_path, [tmp_path])
    assert code != 0, output
    assert "Contracts: 0 kept, 2 broken." in output
    assert "fakeplugins.reaches_in.plugin -> intranet.extensions" in output
    assert "fakeplugins.neighbour.plugin -> fakeplugins.good.plugin" in output
    assert "fakeplugins.good.plugin -> intranet" not in output


def test_the_contracts_pass_a_plugin_that_keeps_to_the_api(tmp_path: Path) -> None:
    pkg = _fake_plugins(tmp_path)
    for offender in ("reaches_in", "neighbour"):
        (pkg / offender / "plugin.py").write_text("from intranet.plugin_api import scoped\n")
    code, output = _lint(_config_for("fakeplugins", tmp_path), tmp_path, [tmp_path])
    assert code == 0, output


def test_plugin_api_exports_exactly_what_it_lists() -> None:
    assert len(api.__all__) == len(set(api.__all__))
    for name in api.__all__:
        assert hasattr(api, name), name
    #: the gettext aliases _ and _l are exported although they start with an underscore
    aliases = {"_", "_l"}
    public = {
        n for n in vars(api) if n.isidentifier() and (not n.startswith("_") or n in aliases)
    } - {"annotations"}
    assert public == set(api.__all__)
