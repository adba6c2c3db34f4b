"""English for real (issue 14 §7): no message of the core or of a plugin is left untranslated.

Two checks, for the core and for every installed plugin, found the way the app finds them
(``_plugin_translations`` in intranet/__init__.py: a ``translations/`` folder beside the
plugin's module):

* the catalog: the messages are extracted from the package's own sources with Babel's
  extraction API (Python and Jinja, the keywords of the project), and every one of them must
  have a non-empty, non-fuzzy English translation in that package's catalog. A message that
  is only in the catalog as obsolete (``#~``) counts as missing.
* the templates: text a person reads (between tags, and in ``title``, ``alt``,
  ``placeholder`` and ``aria-label``) must come from ``{% trans %}`` or ``_()``; any word
  outside them fails, apart from the short allow list below. So does a literal sentence handed
  to a macro (it is never extracted), except for ``status()``, whose two texts are extracted.

Built-in plugins (under plugins/) must have a catalog; each package is its own pytest
parameter (``core``, ``raadsgesprekken``, ...), so a failing one is named in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

from intranet.migrating import plugin_package_dir
from intranet.plugin_manager import CORE, PluginHost

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "en"

#: what the sources call to mark a message; ``status(listing, singular, plural)`` is the list
#: macro (templates/macros/listing.html) that pluralises its two texts with ngettext
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
    "status": (2, 3),
}
#: Jinja as the app renders it; a template that does not parse must fail, not be skipped
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "silent": "false"}

#: words allowed as template text outside _(): names that are the same in every language
ALLOWED_WORDS = frozenset({"iCalendar", "CSV", "English", "Nederlands"})
#: calls whose literal arguments are not text for people (or are extracted: status)
NOT_TEXT_CALLS = frozenset(
    {"url_for", "_", "gettext", "ngettext", "pgettext", "csrf_token", "range", "dict", "status"}
)
#: keyword arguments of a call that are markup, not text
MARKUP_KWARGS = frozenset({"class_", "id", "name", "type", "autocomplete", "inputmode", "rows"})
#: keyword arguments whose values are data, not text: special(field=...) names what was read
#: in the access log, which stays Dutch like the audit log's other codes
DATA_KWARGS = frozenset({"field", "object_type"})
HUMAN_ATTRIBUTES = re.compile(
    r"\b(?:title|alt|placeholder|aria-label|aria-description|aria-roledescription|"
    r"aria-valuetext)\s*=\s*\"([^\"]*)\""
)
WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Package:
    """The core or one plugin: where its sources and its catalog are."""

    name: str
    #: the folder the sources are extracted from
    folder: Path
    #: Babel method map, relative to ``folder``
    method_map: tuple[tuple[str, str], ...]
    built_in: bool
    #: the folder Flask-Babel reads the catalogs from
    translations: Path

    @property
    def catalog(self) -> Path:
        return self.translations / LANGUAGE / "LC_MESSAGES" / "messages.po"

    def template_folders(self) -> list[Path]:
        return sorted(
            p for p in self.folder.glob("**/templates") if p.is_dir() and "tests" not in p.parts
        )


def packages() -> list[Package]:
    core = Package(
        CORE,
        ROOT,
        (("intranet/**.py", "python"), ("intranet/templates/**.html", "jinja2")),
        built_in=True,
        translations=ROOT / "intranet" / "translations",
    )
    found = [core]
    host = PluginHost()
    host.load_entry_points()
    for name, module in sorted(host.pm.list_name_plugin(), key=lambda p: str(p[0])):
        folder = plugin_package_dir(module)
        if name == CORE or folder is None or folder in (ROOT, ROOT / "intranet"):
            continue
        built_in = (ROOT / "plugins") in folder.parents
        method_map = (
            ("**/tests/**", "ignore"),
            ("**/migrations/**", "ignore"),
            ("**.py", "python"),
            ("**/templates/**.html", "jinja2"),
        )
        found.append(Package(name, folder, method_map, built_in, folder / "translations"))
    return found


PACKAGES = packages()
WITH_CATALOGS = [p for p in PACKAGES if p.built_in or p.catalog.exists()]


def extracted(package: Package) -> dict[str | tuple[str, ...], list[str]]:
    """Every message the package's sources mark for translation -> where it is used."""
    options = {
        pattern: JINJA_OPTIONS for pattern, method in package.method_map if method == "jinja2"
    }
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(package.folder),
        method_map=list(package.method_map),
        options_map=options,
        keywords=KEYWORDS,
        strip_comment_tags=True,
    ):
        key = message if isinstance(message, str) else tuple(message)
        if context:  # gettext's own spelling of a message in a context: "context\x04msgid"
            key = (
                f"{context}\x04{key}"
                if isinstance(key, str)
                else (f"{context}\x04{key[0]}", *key[1:])
            )
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def untranslated(package: Package) -> list[str]:
    with package.catalog.open("rb") as fh:
        catalog = read_po(fh, locale=LANGUAGE)
    problems = []
    for key, places in sorted(extracted(package).items(), key=lambda kv: str(kv[0])):
        msgid = key[0] if isinstance(key, tuple) else key
        context, _sep, msgid = msgid.rpartition("\x04")
        entry = catalog.get(msgid, context=context or None)
        where = places[0]
        if entry is None:
            state = "only obsolete (#~)" if msgid in catalog.obsolete else "missing"
            problems.append(f"{where}: {msgid!r} is {state} in {package.catalog.name}")
        elif entry.fuzzy:
            problems.append(f"{where}: {msgid!r} is fuzzy")
        elif isinstance(entry.string, tuple | list):
            if not all(s.strip() for s in entry.string):
                problems.append(f"{where}: {msgid!r} lacks a plural form")
        elif not (entry.string or "").strip():
            problems.append(f"{where}: {msgid!r} has no translation")
    return problems


