"""Batch grading of submitted lab notebooks (``mhsm grade``): gradebook, feedback pages and a class summary.

Trust model
-----------
A submitted notebook is treated as hostile: it may try to read the answer key, forge its answers, or turn the
grader against the instructor or a classmate.

What the student's code can reach. Each submission runs in its own Jupyter kernel inside a bubblewrap sandbox
(``--isolation bwrap``, the default; see :mod:`.sandbox`). There it sees a private copy of its own notebook in a
size-capped home folder (the only writable place besides a private ``/tmp`` and the folder holding its own kernel
sockets), the Python installation, the virtual environment and a grading copy of ``mhsm_lessons``, all read-only.
The grading copy has no answer key: no question definitions, no expected-answer functions, no ``Lab.expected``;
a ``lab.check`` there says "recorded for grading". The kernel runs as an unprivileged user with no capabilities,
under memory, CPU-time, file-size and (as root) process limits, and the per-cell and per-notebook time limits.

What it cannot reach. The course folder (solutions, datasets, the roster, other notebooks), the ``--out`` folder
(gradebook, manifest, feedback), other submissions, the instructor's home and environment variables, the
network, and every process outside its sandbox (``/proc`` shows only its own; a new PID namespace means nothing
it starts outlives it: when the grader kills the sandbox every process in it dies).

How a grade is decided. Before the class, the instructor's own solution is graded once in the same sandbox (the
pre-flight, :mod:`.preflight`); if it does not score full marks, the run stops with exit status 2 and blames the
set-up, writing no student row. Kernels start from the grader's own interpreter (``sys.executable -m
ipykernel_launcher``), never from a kernelspec found on Jupyter's search path. The instructor's process sends the
notebook's code cells to the kernel one by one, with the grader's ``STUDENT_ID`` injected after the
``parameters`` cell (or, without that tag, after the cell that assigns ``STUDENT_ID``, found by reading the
code); from then on every lab session in that kernel uses the grader's id, whatever the notebook passes to
``start_lab``. Each check cell records, in grading mode, a copy of the value it saw. After the last cell the
grader asks the kernel, over the Jupyter protocol, for the answer variables, those checked values,
``STUDENT_ID``, the ids of the lab sessions started and any other id the notebook asked ``start_lab`` for; there
is no answers file, PID file or job file the kernel could write. The reply is plain data (numbers, text, tables;
never pickle), decoded with size limits, and each answer, as its check saw it (the final value when no check
ran; a later change is noted in the feedback), is checked in the instructor's process against the expected
answer computed there for the student's id. No "correct" flag ever comes from the kernel. Points come from the
instructor's solution notebook. A notebook that changed ``STUDENT_ID`` or started a lab session for another id
gets an "id changed" row. Whatever a notebook does inside its kernel, the most it can do is report values:
without the key it cannot know which are right.

Who a file belongs to (see :mod:`.identity`): every file is collected and its content, not its extension,
decides what it is (a notebook, also as ``.ipynb.txt`` or ``.ipynb.json``; a zip archive holding one notebook,
read in memory with size caps; anything else gets a "not a notebook" row). Then: the roster's ``file`` column, an
LMS download name (Canvas, Blackboard, Moodle) matched to the roster's LMS ids, the student's folder, the id in
the file name, and only then the ``STUDENT_ID`` or ``start_lab`` id typed in the notebook, always with a note.
Ids compare after NFC normalisation and case folding. Stray copies (checkpoints, system files, a ``-Copy1`` whose
student also handed in the original, ``Untitled``) are listed, not graded; with a roster, a file that names no
roster student is an "unmatched file" row.

A run that survives faults. A lock stops a second run into the same ``--out``; each result is committed to
``manifest.json`` as soon as its submission finishes; Ctrl-C or SIGTERM kill every sandbox, remove the temporary
folders, keep what was graded and write the gradebook so far (run the same command again to resume); the
grader's own failures (a sandbox that would not start, a full disk) are shown as "grader error" and never stored
as the student's result. Outputs are built from the manifest of every run into ``--out``, so grading a late
folder adds to the class. CSV cells that a spreadsheet would run as a formula are neutralised.

On a cluster (``--scheduler ADDRESS``, see :mod:`.cluster`). Dask workers run the notebooks in the same sandbox;
the student's kernel never talks to Dask. The workers are trusted like the instructor's machine: they return
what the runner saw (plain data), and the instructor's process still decides every grade and owns the lock, the
manifest and the outputs. Anyone who can submit work to the scheduler can run code on the workers, so its port
must be reachable only by the instructor (or secured with Dask's TLS settings).

What the instructor must still do. Install bubblewrap (``apt-get install bubblewrap``) and grade on Linux (on
macOS or Windows, inside a Linux VM or container); keep the course folder and ``--out`` out of reach of students
(the sandbox protects them from notebooks, not from people); use ``--isolation none`` only for notebooks you
trust; read rows marked "id changed", "unmatched file" and "grader error"; and review outliers by hand: the
sandbox stops forging, not a student copying a classmate's work. A notebook can still use its CPU and memory
allowance, write up to its folder size limits, and take up to the notebook time limit.
"""
from __future__ import annotations

__all__ = ["GradingError", "GradingInterrupted", "GradeSettings", "GradeRun", "grade", "read_points",
           "encode_answer", "decode_answer", "student_id_from_notebook", "student_id_from_filename", "read_roster",
           "GRADED", "TIMED_OUT", "CRASHED", "MISSING_ANSWERS", "NOT_A_NOTEBOOK", "NOT_A_NOTEBOOK_ARCHIVE",
           "WRONG_LAB", "NOT_SUBMITTED",
           "GRADER_ERROR", "ID_CHANGED", "STRAY", "UNMATCHED",
           "GRADEBOOK", "CANVAS", "SUMMARY", "SUMMARY_CHART", "SUBMISSIONS", "MANIFEST", "FEEDBACK_DIR"]

from ._common import (CANVAS, CRASHED, FEEDBACK_DIR, GRADEBOOK, GRADED, GRADER_ERROR, ID_CHANGED, MANIFEST,
                      MISSING_ANSWERS, NOT_A_NOTEBOOK, NOT_A_NOTEBOOK_ARCHIVE, NOT_SUBMITTED, STRAY, SUBMISSIONS, SUMMARY, SUMMARY_CHART,
                      TIMED_OUT, UNMATCHED, WRONG_LAB, GradingError, GradingInterrupted)
from .answers import decode_answer, encode_answer
from .collect import GradeSettings, read_points, read_roster, student_id_from_filename, student_id_from_notebook
from .run import GradeRun, grade
