"""What a municipality's theme files may contain, checked before anything is stored.

A theme is served from the app itself, so the Content Security Policy stays ``'self'``; the
files must not be able to do more than change how the NL Design System components look:

* a design-tokens file sets CSS custom properties (``--name: value;``) and nothing else: rules
  whose selectors are classes, element names or ``:root``, optionally inside ``@media``; no other
  property, no ``@import``, no ``url()`` (nothing is fetched because of a theme), no escapes;
* a logo is a PNG, checked chunk by chunk (signature, header, checksums, end), with its text
  and EXIF chunks dropped. SVG is refused: it is a document that can carry scripts and
  links, and no sanitiser is as safe as not accepting it.

Errors are :class:`ThemeFileError` with a Dutch message for the field it came from.
"""

from __future__ import annotations

import re
import struct
import zlib

from flask_babel import gettext as _

#: the Utrecht tokens (188 kB) must fit, a runaway file not
MAX_TOKENS_BYTES = 512 * 1024
MAX_LOGO_BYTES = 200 * 1024
MAX_LOGO_SIDE = 1200

_CUSTOM_PROPERTY = re.compile(r"--[A-Za-z0-9_-]+\Z")
_COMPOUND = r"(?::root|[a-z][a-z0-9-]*|\.[A-Za-z_-][A-Za-z0-9_-]*)(?:\.[A-Za-z_-][A-Za-z0-9_-]*)*"
_SELECTOR = re.compile(rf"{_COMPOUND}(?:\s+{_COMPOUND})*\Z")
_MEDIA = re.compile(r"[A-Za-z0-9\s():<>=.,_-]+\Z")
#: functions a value may not call: each would fetch something or run something
_FORBIDDEN_FUNCTIONS = re.compile(
    r"(?:url|image|image-set|-webkit-image-set|cross-fade|element|expression|src)\s*\(", re.I
)
_VALUE_CHARS = re.compile(r"""[^{};@<>\\`]*\Z""")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: ancillary chunks that may carry text or camera data: dropped from an uploaded logo
_DROPPED_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


