"""Meta-tests of the plugin contract, as Datasette does it: every hook in
``intranet/hookspecs.py`` has a test named for it and a heading in docs/plugins.md that
states its exact signature.

A test counts when a function named ``test_hook_<hook>`` (or ``test_hook_<hook>_<more>``)
exists anywhere in the suite: ``tests/`` or a plugin's ``plugins/<name>/tests/``.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from intranet import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "plugins.md"
HOOKS = sorted(
    n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("intranet_")
)


def _test_functions() -> set[str]:
    files = [*(ROOT / "tests").rglob("test_*.py"), *(ROOT / "plugins").glob("*/tests/**/test_*.py")]
    names: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                names.add(node.name)
    return names


def _signature(hook: str) -> str:
    """The hookspec's parameters as written in the source, e.g. ``municipality, start: date``."""
    params = inspect.signature(getattr(hookspecs, hook)).parameters.values()
    return ", ".join(
        p.name if p.annotation is inspect.Parameter.empty else f"{p.name}: {p.annotation}"
        for p in params
    )


def _documented() -> dict[str, str]:
    return dict(re.findall(r"^### `(intranet_\w+)\(([^)]*)\)", DOCS.read_text(), re.M))


def test_the_contract_has_hooks() -> None:
    assert len(HOOKS) >= 15
    assert "intranet_plugin_info" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_named_for_it(hook: str) -> None:
    pattern = re.compile(rf"^test_hook_{hook}(_\w+)?$")
    named = sorted(n for n in _test_functions() if pattern.match(n))
    assert named, f"no test function named test_hook_{hook}[_...] in tests/ or plugins/*/tests/"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_exact_signature(hook: str) -> None:
    documented = _documented()
    assert hook in documented, f"docs/plugins.md has no '### `{hook}(...)`' heading"
    assert documented[hook] == _signature(hook)


def test_docs_document_no_hook_that_does_not_exist() -> None:
    assert sorted(_documented()) == HOOKS


def test_the_meta_test_sees_a_missing_hook_test(tmp_path: Path) -> None:
    """The name match is strict: a test that only mentions the hook does not count."""
    pattern = re.compile(r"^test_hook_intranet_navigation(_\w+)?$")
    assert pattern.match("test_hook_intranet_navigation")
    assert pattern.match("test_hook_intranet_navigation_only_where_enabled")
    assert not pattern.match("test_navigation_and_widgets")  # mentions, but is not named for it
    assert not pattern.match("test_hook_intranet_navigationx")
