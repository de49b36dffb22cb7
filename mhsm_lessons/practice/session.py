"""A lab session: one student's data, the lab's practice checks, progressive hints and a progress table.

>>> from mhsm_lessons import start_lab
>>> lab = start_lab("01_budgeting_lab", student_id="s001")
>>> lab.check("q1", ...).status
'not answered'
>>> print(lab.check("q1", "$12"))
❌ q1: not yet (RN flexible budget)
Your answer is text ('$12'), but this question asks for a single number (dollars). Remove the quotes (and any $, % or commas): write 12 rather than '$12'.
Stuck? Run lab.hint('q1') for a hint.
"""
from __future__ import annotations

import ast
import html
import os
import sys
from dataclasses import dataclass

import pandas as pd

from .._html import table_html
from .._paths import project_root
from ..data import load_dataset, normalize_student_id
from .checklog import CHECK_LOG_ENV, _append_check_log, answer_fingerprint, check_log_path
from .checks import CORRECT, NOT_ANSWERED, NOT_YET, RECORDED, CheckResult
from .compat import library_version_warning
from .identity import resolve_student_id
from .spec import LabSpec
from ..viz.style import escape_dollars

__all__ = ["LabSpec", "Lab", "HintText", "Progress", "start_lab", "list_labs", "check_log_path", "CHECK_LOG_ENV"]

PRACTICE_NOTE = "Practice checks: they show how you are doing; they do not record a grade."
_FROM_NOTEBOOK = object()  # lab.check(qid) without an answer reads the question's variable from the notebook


class NotDefined:
    """Stands in for an answer variable that does not exist yet (its answer cell failed or has not run)."""

    def __init__(self, name: str):
        self.name = str(name)

    def __repr__(self) -> str:
        return f"<{self.name} is not defined yet>"


def _lookup(namespace: dict, name: str):
    return namespace[name] if name in namespace else NotDefined(name)


class _SafeCheckCalls(ast.NodeTransformer):
    """Rewrite ``lab.check("q1", answer)`` so that an undefined ``answer`` reaches the check as :class:`NotDefined`.

    Registered with IPython by :func:`start_lab`: a check cell after a failed answer cell then says "not
    answered" instead of raising ``NameError`` (and Run All carries on).
    """

    def visit_Call(self, node):
        self.generic_visit(node)
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "check" and len(node.args) == 2
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and isinstance(node.args[1], ast.Name) and isinstance(node.args[1].ctx, ast.Load)):
            name = node.args[1].id
            lookup = ast.Attribute(value=ast.Call(func=ast.Name("__import__", ast.Load()),
                                                  args=[ast.Constant(__name__)],
                                                  keywords=[ast.keyword("fromlist", ast.List([ast.Constant("_")],
                                                                                            ast.Load()))]),
                                   attr="_lookup", ctx=ast.Load())
            globals_call = ast.Call(func=ast.Name("globals", ast.Load()), args=[], keywords=[])
            node.args[1] = ast.copy_location(ast.Call(func=lookup, args=[globals_call, ast.Constant(name)],
                                                      keywords=[]), node.args[1])
            ast.fix_missing_locations(node)
        return node


def _install_safe_checks() -> None:
    """Add the check-call rewriter to the running IPython shell, once (no-op outside IPython)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is None or not hasattr(shell, "ast_transformers"):
        return
    if not any(isinstance(t, _SafeCheckCalls) for t in shell.ast_transformers):
        shell.ast_transformers.append(_SafeCheckCalls())
    _install_plain_reprs(shell)


NOT_ANSWERED_REPR = "... (not answered yet)"


def _install_plain_reprs(shell) -> None:
    """Show an unanswered ``...`` and numpy numbers the way a student reads them, not as Python reprs.

    An answer cell that ends with its variable shows ``... (not answered yet)`` instead of ``Ellipsis``, and
    ``177593.304`` instead of ``np.float64(177593.304)``. Only plain-text display in this notebook changes.
    """
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", {})
    plain = formatters.get("text/plain")
    if plain is None:
        return
    import numpy as np

    plain.singleton_printers[id(...)] = lambda obj, p, cycle: p.text(NOT_ANSWERED_REPR)  # singletons come first
    # registered per concrete type: numpy defines __repr__ on each, which IPython would use before a base class's
    for kind in {t for t in np.sctypeDict.values() if issubclass(t, (np.number, np.bool_))}:
        plain.for_type(kind, lambda obj, p, cycle: p.text(repr(obj.item())))

# Grading mode (mhsm grade sets MHSM_GRADING=1 in the grading kernel, whose copy of the library has no answer
# key): a check records instead of judging, Lab.expected is unavailable, and the ids of the lab sessions started
# are kept so the grader can verify them. Practice mode is unchanged.
GRADING_ENV = "MHSM_GRADING"
GRADING_MESSAGE = "Your answer is recorded; the grader checks it outside this notebook."
_GRADING_SESSIONS: list[str] = []
_GRADING_REQUESTED: list[str] = []  # ids a notebook passed to start_lab/Lab that differ from the grader's
_GRADING_CHECKED: dict[str, object] = {}  # qid -> a copy of the value its last check saw (grading mode only)
_GRADER_ID: list[str] = []  # the grader's id, set by the cell mhsm grade injects; empty outside grading
_MAX_CHECKED = 200


def _grading() -> bool:
    return os.environ.get(GRADING_ENV) == "1"


def _grading_session_ids() -> list[str]:
    return list(_GRADING_SESSIONS)


def _grading_requested_ids() -> list[str]:
    """The ids the notebook asked for that the grader's id overrode (reported to the grader, which notes them)."""
    return list(_GRADING_REQUESTED)


