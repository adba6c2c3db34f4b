"""A theme per municipality: NL Design System design tokens and a logo.

Every page loads the Utrecht design tokens (the default, built from npm by ``make assets``);
a municipality with a theme of its own gets that theme's tokens file after them, so a theme
only needs the tokens it changes, and its logo in the page header. Themes are chosen by the
platform operator (``/beheer/<gemeente>/thema``): one shipped with the product
(:data:`SHIPPED`), optionally with uploaded tokens or an uploaded logo instead of the shipped
ones. Everything is served by the app, so the CSP stays ``'self'``; see
:mod:`intranet.themes.validation` for what an uploaded file may contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"


@dataclass(frozen=True)
class ShippedTheme:
    """A theme in the repository: files under ``intranet/themes/shipped/<key>/``."""

    key: str
    title: object  # a lazy string: shown in the employee's language
    #: a tokens file on top of the Utrecht tokens, or None for the Utrecht tokens alone
    tokens: str | None = None
    logo: str | None = None

    def read(self, name: str | None) -> bytes | None:
        return (SHIPPED_DIR / self.key / name).read_bytes() if name else None


DEFAULT_THEME = "utrecht"

SHIPPED: dict[str, ShippedTheme] = {
    "utrecht": ShippedTheme("utrecht", _l("Utrecht (standaard): de NL Design System-huisstijl")),
    "gemeente": ShippedTheme(
        "gemeente",
        _l("Gemeente (neutraal): blauwgroen, met een neutraal logo"),
        tokens="design-tokens.css",
        logo="logo.png",
    ),
}
