"""Pages of the adviescommissie plugin, mounted under ``/<municipality>/adviescommissie/``.

One blueprint; the routes live in one module per area (advice files, committee, values, report).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint

bp = Blueprint(
    "adviescommissie",
    __name__,
    template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
)

from . import advice, committee, report, values  # noqa: E402,F401
