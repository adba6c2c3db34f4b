"""Print a pip constraints file that pins every direct dependency to its lower bound.

``make bounds`` installs the project with these constraints into a throwaway virtualenv and
runs the suite, so the ranges in setup.cfg are tested at their low end too (the lock file
tests one recent point in them).
"""

from __future__ import annotations

import configparser
import re
import sys
from pathlib import Path


def lower_bounds(setup_cfg: Path) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(setup_cfg, encoding="utf-8")
    pins = []
    for line in parser["options"]["install_requires"].splitlines():
        requirement = line.split("#")[0].strip()
        match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)", requirement)
        if match:
            pins.append(f"{match.group(1)}=={match.group(3)}")
    return pins


if __name__ == "__main__":
    print("\n".join(lower_bounds(Path(sys.argv[1] if len(sys.argv) > 1 else "setup.cfg"))))
