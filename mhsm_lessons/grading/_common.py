"""Constants, statuses and small helpers shared by every step of the grading pipeline."""
from __future__ import annotations

import hashlib

GRADED, TIMED_OUT, CRASHED = "graded", "timed out", "crashed"
MISSING_ANSWERS, NOT_A_NOTEBOOK, WRONG_LAB = "missing answers", "not a notebook", "wrong lab"
NOT_SUBMITTED = "not submitted"  # a roster student with no submission
SUPERSEDED = "superseded"  # an older submission of a student (submissions.csv only)

GRADEBOOK, CANVAS, SUMMARY, SUMMARY_CHART = "gradebook.csv", "canvas.csv", "class_summary.csv", "class_summary.png"
SUBMISSIONS, MANIFEST, FEEDBACK_DIR = "submissions.csv", "manifest.json", "feedback"
GRADER_VERSION = 1
ANSWERS_FORMAT = "mhsm-answers-1"
MAX_ANSWERS_BYTES = 20_000_000
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", "MHSM_CHECK_LOG": "", "OMP_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


class GradingError(ValueError):
    """An instructor-side problem that stops a grading run (a missing solution, an unreadable roster)."""



def _hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()



def _fmt_points(x: float) -> str:
    return f"{x:g}"


def _cell_label(index: int | None, labels: list[str]) -> str:
    if index is None or not (0 <= index < len(labels)):
        return "an unknown cell"
    return labels[index]
