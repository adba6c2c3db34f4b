"""The one rule for comparing user names: what the sign-in limiter counts and what SSO matches.

Directories compare user names loosely: OpenLDAP's ``caseIgnoreMatch`` and Active Directory
fold case and Unicode compatibility forms, so ``ªbakker`` or ``ＧＲＩＦＦＩＥＲ`` find
``abakker`` and ``griffier``. :func:`normalize_username` applies that same folding (NFKC, then
case folding), so two names the directory would treat as one person are one key here too.
:func:`has_lookalike_characters` tells a name that only becomes another name through that
folding, which single sign-on refuses outright: a proxy names a person exactly.
"""

from __future__ import annotations

import unicodedata

MAX_USERNAME_LENGTH = 256


def normalize_username(name: str) -> str:
    """``name`` as the directory compares it: NFKC, case-folded, outer white space removed."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def has_lookalike_characters(name: str) -> bool:
    """True when compatibility folding changes ``name`` (``ª`` -> ``a``, full-width letters),
    or it holds control or format characters: no real account name looks like that."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn") for ch in name):
        return True
    return unicodedata.normalize("NFKC", name) != unicodedata.normalize("NFC", name)


def same_username(a: str, b: str) -> bool:
    """Whether two user names name the same account, by :func:`normalize_username`."""
    return normalize_username(a) == normalize_username(b)
