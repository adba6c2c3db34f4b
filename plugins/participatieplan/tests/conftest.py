"""Fixtures of the participatieplan tests; the core's fixtures (``app``, ``demo``, ``client``)
come from its pytest plugin, the helpers from ``participatieplan_fixtures``."""

from __future__ import annotations

import pytest
from participatieplan_fixtures import load_plan


@pytest.fixture
def plan(demo):  # type: ignore[no-untyped-def]
    """The demo, with this plugin switched on in Zwolle and its demo data loaded."""
    load_plan(demo)
    return demo
