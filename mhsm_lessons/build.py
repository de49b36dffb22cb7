"""Execute notebooks so that their committed outputs are current and deterministic (``mhsm build``).

Notebooks run in a fresh ``python3`` kernel with ``PYTHONHASHSEED=0`` and the Agg/inline matplotlib backend, in
their own folder. Execution timing metadata is not recorded, and the random ids that ipywidgets gives its models
are replaced by ids derived from their order, so building twice gives byte-identical files.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

__all__ = ["execute_notebook", "build", "stable_widget_ids", "KERNEL_ENV"]

KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
_MODEL_ID = re.compile(r'"model_id": "([0-9a-f]{32})"')


def stable_widget_ids(text: str) -> str:
    """Replace every ipywidgets model id in a notebook's JSON text by one derived from its first appearance.

    >>> stable_widget_ids('{"model_id": "' + "ab" * 16 + '"} IPY_MODEL_' + "ab" * 16)
    '{"model_id": "00000000000000000000000000000001"} IPY_MODEL_00000000000000000000000000000001'
    """
    ids: list[str] = []
    for found in re.findall(r"[0-9a-f]{32}", text):
        if found not in ids and (f'"model_id": "{found}"' in text or f"IPY_MODEL_{found}" in text
                                 or f'"{found}": {{' in text):
            ids.append(found)
    for number, old in enumerate(ids, start=1):
        text = text.replace(old, f"{number:032x}")
    return text


def execute_notebook(nb: nbformat.NotebookNode, cwd: str | Path, timeout: int = 600,
                     store_widget_state: bool = True) -> nbformat.NotebookNode:
    """Execute ``nb`` in place in a fresh python3 kernel whose working directory is ``cwd``."""
    env = dict(os.environ, **KERNEL_ENV)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            store_widget_state=store_widget_state, resources={"metadata": {"path": str(cwd)}})
    client.execute(env=env)
    return nb


def build(paths, timeout: int = 600, echo=print) -> list[tuple[Path, float]]:
    """Re-execute each notebook in ``paths`` and write it back; return (path, seconds) for each."""
    timings = []
    for path in map(Path, paths):
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                     "language": "python"}
        execute_notebook(nb, path.parent.resolve(), timeout=timeout)
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        text = stable_widget_ids(nbformat.writes(nb) + "\n")
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        seconds = time.perf_counter() - start
        timings.append((path, seconds))
        echo(f"built {path} in {seconds:.1f} s")
    return timings
