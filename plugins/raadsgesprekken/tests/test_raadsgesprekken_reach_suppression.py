"""/raadsgesprekken/bereik shows no figure under 5 people to anyone (it showed kinds of
care with counts of 1 to every council member)."""

from __future__ import annotations

import re

from intranet.testing.helpers import signed_in
from plugins.raadsgesprekken.views.reach import OTHER, suppress_small

BASE = "/zwolle/raadsgesprekken"


def _figures(html: str) -> list[tuple[str, int]]:
    return [
        (label, int(value))
        for label, value in re.findall(
            r'<th class="utrecht-table__header-cell" scope="row">(.*?)</th><td[^>]*>(\d+)<', html
        )
    ]


def test_no_small_cell_reaches_a_council_member(demo) -> None:  # type: ignore[no-untyped-def]
    member = signed_in(demo, "zwolle", "raadslid")
    held = member.get(f"{BASE}/bereik")
    assert held.status_code == 200
    html = held.get_data(as_text=True)
    assert "minder dan 5 gesprekken" in html and _figures(html) == []
    every = member.get(f"{BASE}/bereik?telling=aanvragen").get_data(as_text=True)
    figures = _figures(every)
    assert figures, "the demo's requests give at least one figure of 5 or more"
    assert all(n >= 5 for _label, n in figures), figures
    assert "Daarnaast minder dan 5" in every


def test_small_categories_merge_or_disappear() -> None:
    assert suppress_small([("a", 7), ("b", 3), ("c", 2)]) == ([("a", 7), (OTHER, 5)], False)
    assert suppress_small([("a", 7), ("b", 1)]) == ([("a", 7)], True)
    assert suppress_small([("a", 5), ("b", 0)]) == ([("a", 5)], False)