@pytest.mark.parametrize("package", WITH_CATALOGS, ids=[p.name for p in WITH_CATALOGS])
def test_every_message_has_an_english_translation(package: Package) -> None:
    assert package.catalog.exists(), (
        f"{package.name} has no English catalog at {package.catalog.relative_to(ROOT)}"
    )
    messages = extracted(package)
    assert messages, f"nothing extracted from {package.folder}: check the method map"
    problems = untranslated(package)
    assert not problems, f"{len(problems)} of {len(messages)} untranslated:\n" + "\n".join(problems)


def test_a_message_in_two_catalogs_has_one_english_text() -> None:
    """Flask-Babel merges every catalog into one domain (the plugins' in path order, the core's
    last), so a msgid in two catalogs shows the English of the last one on every page. The same
    words with another meaning need a context (``pgettext``); the same meaning, the same text."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for package in WITH_CATALOGS:
        if not package.catalog.exists():
            continue
        with package.catalog.open("rb") as fh:
            for message in read_po(fh, locale=LANGUAGE):
                if message.id:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    texts = seen.setdefault((message.context, msgid), {})
                    texts[package.name] = str(message.string)
    different = {key: texts for key, texts in seen.items() if len(set(texts.values())) > 1}
    assert not different, "\n".join(
        f"{msgid!r} ({context or 'no context'}): {texts}"
        for (context, msgid), texts in different.items()
    )


def test_the_core_extraction_finds_what_it_must() -> None:
    """The check above is only as good as its extraction: it sees forms, templates, macros."""
    core = next(p for p in PACKAGES if p.name == CORE)
    messages = extracted(core)
    assert "Gebruikersnaam" in messages  # a form label (lazy_gettext, intranet/auth/forms.py)
    assert "Inloggen" in messages  # a template
    assert ("%(num)d inwoner gevonden.", "%(num)d inwoners gevonden.") in messages  # status()
    assert not any("intranet/testing" in p for ps in messages.values() for p in ps)


def test_an_untranslated_message_is_reported(tmp_path: Path) -> None:
    """The check fails on a new message, on a fuzzy one and on one that is only obsolete."""
    folder = tmp_path / "plugin"
    (folder / "templates").mkdir(parents=True)
    (folder / "views.py").write_text(
        "from flask_babel import gettext as _, lazy_gettext as _l\n"
        "A = _l('Nieuw')\nB = _('Vaag')\nC = _('Oud')\nD = _('Goed')\n"
        "from flask_babel import pgettext\nE = pgettext('lidmaatschap', 'Afgemeld')\n"
    )
    (folder / "templates" / "page.html").write_text("{{ _('Sjabloon') }}\n")
    catalog = folder / "translations" / LANGUAGE / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "Vaag"\nmsgstr "Vague"\n\n'
        'msgid "Goed"\nmsgstr "Good"\n\n'
        'msgid "Afgemeld"\nmsgstr "Signed out"\n\n'
        'msgid "Sjabloon"\nmsgstr ""\n\n'
        '#~ msgid "Oud"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    package = Package(
        "example",
        folder,
        (("**.py", "python"), ("**/templates/**.html", "jinja2")),
        built_in=False,
        translations=folder / "translations",
    )
    problems = "\n".join(untranslated(package))
    assert "'Nieuw' is missing" in problems
    assert "'Vaag' is fuzzy" in problems
    assert "'Oud' is only obsolete" in problems
    assert "'Sjabloon' has no translation" in problems
    assert "'Afgemeld' is missing" in problems  # only without the context
    assert "Goed" not in problems


# -- the template lint ------------------------------------------------------------------------


def _template_text(env: Environment, source: str) -> str:
    """The template's own text; each Jinja construct, and all text in a trans block, is a
    NUL, so tags that span expressions still read as tags."""
    parts: list[str] = []
    in_trans = block_start = False
    for _lineno, kind, value in env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "block_begin":
            block_start = True
            parts.append("\0")
            continue
        if block_start and kind == "name":
            if value in ("trans", "pluralize"):
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        block_start = False
        parts.append(value if kind == "data" and not in_trans else "\0")
    return "".join(parts)


def untranslated_template_text(source: str, name: str = "template") -> list[str]:
    """Words a person would read that do not go through _() or {% trans %}."""
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)  # parsed, never rendered
    text = _template_text(env, source)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    readable = [*HUMAN_ATTRIBUTES.findall(text), re.sub(r"<[^>]*>", " ", text)]
    found = [
        word
        for chunk in readable
        for word in WORD.findall(re.sub(r"&[#\w]+;", " ", chunk))
        if word not in ALLOWED_WORDS
    ]
    tree = env.parse(source, name=name)
    for call in tree.find_all(nodes.Call):
        callee = (
            call.node.name if isinstance(call.node, nodes.Name) else getattr(call.node, "attr", "")
        )
        if callee in NOT_TEXT_CALLS:
            continue
        arguments = [
            *call.args,
            *(k.value for k in call.kwargs if k.key not in MARKUP_KWARGS | DATA_KWARGS),
        ]
        for argument in arguments:
            if (
                isinstance(argument, nodes.Const)
                and isinstance(argument.value, str)
                and " " in argument.value.strip()
                and WORD.search(argument.value)
                and not argument.value.startswith(("utrecht-", "form", "inline-"))
            ):
                found.append(f"{argument.value!r} handed to {callee}()")
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if isinstance(child, nodes.Const) and WORD.search(str(child.value)):
                found.append(f"{child.value!r} as a literal")
    return found


def template_folders() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        if package.built_in:
            for folder in package.template_folders():
                if package.name != CORE or folder == ROOT / "intranet" / "templates":
                    yield package.name, folder


TEMPLATE_FOLDERS = list(template_folders())


@pytest.mark.parametrize(
    "folder",
    [f for _n, f in TEMPLATE_FOLDERS],
    ids=[f"{n}:{f.relative_to(ROOT)}" for n, f in TEMPLATE_FOLDERS],
)
def test_template_text_goes_through_babel(folder: Path) -> None:
    problems = []
    for template in sorted(folder.rglob("*.html")):
        words = untranslated_template_text(template.read_text(encoding="utf-8"), str(template))
        if words:
            problems.append(f"{template.relative_to(ROOT)}: {', '.join(dict.fromkeys(words))}")
    assert not problems, "text outside _() or {% trans %}:\n" + "\n".join(problems)


def test_the_template_lint_sees_text_and_leaves_markup_alone() -> None:
    assert untranslated_template_text("<p>Opslaan</p>") == ["Opslaan"]
    assert untranslated_template_text('<a href="{{ u }}" title="Naar boven">x</a>') == [
        "Naar",
        "boven",
    ]
    assert untranslated_template_text("{{ submit('Wijzigingen opslaan') }}") == [
        "'Wijzigingen opslaan' handed to submit()"
    ]
    clean = (
        '<p class="utrecht-paragraph" id="x-{{ i }}">{{ _("Opslaan") }}</p>'
        "{% trans %}Welkom terug{% endtrans %}<!-- een opmerking -->"
        '<button aria-label="{{ _("Sluiten") }}">&times;</button>'
        "{{ status(listing, '%(num)d gevonden.', '%(num)d gevonden.') }}"
        "<a href=\"{{ url_for('x') }}\">{{ name }}</a> · 12 CSV"
        "{{ special(v, field='soort zorg') }}{{ pgettext('lidmaatschap', 'Afgemeld') }}"
    )
    assert untranslated_template_text(clean) == []


def test_every_built_in_plugin_is_covered() -> None:
    """Each folder under plugins/ with a plugin in it is checked for a catalog and templates."""
    built_in = {p.name for p in PACKAGES if p.built_in} - {CORE}
    on_disk = {
        p.parent.name for p in (ROOT / "plugins").glob("*/plugin.py") if p.parent.name != "tests"
    }
    assert on_disk <= built_in, on_disk - built_in
