"""``flask --app wsgi intranet plugin new NAME``: write a working plugin package to start from.

The generated project is a distribution of its own (``intranet-NAME``, package
``intranet_NAME``) with the entry point in ``intranet.plugins``, a first migration on its own
Alembic branch, one page behind a permission in the NL Design System layout, an English
catalog and a passing test that uses the core's fixtures. It imports the core only through
``intranet.plugin_api``. The files come from ``intranet/scaffold/plugin/`` (``*.tmpl``, with
``$name``-style placeholders; ``__package__``/``__name__`` in paths).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from string import Template

TEMPLATE_DIR = Path(__file__).resolve().parent / "plugin"

#: lower-case identifier: it becomes a URL segment, a table prefix, a permission prefix and
#: part of a Python package name
#: (at most 26 characters: the first revision id, ``NAME_0001``, must fit Alembic's 32)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,24}[a-z0-9]\Z")


class ScaffoldError(Exception):
    """The name is not usable, or the target exists; the message says why (Dutch)."""


def check_name(name: str, reserved: Iterable[str]) -> None:
    """Refuse names that are not a lower-case identifier or that are taken."""
    if not NAME_PATTERN.match(name) or "__" in name:
        raise ScaffoldError(
            f"'{name}' is geen geldige pluginnaam: gebruik 3 tot 26 kleine letters, cijfers en "
            "enkele underscores, beginnend met een letter (bijvoorbeeld 'buurtpanel')."
        )
    if keyword.iskeyword(name):
        raise ScaffoldError(f"'{name}' is een Python-sleutelwoord en kan geen pluginnaam zijn.")
    if name in set(reserved):
        raise ScaffoldError(
            f"'{name}' is al in gebruik (een geïnstalleerde plugin of een deel van de kern); "
            "kies een andere naam."
        )
    if find_spec(f"intranet_{name}") is not None:
        raise ScaffoldError(f"Er is al een Python-pakket intranet_{name} geïnstalleerd.")


def core_distribution() -> str:
    """The distribution that provides the ``intranet`` package (the plugin depends on it)."""
    return metadata.packages_distributions().get("intranet", ["intranet-participatie"])[0]


def title_of(name: str) -> str:
    return name.replace("_", " ").capitalize()


def new_plugin(name: str, directory: Path, reserved: Iterable[str] = ()) -> Path:
    """Write the project ``directory/intranet-NAME``; return its folder. Never overwrites."""
    check_name(name, reserved)
    target = Path(directory) / f"intranet-{name}"
    if target.exists():
        raise ScaffoldError(f"{target} bestaat al; er wordt niets overschreven.")
    values = {
        "name": name,
        "package": f"intranet_{name}",
        "title": title_of(name),
        "core_distribution": core_distribution(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    files: dict[Path, str] = {}
    for source in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        relative = str(source.relative_to(TEMPLATE_DIR)).removesuffix(".tmpl")
        relative = relative.replace("__package__", values["package"]).replace("__name__", name)
        files[target / relative] = Template(source.read_text(encoding="utf-8")).substitute(values)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for po in target.rglob("messages.po"):
        compile_catalog(po)
    return target


def compile_catalog(po: Path) -> Path:
    """Write ``messages.mo`` beside ``messages.po`` (what Flask-Babel loads)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    mo = po.with_suffix(".mo")
    with mo.open("wb") as fh:
        write_mo(fh, catalog)
    return mo
