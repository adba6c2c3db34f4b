"""Taking names out of free text before it leaves the council's circle."""

from __future__ import annotations

import re
from collections.abc import Iterable

PLACEHOLDER = "[naam]"


def scrub(text: str, names: Iterable[str]) -> str:
    """Replace every known name (full, and each part of 3+ letters) with ``[naam]``."""
    parts: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        parts.add(name)
        parts.update(p for p in re.split(r"[\s\-]+", name) if len(p) >= 3)
    for part in sorted(parts, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(part)}\b", PLACEHOLDER, text, flags=re.IGNORECASE)
    return re.sub(rf"(?:{re.escape(PLACEHOLDER)}\s*)+", PLACEHOLDER + " ", text).strip()
