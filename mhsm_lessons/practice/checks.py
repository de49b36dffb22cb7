"""Practice checks: compare a student's answer with the expected answer computed from the student's own data.

A check never raises on student input. It compares type and shape before value, uses the explicit tolerance
of each question, recognises common misconceptions and explains them in management terms, and returns a
:class:`CheckResult` whose status is ``"correct"``, ``"not yet"`` or ``"not answered"``.

These are practice checks: they do not record or promise a grade.
"""
from __future__ import annotations

import decimal
import html
import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..viz.style import escape_dollars

__all__ = ["CORRECT", "NOT_YET", "NOT_ANSWERED", "CheckResult", "Misconception", "Question",
           "Number", "Proportion", "Percent", "Label", "Table", "describe_answer"]

CORRECT, NOT_YET, NOT_ANSWERED = "correct", "not yet", "not answered"
RECORDED = "recorded for grading"  # grading mode only (mhsm grade): the grading kernel holds no answer key
_ICONS = {CORRECT: "✅", NOT_YET: "❌", NOT_ANSWERED: "⬜", RECORDED: "📝"}
_COLORS = {CORRECT: "#1b7f3b", NOT_YET: "#a61b1b", NOT_ANSWERED: "#555555", RECORDED: "#555555"}

SIGN_FLIP_MESSAGE = (
    "Your answer has the right size but the opposite sign. In this course a variance is actual − budget: on an "
    "expense line a positive variance means spending above budget (Unfavorable). You may have computed "
    "budget − actual, the convention some finance texts (Gapenski & Reiter) use."
)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one practice check. Renders as HTML in JupyterLab and as plain text elsewhere."""

    qid: str
    status: str
    message: str
    misconception: str | None = None
    title: str = ""

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        head = f"{_ICONS[self.status]} {self.qid}: {self.status}"
        if self.title:
            head += f" ({self.title})"
        text = f"{head}\n{self.message}"
        if self.status == NOT_YET:
            text += f"\nStuck? Run lab.hint({self.qid!r}) for a hint."
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        esc = html.escape
        extra = (f"<br><small>Stuck? Run <code>lab.hint({esc(repr(self.qid))})</code> for a hint.</small>"
                 if self.status == NOT_YET else "")
        title = f" <span style='font-weight:normal'>({esc(self.title)})</span>" if self.title else ""
        return (f"<div style='border-left:4px solid {_COLORS[self.status]};padding:4px 10px;margin:4px 0'>"
                f"<strong>{_ICONS[self.status]} {esc(self.qid)}: {esc(self.status)}</strong>{title}<br>"
                f"{escape_dollars(esc(self.message))}{extra}</div>")

    def to_dict(self) -> dict:
        return {"qid": self.qid, "status": self.status, "message": self.message,
                "misconception": self.misconception}


# ----------------------------------------------------------------------------------------------------------------
# Describing answers safely (a student's object may have a broken __repr__ or __eq__).

def _safe_repr(value, limit: int = 40) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - hostile or broken objects
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_answer(value) -> str:
    """A short, student-friendly description of an answer's type and shape.

    >>> describe_answer(pd.Series([1, 2, 3]))
    'a pandas Series with 3 values'
    >>> describe_answer("$1,200")
    "text ('$1,200')"
    """
    if value is None:
        return "None"
    if isinstance(value, pd.DataFrame):
        return f"a pandas DataFrame ({value.shape[0]} rows × {value.shape[1]} columns)"
    if isinstance(value, pd.Series):
        return f"a pandas Series with {len(value)} value{'s' if len(value) != 1 else ''}"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    if isinstance(value, (list, tuple, set, dict)):
        return f"a {type(value).__name__} with {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, str):
        return f"text ({_safe_repr(value)})"
    if isinstance(value, (bool, np.bool_)):
        return f"the boolean {bool(value)}"
    return f"a {type(value).__name__} ({_safe_repr(value)})"


# ----------------------------------------------------------------------------------------------------------------
# Answer kinds: each validates type and shape, normalises, and compares with an explicit tolerance.

class _Reject(Exception):
    """Internal: the answer has the wrong type or shape; the message says so."""

    def __init__(self, message: str, key: str = "wrong type"):
        super().__init__(message)
        self.message, self.key = message, key


def _fmt_number(x: float, unit: str) -> str:
    if unit == "dollars":
        return f"-${abs(x):,.2f}" if x < 0 else f"${x:,.2f}"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.2f}"


@dataclass(frozen=True)
class Number:
    """A single finite number compared within ``tolerance`` (absolute, in the answer's unit)."""

    unit: str
    tolerance: float
    signed: bool = False  # a variance: recognise the opposite sign as the actual-vs-budget misconception
    what: str = "a number"

    def expects(self) -> str:
        return f"a single number ({self.unit})"

    def normalize(self, value) -> float:
        if value is None:
            raise _Reject("Your answer is None, so there is nothing to check yet. Assign the result of your "
                          "calculation to the answer variable (a function that prints instead of returning "
                          "gives None).", "none")
        if isinstance(value, (bool, np.bool_)):
            raise _Reject(f"Your answer is the boolean {bool(value)}, but this question asks for "
                          f"{self.expects()}.")
        if isinstance(value, str):
            cleaned = value.strip().replace(",", "").replace("$", "").replace("%", "")
            try:
                float(cleaned)
                tip = (f" Remove the quotes (and any $, % or commas): write {cleaned} rather than "
                       f"{_safe_repr(value)}.")
            except ValueError:
                tip = " Assign the result of a calculation, not a sentence."
            raise _Reject(f"Your answer is text ({_safe_repr(value)}), but this question asks for "
                          f"{self.expects()}.{tip}", "text")
        if isinstance(value, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
            size = value.size if isinstance(value, (pd.DataFrame, np.ndarray)) else len(value)
            if size == 1:
                raise _Reject(f"Your answer is {describe_answer(value)} holding one value, but this question "
                              f"asks for the number itself. Take it out with .item() (or .iloc[0] for a "
                              "Series).", "container")
            raise _Reject(f"Your answer is {describe_answer(value)}, but this question asks for "
                          f"{self.expects()}. Select the one month the task names (for example with .loc) or "
                          "add the values up, as the task says.", "container")
        if value is pd.NA or value is pd.NaT:
            raise _Reject("Your answer is a missing value (NA). This usually means a filter matched no rows: "
                          "check the month and the column names.", "nan")
        if isinstance(value, decimal.Decimal):
            value = float(value)
        if isinstance(value, complex) or isinstance(value, np.complexfloating):
            raise _Reject(f"Your answer is a complex number, but this question asks for {self.expects()}.")
        if not isinstance(value, numbers.Real):
            raise _Reject(f"Your answer is {describe_answer(value)}, but this question asks for "
                          f"{self.expects()}.")
        try:
            x = float(value)
        except Exception:  # noqa: BLE001
            raise _Reject(f"Your answer ({_safe_repr(value)}) could not be read as a number.") from None
        if math.isnan(x):
            raise _Reject("Your answer is NaN (not a number). This usually means a filter matched no rows, a "
                          "column name is misspelled, or a value was missing. Print the pieces of your "
                          "calculation to see where the NaN comes from.", "nan")
        if math.isinf(x):
            raise _Reject("Your answer is infinite. This usually means a division by zero: check the "
                          "denominator of your calculation.", "inf")
        return x

    def close(self, a: float, b: float) -> bool:
        return abs(a - b) <= self.tolerance * (1 + 1e-9) + 1e-12

    def extra_misconception(self, answer: float, expected: float) -> tuple[str, str] | None:
        if self.signed and expected != 0 and abs(expected) > self.tolerance and self.close(answer, -expected):
            return "reversed sign", SIGN_FLIP_MESSAGE
        return None

    def near_miss(self, answer: float, expected: float) -> str | None:
        if expected != 0 and abs(answer - expected) <= 0.01 * abs(expected):
            return (f"Your answer {_fmt_number(answer, self.unit)} is close, but not within the tolerance of "
                    f"±{self.tolerance:g} {self.unit}. Keep full precision in the intermediate steps and round "
                    "only at the end.")
        return None

    def wrong(self, answer: float) -> str:
        return (f"Your answer {_fmt_number(answer, self.unit)} is not {self.what} yet. Check each input "
                "against the task: the month, the rows you selected and the formula.")


@dataclass(frozen=True)
class Proportion(Number):
    """A proportion between 0 and 1; a percentage given instead gets its own message."""

    unit: str = field(default="proportion", kw_only=True)

    def expects(self) -> str:
        return "a proportion between 0 and 1"

    def extra_misconception(self, answer, expected):
        if self.close(answer / 100.0, expected) and abs(expected) > self.tolerance:
            return ("percent for proportion",
                    f"Your answer {answer:g} looks like a percentage. This question asks for a proportion "
                    "between 0 and 1: divide by 100 (for example 0.873, not 87.3).")
        return super().extra_misconception(answer, expected)


@dataclass(frozen=True)
class Percent(Number):
    """A percentage (4.2 means 4.2%); a proportion given instead gets its own message."""

    unit: str = field(default="percent", kw_only=True)

    def expects(self) -> str:
        return "a percentage such as 4.2 (meaning 4.2%)"

    def extra_misconception(self, answer, expected):
        # A proportion rounded to three decimals (0.083 for 8.32%) still counts as this mix-up.
        if abs(expected) > self.tolerance and abs(answer * 100.0 - expected) <= max(self.tolerance, 0.1):
            return ("proportion for percent",
                    f"Your answer {answer:g} looks like a proportion. This question asks for a percentage: "
                    "multiply by 100 (for example 4.2, not 0.042).")
        return super().extra_misconception(answer, expected)


_LABEL_CLEAN = re.compile(r"[^a-z ]")


@dataclass(frozen=True)
class Label:
    """One word from a fixed set, such as Favorable / Unfavorable. Case and spelling variants are accepted."""

    choices: dict  # canonical -> tuple of accepted lower-case spellings
    what: str = "the label"

    def expects(self) -> str:
        return " or ".join(f"'{c}'" for c in self.choices)

    def normalize(self, value) -> str:
        if value is None:
            raise _Reject(f"Your answer is None. Assign one of {self.expects()} (in quotes) to the answer "
                          "variable.", "none")
        if not isinstance(value, str):
            raise _Reject(f"Your answer is {describe_answer(value)}, but this question asks for one of the "
                          f"words {self.expects()}, in quotes.")
        key = _LABEL_CLEAN.sub("", value.strip().lower()).strip()
        for canonical, spellings in self.choices.items():
            if key == canonical.lower() or key in spellings:
                return canonical
        raise _Reject(f"Your answer {_safe_repr(value)} is not one of the labels this question accepts: "
                      f"{self.expects()}.", "unknown label")

    def close(self, a, b) -> bool:
        return a == b

    def extra_misconception(self, answer, expected):
        return None

    def near_miss(self, answer, expected):
        return None

    def wrong(self, answer) -> str:
        return f"{answer} is not {self.what} yet. Work out the variance first, then decide what it means."


@dataclass(frozen=True)
class Table:
    """A DataFrame with required columns, one row per ``key`` value, numbers compared within ``tolerance``.

    ``sign_column`` names a variance column whose reversal is the actual-vs-budget misconception; ``label_column``
    holds Favorable/Unfavorable words.
    """

    key: str
    numeric: tuple[str, ...]
    tolerance: float
    text: tuple[str, ...] = ()
    sign_column: str | None = None
    label_column: str | None = None
    what: str = "the table"
    row_name: str = "row"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.key, *self.numeric, *self.text)

    def normalize(self, value) -> pd.DataFrame:
        cols = ", ".join(self.columns)
        if value is None:
            raise _Reject(f"Your answer is None. Assign a pandas DataFrame with the columns {cols}.", "none")
        if not isinstance(value, pd.DataFrame):
            raise _Reject(f"Your answer is {describe_answer(value)}, but this question asks for a table (a "
                          f"pandas DataFrame) with the columns {cols}.")
        if self.key not in value.columns and value.index.name == self.key:
            value = value.reset_index()
        missing = [c for c in self.columns if c not in value.columns]
        if missing:
            have = ", ".join(repr(str(c)) for c in value.columns) or "no columns"
            raise _Reject(f"Your table is missing the column(s) {', '.join(repr(c) for c in missing)}. It has: "
                          f"{have}. Name the columns exactly as the task says.", "missing columns")
        if value.empty:
            raise _Reject("Your table has no rows. Check the filter you used to select the month.", "empty")
        frame = value[list(self.columns)].copy()
        keys = frame[self.key].astype(str)
        if keys.duplicated().any():
            raise _Reject(f"Your table has {len(frame)} rows and some {self.row_name}s appear more than once. "
                          f"The report needs exactly one row per {self.row_name}: filter to the one month the "
                          "task names first.", "duplicate rows")
        for col in self.numeric:
            series = frame[col]
            if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
                raise _Reject(f"The column {col!r} should hold numbers (dollars), but it holds "
                              f"{series.dtype} values. Compute it rather than typing text.", "text column")
            bad = keys[~np.isfinite(series.astype(float).to_numpy())]
            if len(bad):
                raise _Reject(f"The column {col!r} has missing or infinite values, for example for "
                              f"{bad.iloc[0]!r}.", "nan")
        frame[self.key] = keys
        return frame.set_index(self.key)

    def close(self, a: pd.DataFrame, b: pd.DataFrame) -> bool:
        return self.first_difference(a, b) is None

    def first_difference(self, a: pd.DataFrame, b: pd.DataFrame) -> str | None:
        missing = [k for k in b.index if k not in a.index]
        if missing:
            return (f"Your table is missing these {self.row_name}s: {', '.join(repr(k) for k in missing[:3])}"
                    f"{' and more' if len(missing) > 3 else ''}.")
        extra = [k for k in a.index if k not in b.index]
        if extra:
            return f"Your table has {self.row_name}s that do not belong in it: {', '.join(repr(k) for k in extra[:3])}."
        for col in self.numeric:
            diff = (a.loc[b.index, col].astype(float) - b[col].astype(float)).abs() > self.tolerance * (1 + 1e-9)
            if diff.any():
                return (f"The {col!r} value for {diff[diff].index[0]!r} does not match. Check the month and the "
                        f"formula for {col!r}.")
        for col in self.text:
            got = a.loc[b.index, col].astype(str).str.strip().str.lower()
            want = b[col].astype(str).str.lower()
            diff = got != want
            if diff.any():
                return f"The {col!r} for {diff[diff].index[0]!r} is not right."
        return None

    def extra_misconception(self, answer: pd.DataFrame, expected: pd.DataFrame):
        if self.sign_column and set(answer.index) == set(expected.index):
            got = answer.loc[expected.index, self.sign_column].astype(float)
            want = expected[self.sign_column].astype(float)
            nonzero = want.abs() > self.tolerance
            if nonzero.any() and ((got[nonzero] + want[nonzero]).abs() <= self.tolerance).all():
                return "reversed sign", (
                    f"Every value in {self.sign_column!r} has the opposite sign. In this course a variance is "
                    "actual − budget: on an expense line a positive variance means spending above budget "
                    "(Unfavorable). You may have computed budget − actual, the convention some finance texts "
                    "(Gapenski & Reiter) use.")
        return None

    def near_miss(self, answer, expected):
        return None

    def wrong(self, answer) -> str:
        return f"{self.what[0].upper()}{self.what[1:]} is not right yet."


# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Misconception:
    """A likely mistake: ``value(ctx)`` computes what that mistake produces; ``message`` explains it."""

    key: str
    value: Callable[[Any], Any]
    message: str


@dataclass(frozen=True)
class Question:
    """One auto-checked question of a lab.

    ``expected(ctx)`` computes the answer from the student's own data (``ctx`` is the lab, whose ``data(name)``
    loads the student's datasets) with the library's reference calculations.
    """

    qid: str
    title: str
    variable: str
    kind: Any
    expected: Callable[[Any], Any]
    misconceptions: tuple[Misconception, ...] = ()
    hints: tuple[str, ...] = ()
    success: str = ""
    points: float = 1.0
    #: Optional ``f(value, ctx) -> str`` put before ``success`` on a correct answer, to word the student's own number.
    success_detail: Callable[[Any, Any], str] | None = None

    def _success_message(self, value, ctx) -> str:
        """``success_detail(value, ctx)`` (the student's own number in words), then the fixed ``success`` text."""
        fixed = self.success or "Well done."
        if self.success_detail is None:
            return fixed
        try:
            return f"{self.success_detail(value, ctx)} {fixed}"
        except Exception:  # noqa: BLE001 - a wording bug must not turn a right answer into an error
            return fixed

    def evaluate(self, answer, ctx) -> CheckResult:
        """Check ``answer``; never raises for any student input."""
        def result(status, message, key=None):
            return CheckResult(self.qid, status, message, key, self.title)

        if answer is ...:
            return result(NOT_ANSWERED, f"Replace the ... in {self.variable} = ... with your answer, then run "
                                        "this cell again.")
        try:
            value = self.kind.normalize(answer)
        except _Reject as reject:
            return result(NOT_YET, reject.message, reject.key)
        except Exception as exc:  # noqa: BLE001 - a hostile object must not crash the check
            return result(NOT_YET, f"The check could not read your answer ({type(exc).__name__}). Assign a plain "
                                   f"value of the kind the task asks for.", "unreadable")
        expected = self.kind.normalize(self.expected(ctx))
        if self.kind.close(value, expected):
            return result(CORRECT, self._success_message(value, ctx))
        for m in self.misconceptions:
            try:
                wrong = m.value(ctx)
                wrong = self.kind.normalize(wrong)
            except Exception:  # noqa: BLE001 - a misconception that does not apply to this data
                continue
            if self.kind.close(value, wrong) and not self.kind.close(wrong, expected):
                return result(NOT_YET, m.message, m.key)
        extra = self.kind.extra_misconception(value, expected)
        if extra:
            return result(NOT_YET, extra[1], extra[0])
        if isinstance(self.kind, Table):
            return result(NOT_YET, self.kind.first_difference(value, expected) or self.kind.wrong(value), "wrong")
        near = self.kind.near_miss(value, expected)
        if near:
            return result(NOT_YET, near, "rounding")
        return result(NOT_YET, self.kind.wrong(value), "wrong")
