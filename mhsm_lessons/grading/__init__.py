"""Batch grading of submitted lab notebooks (``mhsm grade``): gradebook, feedback pages and a class summary.

How a submission is graded
--------------------------
1. The file is read (never modified) and hashed. A file that is not a readable notebook, or a notebook of another
   lab, gets its row at once.
2. The student id comes from the roster (``--roster``, matched on the file name or the id), else from the
   ``STUDENT_ID = "..."`` assignment in the notebook's ``parameters`` cell (read, never run), else from the file
   name (``s042_01_budgeting_lab.ipynb`` and ``s042/01_budgeting_lab.ipynb`` both give ``s042``).
3. A copy runs in a temporary folder, in its own kernel process started by a separate runner process, with the
   id injected after the ``parameters`` cell, every cell allowed to fail (later cells still run), a per-cell time
   limit (the cell is interrupted and the run goes on), a per-notebook time limit (the kernel is killed), a memory
   limit on the kernel (``RLIMIT_AS``: enforced on Linux; where the ``resource`` module cannot set it the kernel
   runs without one), and cell outputs discarded as they arrive (so 10 MB of printing costs no memory).
4. A last, grader-owned cell writes each question's answer variable as plain JSON (numbers, text, tables as
   rows; never pickle). The grading decision is made here, in the instructor's process: a :class:`~.lab.Lab` is
   rebuilt for the student id and ``lab.check`` runs on the decoded answers. What the notebook did to its own
   check cells or to the library inside its kernel changes nothing.
5. Points per question come from the instructor's solution notebook (metadata ``mhsm.points``), never from a
   submission.

Two submissions for the same student: the newer file (modification time; on a tie, the later path in sort order)
is graded, and the row names both. A second run skips every submission whose content hash, student id and lab
are already in ``DIR/manifest.json`` (``--force`` grades everything again).

The student code runs with the instructor's user rights: grade untrusted work inside a container or a separate
account.
"""
from __future__ import annotations

__all__ = ["GradingError", "GradeSettings", "GradeRun", "grade", "read_points", "encode_answer", "decode_answer",
           "student_id_from_notebook", "student_id_from_filename", "read_roster",
           "GRADED", "TIMED_OUT", "CRASHED", "MISSING_ANSWERS", "NOT_A_NOTEBOOK", "WRONG_LAB", "NOT_SUBMITTED",
           "GRADEBOOK", "CANVAS", "SUMMARY", "SUMMARY_CHART", "SUBMISSIONS", "MANIFEST", "FEEDBACK_DIR"]

from ._common import (CANVAS, CRASHED, FEEDBACK_DIR, GRADEBOOK, GRADED, MANIFEST, MISSING_ANSWERS, NOT_A_NOTEBOOK,
                      NOT_SUBMITTED, SUBMISSIONS, SUMMARY, SUMMARY_CHART, TIMED_OUT, WRONG_LAB, GradingError)
from .answers import decode_answer, encode_answer
from .collect import GradeSettings, read_points, read_roster, student_id_from_filename, student_id_from_notebook
from .run import GradeRun, grade
