"""environment.yml is the single source of truth: its pins and pyproject's dependencies must not drift apart."""
from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from pins import read_pins  # noqa: E402


def declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    out = {}
    for spec in specs:
        name, lower = re.fullmatch(r"([A-Za-z0-9_.\-]+)>=([0-9.]+)", spec).groups()
        out[name.lower()] = lower
    return out


def as_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def test_environment_and_pyproject_name_the_same_packages():
    assert set(read_pins(ROOT / "environment.yml")) == set(declared())


def test_every_pin_satisfies_the_declared_range():
    pins = read_pins(ROOT / "environment.yml")
    for name, lower in declared().items():
        assert as_tuple(pins[name]) >= as_tuple(lower), (name, pins[name], lower)


def test_the_installed_stack_is_exactly_the_pins():
    """CI installs from these pins; a stale .venv or a hand-installed package shows up here."""
    for name, pin in read_pins(ROOT / "environment.yml").items():
        assert version(name) == pin, name


def test_environment_is_binder_ready():
    text = (ROOT / "environment.yml").read_text()
    assert "conda-forge" in text and "python=3.11" in text
    assert re.search(r"- pip:\n\s+- -e \.\n", text)


def test_pins_tool_reports_an_empty_file(tmp_path):
    import subprocess
    empty = tmp_path / "environment.yml"
    empty.write_text("name: x\ndependencies:\n  - python=3.11\n")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "pins.py"), str(empty)], capture_output=True, text=True)
    assert run.returncode == 1 and run.stderr == f"no 'name=version' pins found in {empty}\n"