def _grading_checked() -> dict:
    """The value each question's last check saw, by question id (encoded and judged by the grader, never here)."""
    return dict(_GRADING_CHECKED)


def _set_grader_id(student_id) -> None:
    """Called by the cell ``mhsm grade`` injects: from now on every lab session in this kernel uses this id.

    Only in grading mode. Calling it again (a notebook can) only changes the id its sessions report, and the
    grader flags a session id that is not its own.
    """
    if _grading():
        _GRADER_ID[:] = [normalize_student_id(student_id)]


def _record_checked(qid: str, answer) -> None:
    """Keep a copy of the value a check saw, so the grader grades the answer as the student checked it."""
    import copy

    if qid not in _GRADING_CHECKED and len(_GRADING_CHECKED) >= _MAX_CHECKED:
        return
    try:
        _GRADING_CHECKED[qid] = copy.deepcopy(answer)
    except Exception:  # noqa: BLE001 - an object that cannot be copied is kept as it is
        _GRADING_CHECKED[qid] = answer


@dataclass(frozen=True)
class HintText:
    """A hint as shown to the student (HTML in JupyterLab, text elsewhere)."""

    text: str

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (f"<div style='border-left:4px solid #c98a00;padding:4px 10px'>💡 "
                f"{escape_dollars(html.escape(self.text))}</div>")


@dataclass
class Progress:
    """The progress table of a lab: one row per question."""

    table: pd.DataFrame
    title: str

    def __str__(self) -> str:
        return f"{self.title}\n{PRACTICE_NOTE}\n\n{self.table.to_string(index=False)}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return escape_dollars(f"<strong>{html.escape(self.title)}</strong><br><small>{html.escape(PRACTICE_NOTE)}"
                              "</small>" + table_html(self.table, "Progress, question by question", index=False))


