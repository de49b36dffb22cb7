"""Constants, statuses and small helpers shared by every step of the grading pipeline."""
from __future__ import annotations

import hashlib

GRADED, TIMED_OUT, CRASHED = "graded", "timed out", "crashed"
MISSING_ANSWERS, NOT_A_NOTEBOOK, WRONG_LAB = "missing answers", "not a notebook", "wrong lab"
NOT_A_NOTEBOOK_ARCHIVE = "not a notebook: archive"  # an archive that does not hold exactly one notebook
NOT_SUBMITTED = "not submitted"  # a roster student with no submission
SUPERSEDED = "superseded"  # an older submission of a student (submissions.csv only)
STRAY, UNMATCHED = "not graded: stray copy", "unmatched file"
GRADER_ERROR = "grader error"  # the grader's own failure: shown, never stored as the student's result
ID_CHANGED = "id changed"  # the notebook used another student id than the grader's

GRADEBOOK, CANVAS, SUMMARY, SUMMARY_CHART = "gradebook.csv", "canvas.csv", "class_summary.csv", "class_summary.png"
SUBMISSIONS, MANIFEST, FEEDBACK_DIR = "submissions.csv", "manifest.json", "feedback"
GRADER_VERSION = 3  # 3: answers graded as their check saw them; the grader's id obeyed in the kernel
MANIFEST_FORMAT = "mhsm-grade-manifest-2"
LOCK = ".mhsm-grade.lock"
ANSWERS_FORMAT = "mhsm-answers-1"
MAX_ANSWERS_BYTES = 20_000_000


class GradingError(ValueError):
    """An instructor-side problem that stops a grading run (a missing solution, an unreadable roster)."""


class GradingInterrupted(BaseException):
    """The run was stopped by Ctrl-C or SIGTERM; what was graded is kept in the manifest.

    A ``BaseException``, like ``KeyboardInterrupt``: the signal handler raises it wherever the main thread is, and
    code that catches ``Exception`` (a practice check judging an answer, a library's retry loop) must not turn the
    stop into a result, such as a "check error" graded as 0 and kept in the manifest."""

    def __init__(self, signum: int, message: str):
        super().__init__(message)
        self.signum = signum



def _hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()



def _fmt_points(x: float) -> str:
    return f"{x:g}"


def _cell_label(index: int | None, labels: list[str]) -> str:
    if index is None or not (0 <= index < len(labels)):
        return "an unknown cell"
    return labels[index]
