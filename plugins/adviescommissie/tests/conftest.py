"""The cross-plugin tests here use the core suite's test-only plugins (``tests/fake_site``,
installed there through a real entry point); make them importable when this folder runs alone
(``pytest plugins/adviescommissie``), as ``tests/conftest.py`` does for the whole suite."""

from __future__ import annotations

import sys
from pathlib import Path

FAKE_SITE = Path(__file__).resolve().parents[3] / "tests" / "fake_site"
if FAKE_SITE.is_dir() and str(FAKE_SITE) not in sys.path:
    sys.path.insert(0, str(FAKE_SITE))
