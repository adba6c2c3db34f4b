"""Pages of the adviescommissie plugin, mounted under ``/<municipality>/adviescommissie/``.

One blueprint; the routes live in one module per area (advice files, committee, values, report).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, g

bp = Blueprint(
    "adviescommissie",
    __name__,
    template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
)

#: on prints when the municipality's deployment settings name no committee
DEFAULT_COMMITTEE_NAME = "Adviescommissie"


@bp.context_processor
def committee_name() -> dict[str, str]:
    """The committee's own name, per municipality: ``committee_name`` under
    ``[municipalities.<slug>.plugins.adviescommissie]`` in the deployment file."""
    from intranet.plugin_api import municipality_setting

    municipality = g.get("municipality")
    if municipality is None:
        return {"committee_name": DEFAULT_COMMITTEE_NAME}
    name = municipality_setting(
        municipality, "adviescommissie", "committee_name", DEFAULT_COMMITTEE_NAME
    )
    return {"committee_name": str(name)}


from . import advice, committee, report, values  # noqa: E402,F401
