"""Turn environment.yml's conda pins into a pip requirements list.

environment.yml is the single source of truth for versions. CI has no conda, so
`make` runs ``python tools/pins.py environment.yml`` and installs the result with
pip. Only the standard library is used: this runs before anything is installed.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

SKIP = {"python", "pip"}
_PIN = re.compile(r"^\s*-\s+([A-Za-z0-9_.\-]+)\s*=\s*([0-9][A-Za-z0-9_.]*)\s*$")


def read_pins(path: str | Path) -> dict[str, str]:
    """Return {package: version} for every ``- name=version`` line of a conda environment file."""
    pins: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        match = _PIN.match(line)
        if match and match.group(1).lower() not in SKIP:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tools/pins.py environment.yml", file=sys.stderr)
        return 2
    pins = read_pins(argv[1])
    if not pins:
        print(f"no 'name=version' pins found in {argv[1]}", file=sys.stderr)
        return 1
    for name, version in pins.items():
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
