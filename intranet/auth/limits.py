"""Sign-in limits that hold: the user-name key names the person the directory will find.

LDAP compares user names with its string preparation (RFC 4518): Unicode NFKC, case folding,
some characters mapped to nothing, runs of spaces as one. ``ｒaadslid2`` (a full-width r),
``RAADSLID2`` and ``raadslid²`` all find ``raadslid2``, so they must count against the same
limit. The key folds at least as much as the directory does: folding more only puts more
attempts in one bucket, which is the safe side.
"""

from __future__ import annotations

import re
import unicodedata

from flask import g, request

#: RFC 4518 section 2.2: characters mapped to nothing (soft hyphen, joiners, variation
#: selectors, the object replacement character), and the C0/C1 controls except spacing ones
_MAPPED_TO_NOTHING = re.compile(
    "[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\ufeff\ufffc"
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)
_SPACES = re.compile(r"\s+")
#: longer names cannot be valid user names; the directory refuses them before any search
_MAX_KEY_LENGTH = 256


def normalize_username(username: str) -> str:
    """The user name as an LDAP server compares it (``caseIgnoreMatch`` after RFC 4518)."""
    value = _MAPPED_TO_NOTHING.sub("", unicodedata.normalize("NFKC", username or ""))
    value = unicodedata.normalize("NFKC", value.casefold())
    return _SPACES.sub(" ", value).strip()[:_MAX_KEY_LENGTH]


def username_limit_key() -> str:
    """Rate-limit key for a sign-in attempt: municipality and the normalised user name."""
    municipality = g.get("municipality")
    slug = municipality.slug if municipality is not None else ""
    return f"user:{slug}:{normalize_username(request.form.get('username') or '')}"
