"""Pages of the raadsgesprekken plugin, mounted under ``/<municipality>/raadsgesprekken/``.

One blueprint; the routes live in a module per area and are registered by importing them.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("raadsgesprekken", __name__, template_folder="../templates")

from . import (  # noqa: E402,F401  (registers the routes)
    appointments,
    days,
    home,
    intake,
    members,
    passing_on,
    reach,
    reports,
    settings,
    workgroup,
)
