"""Execute notebooks so that their committed outputs are current and deterministic (``mhsm build``).

Notebooks run in a fresh ``python3`` kernel with ``PYTHONHASHSEED=0`` and the Agg/inline matplotlib backend, in
their own folder. Execution timing metadata is not recorded, and the random ids that ipywidgets gives its models
are replaced by ids derived from their order, so building twice gives byte-identical files.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

__all__ = ["execute_notebook", "build", "stable_widget_ids", "KERNEL_ENV"]

# Building is not a student's attempt, so the practice-check log is off (MHSM_CHECK_LOG="").
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline", "MHSM_CHECK_LOG": ""}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def stable_widget_ids(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Renumber ipywidgets model ids in the order they are reached, so a rebuild gives the same file.

    Ids are numbered by first appearance in the cells' display outputs, then breadth-first through the
    ``IPY_MODEL_`` references in each model's stored state; any model not reached follows in the order of its
    state's content.

    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
    ...     "display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "ab" * 16}})]))
    >>> stable_widget_ids(nb).cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]["model_id"]
    '00000000000000000000000000000001'
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model_id: str):
        if model_id not in order:
            order.append(model_id)

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view and "model_id" in view:
                visit(view["model_id"])
    cursor = 0
    while cursor < len(order):
        body = json.dumps(state.get(order[cursor], {}), sort_keys=True)
        for ref in _REFERENCE.findall(body):
            visit(ref)
        cursor += 1
    for model_id in sorted((k for k in state if k not in order),
                           key=lambda k: json.dumps(state[k], sort_keys=True)):
        visit(model_id)
    text = nbformat.writes(nb)
    for number, old in enumerate(order, start=1):
        text = text.replace(old, f"{number:032x}")
    return nbformat.reads(text, as_version=4)


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
        text = nbformat.writes(stable_widget_ids(nb)) + "\n"
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        seconds = time.perf_counter() - start
        timings.append((path, seconds))
        echo(f"built {path} in {seconds:.1f} s")
    return timings
