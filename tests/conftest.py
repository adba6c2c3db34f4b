"""The core's own tests. The fixtures come from the core's pytest plugin
(``intranet.testing.pytest_plugin``), which every plugin's tests share."""

from __future__ import annotations

import sys
from pathlib import Path

# The test-only plugins are installed through a real entry point (a dist-info folder).
sys.path.insert(0, str(Path(__file__).parent / "fake_site"))
# Cross-plugin tests here (every mail path, mail headers) reuse meedenkgroepen's test builders
# and its real SMTP server fixture (plugins/meedenkgroepen/tests/test_meedenkgroepen_support.py).
sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent / "plugins" / "meedenkgroepen" / "tests")
)