class Lab:
    """One student's session of a lab. Create it with :func:`start_lab`.

    Its checks compute the expected answers from this student's datasets (``lab.data(name)``), so every student
    can have different numbers without a hand-kept answer key.
    """

    def __init__(self, spec: LabSpec, student_id=None, *, check_log: bool = True):
        self.spec = spec
        if _grading() and _GRADER_ID:  # the grader's id is authoritative while a notebook is graded
            requested = normalize_student_id(student_id) if isinstance(student_id, (str, int)) else None
            if (requested is not None and requested != _GRADER_ID[0] and requested != "default"
                    and len(_GRADING_REQUESTED) < 100):
                _GRADING_REQUESTED.append(str(student_id)[:200])
            student_id = _GRADER_ID[0]
        self.student_id = normalize_student_id(student_id)
        typed = student_id if isinstance(student_id, str) else None
        #: Said to the student when the id they typed is read differently (capitals, extra spaces).
        self.id_note = (f"Your id {typed!r} is read as {self.student_id!r}: capital letters and extra spaces do not "
                        "change your data." if typed is not None and typed.strip() and typed != self.student_id
                        else "")
        self._check_log = check_log  # the grader turns it off: grading is not a student's attempt
        self._frames: dict[str, pd.DataFrame] = {}
        self._results: dict[str, CheckResult] = {}
        self._attempts: dict[str, int] = {}
        self._answers: dict[str, str] = {}  # fingerprint of the last answer checked per question
        self._hints_shown: dict[str, int] = {}
        if _grading():
            _GRADING_SESSIONS.append(self.student_id)

    def __repr__(self) -> str:
        text = (f"{self.spec.title} (lab {self.spec.lab_id!r}, student id {self.student_id!r}, "
                f"{len(self.spec.questions)} questions). {PRACTICE_NOTE}")
        return f"{text}\n{self.id_note}" if self.id_note else text

    def data(self, name: str) -> pd.DataFrame:
        """A fresh copy of one of this lab's datasets for this student."""
        if name not in self._frames:
            self._frames[name] = load_dataset(name, self.student_id)
        return self._frames[name].copy()

    def _unknown(self, qid) -> str:
        return f"There is no question {qid!r} in this lab. Its questions are: {', '.join(self.spec.qids)}."

    def check(self, qid: str, answer=_FROM_NOTEBOOK) -> CheckResult:
        """Check ``answer`` for question ``qid``; always returns a :class:`CheckResult`, never raises.

        Without ``answer``, the check reads the question's answer variable (for example ``rn_flexible_budget``)
        from the notebook that calls it, so a check cell ``lab.check("q1")`` says "not answered" rather than
        raising ``NameError`` when the answer cell has not run or stopped on an error.
        Each result is also appended to the instructor's check log (see :func:`check_log_path`).
        """
        question = self.spec.question(qid) if isinstance(qid, str) else None
        if question is None:
            return CheckResult(str(qid), NOT_YET, self._unknown(qid), "unknown question")
        if answer is _FROM_NOTEBOOK:
            namespace = sys._getframe(1).f_globals
            answer = namespace.get(question.variable, NotDefined(question.variable))
        if _grading():  # record the value as checked; the grader judges it outside this kernel
            if not isinstance(answer, NotDefined):
                _record_checked(qid, answer)
            return CheckResult(qid, RECORDED, GRADING_MESSAGE, None, question.title)
        if isinstance(answer, NotDefined):
            result = CheckResult(qid, NOT_ANSWERED, f"{answer.name} is not defined yet: run the answer cell above "
                                 "(and fix any error it shows), then run this cell again.", None, question.title)
            self._results[qid] = result
            return result
        try:
            result = question.evaluate(answer, self)
        except Exception as exc:  # noqa: BLE001 - a bug in the lab must not stop a student's notebook
            result = CheckResult(qid, NOT_YET, f"The check itself failed ({type(exc).__name__}). This is a problem "
                                               "in mhsm_lessons, not in your answer: please tell your instructor.",
                                 "check error", question.title)
        fingerprint = answer_fingerprint(answer)
        repeat = qid in self._results and self._answers.get(qid) == fingerprint  # e.g. an explorer's re-check
        self._answers[qid] = fingerprint
        if result.status != NOT_ANSWERED and not repeat:
            self._attempts[qid] = self._attempts.get(qid, 0) + 1
        self._results[qid] = result
        if self._check_log and not repeat:
            _append_check_log(self.spec.lab_id, self.student_id, result)
        return result

    def expected(self, qid: str):
        """The expected answer for this student (for instructors and for building solutions)."""
        if _grading():
            raise RuntimeError("Expected answers are not available while a notebook is being graded.")
        question = self.spec.question(qid)
        if question is None:
            raise KeyError(self._unknown(qid))
        return question.expected(self)

    def hint(self, qid: str) -> HintText:
        """Reveal the next hint for question ``qid``."""
        question = self.spec.question(qid) if isinstance(qid, str) else None
        if question is None:
            return HintText(self._unknown(qid))
        shown = self._hints_shown.get(qid, 0)
        total = len(question.hints)
        if shown >= total:
            where = ""  # named only where it exists: the student edition (on a hub) has no solutions
            if self.spec.solution_path and (project_root() / self.spec.solution_path).exists():
                where = f" The worked solution is in {self.spec.solution_path}."
            return HintText(f"No more hints for {qid}: you have seen all {total}.{where}")
        self._hints_shown[qid] = shown + 1
        return HintText(f"Hint {shown + 1} of {total} for {qid}: {question.hints[shown]}")

    def progress(self) -> Progress:
        """A table of this lab's questions with their status, attempts and hints used."""
        rows = []
        for q in self.spec.questions:
            result = self._results.get(q.qid)
            rows.append({"question": q.qid, "topic": q.title,
                         "status": result.status if result is not None else "not checked",
                         "attempts": self._attempts.get(q.qid, 0), "hints used": self._hints_shown.get(q.qid, 0)})
        table = pd.DataFrame(rows)
        done = int((table["status"] == CORRECT).sum())
        return Progress(table, f"{self.spec.title}: {done} of {len(rows)} questions correct")


def _labs() -> dict[str, LabSpec]:
    from ..labs import LABS
    return LABS


def list_labs() -> list[str]:
    """The ids of the labs that have practice checks.

    >>> "01_budgeting_lab" in list_labs()
    True
    """
    return sorted(_labs())


def start_lab(lab_id: str, student_id=None, *, requires: str | None = None) -> Lab:
    """Start a lab session for one student.

    Parameters
    ----------
    lab_id : str
        The lab notebook's stem, for example ``"01_budgeting_lab"``.
    student_id : str, optional
        Your student id; each id gets its own realistic numbers. When blank, the id comes from the environment
        variable ``MHSM_STUDENT_ID``, else ``JUPYTERHUB_USER`` (not on Binder), and the lab says which it used;
        with none of them it uses the course's shared default data and prints a warning.
    requires : str, optional
        The library version the exercise was released with (``mhsm release`` writes it); an older installed
        library prints a warning.

    Raises
    ------
    ValueError
        When there is no lab called ``lab_id`` (the message lists the labs).
    """
    labs = _labs()
    if lab_id not in labs:
        raise ValueError(f"There is no lab called {lab_id!r}. The labs are: {', '.join(sorted(labs))}.")
    _install_safe_checks()
    identity = resolve_student_id(student_id)  # argument, else MHSM_STUDENT_ID, else JUPYTERHUB_USER
    if identity.source != "argument" or identity.warning:
        identity.announce()  # a typed id is visible in its cell; any other source, or none, is said out loud
    too_old = library_version_warning(requires)
    if too_old:
        print(too_old, file=sys.stderr)
    return Lab(labs[lab_id], identity.student_id if identity.source != "argument" else student_id)
