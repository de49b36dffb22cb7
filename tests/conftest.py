"""Test-wide set-up: kernels started by papermill, nbclient or nbval use this interpreter's environment."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
os.environ.setdefault("PYTHONHASHSEED", "0")
# Kernels (nbval, papermill) draw inline, exactly as `mhsm build` does; this process keeps Agg (set above).
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
# Practice checks append to a check log (mhsm class-log); tests and their kernels write to a throwaway file,
# never to the developer's ~/.mhsm/check-log.jsonl.
os.environ["MHSM_CHECK_LOG"] = str(Path(tempfile.mkdtemp(prefix="mhsm-test-")) / "check-log.jsonl")
