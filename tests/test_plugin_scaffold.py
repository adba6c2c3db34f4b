"""``flask --app wsgi intranet plugin new NAME``: the generated package is complete, lint-clean,
imports the core only through ``intranet.plugin_api``, and the command refuses bad or taken
names and existing folders. (Installing and running it: ``test_plugin_install_proof.py``.)"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from babel.support import Translations

NAME = "buurtpanel"
EXPECTED = {
    "pyproject.toml",
    "README.md",
    "intranet_buurtpanel/__init__.py",
    "intranet_buurtpanel/plugin.py",
    "intranet_buurtpanel/models.py",
    "intranet_buurtpanel/views.py",
    "intranet_buurtpanel/templates/buurtpanel/index.html",
    "intranet_buurtpanel/translations/en/LC_MESSAGES/messages.po",
    "intranet_buurtpanel/translations/en/LC_MESSAGES/messages.mo",
    "intranet_buurtpanel/migrations/versions/buurtpanel_0001_entry.py",
    "intranet_buurtpanel/tests/test_buurtpanel.py",
}


def plugin_new(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["intranet", "plugin", "new", *args])


def test_new_plugin_writes_a_complete_package(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = plugin_new(app, NAME, "--directory", str(tmp_path))
    assert result.exit_code == 0, result.output
    target = tmp_path / f"intranet-{NAME}"
    assert f"Plugin {NAME} aangemaakt in {target}" in result.output
    written = {str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()}
    assert written == EXPECTED

    pyproject = (target / "pyproject.toml").read_text()
    assert 'name = "intranet-buurtpanel"' in pyproject
    assert (
        '[project.entry-points."intranet.plugins"]\nbuurtpanel = "intranet_buurtpanel.plugin"'
        in (pyproject)
    )
    assert 'exclude = ["intranet_buurtpanel.tests"]' in pyproject  # the tests stay at home

    package = target / "intranet_buurtpanel"
    migration = (package / "migrations/versions/buurtpanel_0001_entry.py").read_text()
    assert 'revision = "buurtpanel_0001"' in migration
    assert "down_revision = None" in migration
    assert 'branch_labels = ("buurtpanel",)' in migration
    assert 'depends_on = "0001_core"' in migration
    assert 'sa.Column("municipality_id", sa.Integer(), nullable=False)' in migration

    views = (package / "views.py").read_text()
    assert "@requires(PERM_VIEW)" in views
    template = (package / "templates/buurtpanel/index.html").read_text()
    assert template.startswith('{% extends "base.html" %}')
    assert 'class="utrecht-heading-1"' in template

    # The catalog is compiled and translates the page's strings.
    catalog = Translations.load(str(package / "translations"), ["en"])
    assert catalog.gettext("Er zijn nog geen items.") == "There are no items yet."

    # Only intranet.plugin_api from the core (tests may use the core's testing helpers).
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            for module in modules:
                if module.split(".")[0] != "intranet":
                    continue
                allowed = {"intranet.plugin_api"}
                if "tests" in path.parts:
                    allowed.add("intranet.testing.helpers")
                assert module in allowed, f"{path.name} imports {module}"

    # The generated code is lint-clean under its own settings.
    for args in (["check", "."], ["format", "--check", "."]):
        ruff = subprocess.run(
            [sys.executable, "-m", "ruff", *args],
            cwd=target,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Buurtpanel", "is geen geldige pluginnaam"),
        ("1panel", "is geen geldige pluginnaam"),
        ("ab", "is geen geldige pluginnaam"),
        ("buurt-panel", "is geen geldige pluginnaam"),
        ("buurt__panel", "is geen geldige pluginnaam"),
        ("a" * 27, "is geen geldige pluginnaam"),
        ("class", "is een Python-sleutelwoord"),
        ("raadsgesprekken", "is al in gebruik"),
        ("core", "is al in gebruik"),
        ("toegang", "is al in gebruik"),
        ("beheer", "is al in gebruik"),
        ("residents", "is al in gebruik"),
    ],
)
def test_bad_or_taken_names_are_refused(app, tmp_path: Path, name: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = plugin_new(app, name, "--directory", str(tmp_path))
    assert result.exit_code != 0
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert plugin_new(app, NAME, "--directory", str(tmp_path)).exit_code == 0
    plugin_py = tmp_path / f"intranet-{NAME}" / "intranet_buurtpanel" / "plugin.py"
    plugin_py.write_text("# mine\n")
    again = plugin_new(app, NAME, "--directory", str(tmp_path))
    assert again.exit_code != 0
    assert "bestaat al; er wordt niets overschreven" in again.output
    assert plugin_py.read_text() == "# mine\n"