class ThemeFileError(ValueError):
    """A theme file that is refused; the message is Dutch and names what to change."""


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _strip_comments(text: str) -> str:
    """Comments replaced by spaces of the same length (line numbers stay right)."""
    out = []
    pos = 0
    while True:
        start = text.find("/*", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        end = text.find("*/", start + 2)
        if end < 0:
            raise ThemeFileError(
                _("Regel %(line)d: een opmerking (/* ...) wordt niet afgesloten met */.")
                % {"line": _line_of(text, start)}
            )
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", " ", text[start : end + 2]))
        pos = end + 2


def _check_value(name: str, value: str, text: str, pos: int) -> None:
    line = _line_of(text, pos)
    if not value.strip():
        raise ThemeFileError(
            _("Regel %(line)d: %(name)s heeft geen waarde.") % {"line": line, "name": name}
        )
    if not _VALUE_CHARS.match(value):
        raise ThemeFileError(
            _(
                "Regel %(line)d: de waarde van %(name)s bevat een teken dat in design tokens "
                "niet is toegestaan ({ } ; @ < > \\ of `)."
            )
            % {"line": line, "name": name}
        )
    if _FORBIDDEN_FUNCTIONS.search(value):
        raise ThemeFileError(
            _(
                "Regel %(line)d: de waarde van %(name)s laadt een bestand (url() of iets "
                "dergelijks). Een thema mag niets van buiten laden."
            )
            % {"line": line, "name": name}
        )
    if value.count('"') % 2 or value.count("'") % 2:
        raise ThemeFileError(
            _("Regel %(line)d: de waarde van %(name)s heeft een aanhalingsteken zonder partner.")
            % {"line": line, "name": name}
        )


def _declarations(text: str, start: int, end: int) -> int:
    """Check the declarations between ``start`` and ``end``; return how many there were."""
    count = 0
    pos = start
    body = text[start:end]
    for part in body.split(";"):
        part_start = pos
        pos += len(part) + 1
        if not part.strip():
            continue
        offset = part_start + len(part) - len(part.lstrip())
        if ":" not in part:
            raise ThemeFileError(
                _("Regel %(line)d: verwacht „--naam: waarde;”, maar hier staat „%(text)s”.")
                % {"line": _line_of(text, offset), "text": part.strip()[:60]}
            )
        name, value = part.split(":", 1)
        name = name.strip()
        if not _CUSTOM_PROPERTY.match(name):
            raise ThemeFileError(
                _(
                    "Regel %(line)d: alleen CSS custom properties (--naam: waarde) zijn "
                    "toegestaan, niet „%(name)s”."
                )
                % {"line": _line_of(text, offset), "name": name[:60]}
            )
        _check_value(name, value, text, offset)
        count += 1
    return count


def _block_end(text: str, open_pos: int) -> int:
    """Where the ``{`` at ``open_pos`` is closed (strings are not scanned into)."""
    depth = 0
    quote = ""
    for i in range(open_pos, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\n":
                break
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ThemeFileError(
        _("Regel %(line)d: dit blok wordt niet afgesloten met }.")
        % {"line": _line_of(text, open_pos)}
    )


def _rules(text: str, start: int, end: int, in_media: bool) -> int:
    count = 0
    pos = start
    while True:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return count
        if text.startswith("@", pos):
            name = re.match(r"@[A-Za-z-]*", text[pos:end]).group(0)  # type: ignore[union-attr]
            if in_media or name.lower() != "@media":
                raise ThemeFileError(
                    _(
                        "Regel %(line)d: „%(rule)s” is niet toegestaan; een design-tokensbestand "
                        "mag alleen @media gebruiken, niet genest."
                    )
                    % {"line": _line_of(text, pos), "rule": name[:40]}
                )
        brace = text.find("{", pos, end)
        if brace < 0:
            raise ThemeFileError(
                _("Regel %(line)d: verwacht een selector met een blok { ... }.")
                % {"line": _line_of(text, pos)}
            )
        prelude = text[pos:brace].strip()
        close = _block_end(text, brace)
        line = _line_of(text, pos)
        if prelude.startswith("@"):
            if not _MEDIA.match(prelude[len("@media") :]):
                raise ThemeFileError(
                    _("Regel %(line)d: deze @media-voorwaarde is niet toegestaan.") % {"line": line}
                )
            count += _rules(text, brace + 1, close, in_media=True)
        else:
            for selector in prelude.split(","):
                if not _SELECTOR.match(selector.strip()):
                    raise ThemeFileError(
                        _(
                            "Regel %(line)d: selector „%(selector)s” is niet toegestaan; gebruik "
                            "klassen zoals .utrecht-theme, of :root."
                        )
                        % {"line": line, "selector": selector.strip()[:60]}
                    )
            if "{" in text[brace + 1 : close]:
                raise ThemeFileError(
                    _("Regel %(line)d: een blok in een blok is niet toegestaan.") % {"line": line}
                )
            count += _declarations(text, brace + 1, close)
        pos = close + 1


def check_tokens_css(raw: bytes) -> str:
    """The file as text when it only sets CSS custom properties; else :class:`ThemeFileError`."""
    if not raw.strip():
        raise ThemeFileError(_("Het bestand is leeg."))
    if len(raw) > MAX_TOKENS_BYTES:
        raise ThemeFileError(
            _("Het bestand is groter dan %(kb)d kB.") % {"kb": MAX_TOKENS_BYTES // 1024}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ThemeFileError(_("Het bestand is geen tekst in UTF-8.")) from None
    if "\x00" in text:
        raise ThemeFileError(_("Het bestand is geen tekst in UTF-8."))
    stripped = _strip_comments(text)
    if _rules(stripped, 0, len(stripped), in_media=False) == 0:
        raise ThemeFileError(
            _("Het bestand zet geen enkele design token (--naam: waarde) in een blok.")
        )
    return text


def check_logo(raw: bytes) -> bytes:
    """A PNG logo, checked and without text chunks; else :class:`ThemeFileError`."""
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        raise ThemeFileError(
            _(
                "Een SVG-bestand wordt niet aangenomen: het kan scripts bevatten. Lever het logo "
                "aan als PNG."
            )
        )
    if not raw.startswith(PNG_SIGNATURE):
        raise ThemeFileError(_("Het logo moet een PNG-bestand zijn."))
    if len(raw) > MAX_LOGO_BYTES:
        raise ThemeFileError(
            _("Het logo is groter dan %(kb)d kB.") % {"kb": MAX_LOGO_BYTES // 1024}
        )
    broken = ThemeFileError(_("Het PNG-bestand is beschadigd of onvolledig."))
    pos = len(PNG_SIGNATURE)
    kept = [PNG_SIGNATURE]
    first = True
    while True:
        if pos + 8 > len(raw):
            raise broken
        length, kind = struct.unpack(">I4s", raw[pos : pos + 8])
        data_end = pos + 8 + length
        if data_end + 4 > len(raw):
            raise broken
        data = raw[pos + 8 : data_end]
        (crc,) = struct.unpack(">I", raw[data_end : data_end + 4])
        if zlib.crc32(kind + data) & 0xFFFFFFFF != crc:
            raise broken
        if first:
            if kind != b"IHDR" or length != 13:
                raise broken
            width, height = struct.unpack(">II", data[:8])
            if not (0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE):
                raise ThemeFileError(
                    _("Het logo mag hoogstens %(n)d bij %(n)d pixels zijn.") % {"n": MAX_LOGO_SIDE}
                )
            first = False
        if kind not in _DROPPED_CHUNKS:
            kept.append(raw[pos : data_end + 4])
        pos = data_end + 4
        if kind == b"IEND":
            break
    if raw[pos:].strip(b"\x00"):
        raise broken
    return b"".join(kept)
