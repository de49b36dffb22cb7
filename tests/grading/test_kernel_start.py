"""What a sandboxed grading kernel starts with (issue: grading speed): matplotlib's font list, staged once per run,
so no kernel reads every system font file again."""
from __future__ import annotations

import ast

import nbformat
import pytest
from matplotlib import font_manager

from mhsm_lessons.grading.kernel import Kernel
from mhsm_lessons.grading.sandbox import font_cache, stage_library

PROBE = ("import io, logging\n_log = io.StringIO()\n_h = logging.StreamHandler(_log)\n"
         "logging.getLogger('matplotlib.font_manager').addHandler(_h)\n"
         "logging.getLogger('matplotlib.font_manager').setLevel(logging.DEBUG)\n"
         "import os, matplotlib.font_manager as fm\n")


def _start_matplotlib(tmp_path, lib, isolation):
    nb = tmp_path / f"{isolation}.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), nb)
    work = tmp_path / f"work-{isolation}-{len(list(tmp_path.iterdir()))}"
    work.mkdir()
    kernel = Kernel(work, nb, isolation=isolation, lib=lib, slot=7, memory=4096 * 2 ** 20, cpu_seconds=120)
    try:
        kernel.connect(60)
        reply = kernel.execute(PROBE, 60, user_expressions={
            "log": "_log.getvalue()", "config": "os.environ['MPLCONFIGDIR']",
            "files": "sorted(os.listdir(os.environ['MPLCONFIGDIR']))",
            "writable": "[os.access(os.path.join(os.environ['MPLCONFIGDIR'], f), os.W_OK) for f in "
                        "os.listdir(os.environ['MPLCONFIGDIR'])]",
            "fonts": "len(fm.fontManager.ttflist)"})
    finally:
        kernel.kill()
    assert reply["status"] == "ok", reply
    assert all(v["status"] == "ok" for v in reply["user_expressions"].values()), reply["user_expressions"]
    return {k: ast.literal_eval(v["data"]["text/plain"]) for k, v in reply["user_expressions"].items()}


@pytest.mark.parametrize("isolation", ["bwrap", "none"])
def test_each_kernel_reads_the_staged_font_list_instead_of_every_font_file(tmp_path, isolation):
    lib = stage_library(tmp_path / "lib")
    staged = font_cache(lib)
    assert staged is not None and staged.name == f"fontlist-v{font_manager.FontManager.__version__}.json"
    seen = _start_matplotlib(tmp_path, lib, isolation)
    assert seen["config"].endswith("/tmp/matplotlib")  # the kernel's private folder, never the instructor's
    assert seen["files"] == [staged.name]
    assert seen["log"] == f"Using fontManager instance from {seen['config']}/{staged.name}\n"
    assert seen["writable"] == [True]  # the kernel's own copy: a rebuild (a font file gone) could still be saved
    assert seen["fonts"] == len(font_manager.fontManager.ttflist)


def test_without_the_staged_list_a_kernel_builds_its_own(tmp_path):
    # the cost this removes: shown, so the test above can fail
    lib = stage_library(tmp_path / "lib")
    font_cache(lib).unlink()
    seen = _start_matplotlib(tmp_path, lib, "bwrap")
    assert seen["log"].endswith("generated new fontManager\n")
    assert "Using fontManager instance from" not in seen["log"]
