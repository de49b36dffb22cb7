"""Where the course lives on disk: helpers that both the command line and the grader use."""
from __future__ import annotations

from pathlib import Path

__all__ = ["project_root"]


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``environment.yml`` and ``solutions/``; else ``start``."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "environment.yml").exists() and (folder / "solutions").is_dir():
            return folder
    return start
