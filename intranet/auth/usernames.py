"""The one rule for comparing user names: what the sign-in limiter counts and what SSO matches.

Directories compare user names loosely: OpenLDAP's ``caseIgnoreMatch`` and Active Directory
fold case and Unicode compatibility forms, so ``ªbakker`` or ``ＧＲＩＦＦＩＥＲ`` find
``abakker`` and ``griffier``. :func:`normalize_username` applies that same folding (NFKC, then
case folding), so two names the directory would treat as one person are one key here too.
:func:`has_lookalike_characters` tells a name that only becomes another name through that
folding, which single sign-on refuses outright: a proxy names a person exactly.
"""

from __future__ import annotations

import re
import unicodedata

MAX_USERNAME_LENGTH = 256

#: RFC 4518 section 2.2: characters mapped to nothing (soft hyphen, joiners, variation
#: selectors, the object replacement character), and the C0/C1 controls except spacing ones
_MAPPED_TO_NOTHING = re.compile(
    "[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\ufeff\ufffc"
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)
_SPACES = re.compile(r"\s+")


def normalize_username(name: str) -> str:
    """``name`` as an LDAP server compares it (``caseIgnoreMatch`` after RFC 4518): NFKC,
    case-folded, characters mapped to nothing removed, runs of spaces as one, trimmed."""
    value = _MAPPED_TO_NOTHING.sub("", unicodedata.normalize("NFKC", name or ""))
    value = unicodedata.normalize("NFKC", value.casefold())
    return _SPACES.sub(" ", value).strip()[:MAX_USERNAME_LENGTH]


def has_lookalike_characters(name: str) -> bool:
    """True when compatibility folding changes ``name`` (``ª`` -> ``a``, full-width letters),
    or it holds control or format characters: no real account name looks like that."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn") for ch in name):
        return True
    return unicodedata.normalize("NFKC", name) != unicodedata.normalize("NFC", name)


def same_username(a: str, b: str) -> bool:
    """Whether two user names name the same account, by :func:`normalize_username`."""
    return normalize_username(a) == normalize_username(b)
