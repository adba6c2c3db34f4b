"""Shared set-up for the participatieplan tests (imported by conftest.py and the test files).

Demo accounts in Zwolle: ``beleid`` holds the plugin's demo role with every permission (plan
editor and workshop facilitator), ``griffier`` only reads, ``raadslid`` has no permission of
this plugin at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.residents.models import Resident

NAME = "participatieplan"
EDITOR, READER, OUTSIDER = "beleid", "griffier", "raadslid"


def zwolle() -> Any:
    return municipalities.by_slug("zwolle")


def enable(app: Any, slug: str, *plugins: str, on: bool = True) -> None:
    with app.app_context():
        m = municipalities.by_slug(slug)
        for plugin in plugins:
            municipalities.set_plugin_enabled(m, plugin, on, actor="test")
        db.session.commit()


def load_plan(app: Any, slug: str = "zwolle") -> None:
    """Switch the plugin on and load its demo data, as `intranet demo` does for Zwolle."""
    enable(app, slug, NAME)
    with app.app_context():
        m = municipalities.by_slug(slug)
        residents = list(
            db.session.execute(
                select(Resident).where(Resident.municipality_id == m.id).order_by(Resident.id)
            ).scalars()
        )
        app.extensions["intranet"].plugins.call_plugin(
            NAME, "intranet_demo_data", municipality=m, residents=residents
        )
        db.session.commit()


def first(app: Any, model: Any, slug: str = "zwolle", **where: Any) -> Any:
    """The first row of a plugin table in a municipality (optionally filtered), detached ids."""
    with app.app_context():
        m = municipalities.by_slug(slug)
        query = select(model).where(model.municipality_id == m.id)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        row = db.session.execute(query.order_by(model.id)).scalars().first()
        return row.id if row is not None else None


def valid_moment(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Panelvragenlijst over de sociale basis",
        "description": "Panelleden krijgen een korte vragenlijst.",
        "milestone_id": "0",
        "parties": ["inwoners", "mantelzorgers"],
        "ladder": "raadplegen",
        "form": "panelvragenlijst",
        "planned_on": "",
        "status": "concept",
        "target": "",
        "outcome": "",
        "outcome_reported_on": "",
        "internal_notes": "",
    }
    data.update(overrides)
    return data
