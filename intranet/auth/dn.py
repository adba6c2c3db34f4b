"""Distinguished names in one canonical spelling, so that group DNs compare reliably.

One DN has many spellings: ``CN=Smit\\, Karin,OU=Groups`` in a config file, ``cn=Smit\\2C
Karin,ou=groups`` in slapd's answer, ``cn=Smit\\, Karin, ou=groups`` typed by an
administrator. :func:`normalize_dn` turns all of them into one string: attribute types and
values in lower case, escapes decoded and written again the RFC 4514 way, spaces around
``=``/``,`` dropped, the parts of a multi-valued RDN (``cn=a+uid=b``) in a fixed order.

The app stores group DNs (employees' groups, group-to-role mappings, operator groups) only
in this form, and normalises whatever it compares them with the same way.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ldap3.core.exceptions import LDAPInvalidDnError
from ldap3.utils.dn import parse_dn

__all__ = ["normalize_dn", "normalize_dn_lenient"]

_HEX = "0123456789abcdefABCDEF"
#: Characters RFC 4514 (section 2.4) requires to be escaped anywhere in a value, and "=",
#: which ldap3's parse_dn insists on (so a normalised DN parses again).
_SPECIAL = '\\,+";<>='


def _unescape(value: str) -> str:
    """Decode RFC 4514 escapes: ``\\2C`` and ``\\,`` both become ``,``; ``\\C3\\A9`` becomes é."""
    out: list[str] = []
    pending = bytearray()  # consecutive \XX escapes form one UTF-8 sequence
    i = 0
    while i < len(value):
        ch = value[i]
        pair = value[i + 1 : i + 3]
        if ch == "\\" and len(pair) == 2 and pair[0] in _HEX and pair[1] in _HEX:
            pending.append(int(pair, 16))
            i += 3
            continue
        if pending:
            out.append(pending.decode("utf-8", errors="strict"))
            pending.clear()
        if ch == "\\":
            if i + 1 >= len(value):
                raise ValueError("DN value ends in a lone backslash")
            out.append(value[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    if pending:
        out.append(pending.decode("utf-8", errors="strict"))
    return "".join(out)


def _escape(value: str) -> str:
    """Escape a decoded value the canonical RFC 4514 way (only what must be escaped)."""
    out = []
    for ch in value:
        if ch in _SPECIAL:
            out.append("\\" + ch)
        elif ch == "\x00":
            out.append("\\00")
        else:
            out.append(ch)
    text = "".join(out)
    if text.startswith(("#", " ")):
        text = "\\" + text
    if text.endswith(" ") and not text.endswith("\\ "):
        text = text[:-1] + "\\ "
    return text


def normalize_dn(dn: str) -> str:
    """The canonical spelling of ``dn``; raises ValueError when it is not a valid DN.

    ``CN=Smit\\2C Karin, OU=Groups,DC=Zwolle`` becomes ``cn=smit\\, karin,ou=groups,dc=zwolle``.
    """
    if not isinstance(dn, str):
        raise ValueError("a DN must be a string")
    return _normalize(dn)


@lru_cache(maxsize=4096)
def _normalize(dn: str) -> str:
    """:func:`normalize_dn` of a string, kept: a sign-in normalises the same group DNs each
    time (a ValueError is not kept, so a refused DN is parsed again)."""
    text = dn.strip()
    if not text:
        raise ValueError("empty DN")
    try:
        # strip=True allows spaces around "=" and ",", but trips over an escaped trailing
        # space ("cn=x\\ "), which the strict parse (strip=False) reads correctly.
        parts = parse_dn(text, escape=False, strip=True)
    except LDAPInvalidDnError:
        try:
            parts = parse_dn(text, escape=False, strip=False)
        except LDAPInvalidDnError as exc:
            raise ValueError(f"not a valid DN: {dn!r} ({exc})") from exc
    rdns: list[list[str]] = [[]]
    for attribute, value, separator in parts:
        attribute = attribute.strip().lower()
        if not attribute:
            raise ValueError(f"not a valid DN: {dn!r} (empty attribute type)")
        try:
            decoded = _unescape(value)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"not a valid DN: {dn!r} ({exc})") from exc
        decoded = unicodedata.normalize("NFC", decoded).lower()
        rdns[-1].append(f"{attribute}={_escape(decoded)}")
        if separator == ",":
            rdns.append([])
    if not rdns[-1]:
        rdns.pop()
    return ",".join("+".join(sorted(rdn)) for rdn in rdns)


def normalize_dn_lenient(dn: str) -> str:
    """:func:`normalize_dn`, or the stripped lower-case text for something that is no valid DN.

    For values that cannot be refused any more (stored rows, a server's answer).
    """
    try:
        return normalize_dn(dn)
    except ValueError:
        return str(dn).strip().lower()
