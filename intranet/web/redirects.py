"""Only local paths may follow a sign-in; everything else falls back to the dashboard."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None.

    Browsers treat ``//host``, ``/\\host`` and control characters loosely, so anything
    that is not plainly ``/path`` is refused rather than cleaned.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(ch) < 0x21 or ch == "\\" or ord(ch) == 0x7F for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    decoded = unquote(target)
    if decoded.startswith("//") or "\\" in decoded or any(ord(ch) < 0x20 for ch in decoded):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
