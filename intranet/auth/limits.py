"""Sign-in limits that hold: the user-name key names the person the directory will find.

LDAP compares user names with its string preparation (RFC 4518): Unicode NFKC, case folding,
some characters mapped to nothing, runs of spaces as one. ``ｒaadslid2`` (a full-width r),
``RAADSLID2`` and ``raadslid²`` all find ``raadslid2``, so they must count against the same
limit. The key folds at least as much as the directory does: folding more only puts more
attempts in one bucket, which is the safe side.
"""

from __future__ import annotations

from flask import g, request

from .usernames import normalize_username


def username_limit_key() -> str:
    """Rate-limit key for a sign-in attempt: municipality and the normalised user name."""
    municipality = g.get("municipality")
    slug = municipality.slug if municipality is not None else ""
    return f"user:{slug}:{normalize_username(request.form.get('username') or '')}"
