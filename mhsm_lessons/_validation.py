"""Argument checks shared by the reference calculations.

Each helper raises ``ValueError`` (or ``TypeError``) with a message that names the argument, says what was
expected and what was given, so an analyst or a student knows what to fix. They return the cleaned value.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd


def _describe(value) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def number(name: str, value, *, minimum: float | None = None, positive: bool = False,
           allow_zero: bool = True) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``.

    >>> number("patient_days", 850)
    850.0
    >>> number("patient_days", -1, minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: patient_days must be at least 0; you gave -1. ...
    """
    value = plain(value)
    if placeholder(value) is not None:
        raise ValueError(missing_message(name, value))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; you gave {_describe(value)}.")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be a finite number; you gave {value!r}.")
    if positive and result <= 0:
        raise ValueError(f"{name} must be greater than 0; you gave {value!r}. "
                         f"A zero or negative {name} has no meaning here.")
    if not allow_zero and result == 0:
        raise ValueError(f"{name} must not be 0; you gave 0.")
    if minimum is not None and result < minimum:
        raise ValueError(f"{name} must be at least {minimum:g}; you gave {value!r}. "
                         "Check the sign and the units of this input.")
    return result


def array(name: str, values, *, minimum: float | None = None) -> np.ndarray:
    """Return ``values`` as a 1-D float array with no NaN or infinity, or raise naming ``name``.

    >>> array("counts", [1, 2, 3]).tolist()
    [1.0, 2.0, 3.0]
    """
    result, gaps = float_values(name, values)
    if gaps:
        first = min(gaps)
        raise ValueError(f"{name} has a missing value or placeholder at position {positions_text(sorted(gaps))} "
                         f"(position {first}: {gaps[first]}). This calculation needs a value in every row: "
                         "leave those rows out or fill them in from the source first.")
    if not np.all(np.isfinite(result)):
        raise ValueError(f"{name} contains infinite values; remove or fill them first.")
    if minimum is not None and result.size and result.min() < minimum:
        raise ValueError(f"{name} must not contain values below {minimum:g}; the smallest is {result.min():g}.")
    return result


def same_length(**arrays: np.ndarray) -> int:
    """Raise unless every array has the same length; return that length.

    >>> same_length(a=np.zeros(3), b=np.zeros(3))
    3
    """
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"These inputs must have the same length, one value per period: {detail}.")
    return next(iter(lengths.values()), 0)


def columns(name: str, frame, required) -> pd.DataFrame:
    """Raise unless ``frame`` is a DataFrame holding every column in ``required``.

    >>> columns("claims", pd.DataFrame({"a": [1]}), ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: claims is missing the column(s) 'b'. It has: 'a'.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame; you gave {_describe(frame)}.")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        have = ", ".join(repr(c) for c in frame.columns)
        raise ValueError(f"{name} is missing the column(s) {', '.join(repr(c) for c in missing)}. It has: {have}.")
    return frame


# --------------------------------------------------------------------------------------------------------------
# Missing values and the placeholders public files use where they publish no number

#: Text that public health-care files put in a cell where they publish no number, and what it means. Keys are
#: lower case with single spaces. Sources: CMS Provider Data Catalog / Care Compare files (footnote table:
#: "The number of cases is too small (<25) to reliably tell how well a hospital is performing", "No data is
#: available from the hospital for this measure"); CMS HRRP supplemental data file ("Hospitals with fewer than
#: 25 cases do not have an excess readmission ratio for that condition"); BLS OEWS tables ("*", "**", "#").
PLACEHOLDERS = {
    "": "a blank cell: no value was recorded",
    "nan": "a blank cell: no value was recorded",
    "none": "a blank cell: no value was recorded",
    "null": "a blank cell: no value was recorded",
    "na": "'not available' or 'not applicable': the source publishes no value here",
    "n/a": "'not available' or 'not applicable': the source publishes no value here (CMS leaves the excess "
           "readmission ratio blank or N/A for a condition with fewer than 25 eligible discharges)",
    "not available": "CMS's mark for a value the hospital did not submit or CMS does not publish",
    "not applicable": "CMS's mark for a measure that does not apply to this hospital or period",
    "too few to report": "CMS's mark for a measure with too few cases (fewer than 25) to report reliably",
    "*": "BLS's mark for an estimate it did not release (not available)",
    "**": "BLS's mark for an employment estimate it did not release (not available)",
    "#": "BLS's mark for a wage at or above the highest amount it publishes (top-coded): only a lower bound",
}


def _normal_text(value: str) -> str:
    return " ".join(str(value).strip().lower().split())


def placeholder(value) -> str | None:
    """What a missing value or a public-file placeholder means, or None when ``value`` is a real value.

    ``None``, ``pandas.NA``, ``NaT``, a float NaN and the texts in :data:`PLACEHOLDERS` (any capitalisation,
    spaces ignored) count as placeholders.

    >>> placeholder("Too Few to Report")
    "CMS's mark for a measure with too few cases (fewer than 25) to report reliably"
    >>> placeholder(3.0) is None
    True
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return PLACEHOLDERS[""]
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return PLACEHOLDERS[""]
    if isinstance(value, str):
        return PLACEHOLDERS.get(_normal_text(value))
    return None


def shown(value) -> str:
    """How a value appears in a message: text in quotes, NaN and pandas.NA by name."""
    if value is pd.NA:
        return "pd.NA"
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return "NaN"
    if value is None:
        return "None"
    return repr(value) if isinstance(value, str) else str(value)


def missing_message(name: str, value) -> str:
    """The message for a required single value that is missing or a placeholder."""
    return (f"{name} is {shown(value)}, {placeholder(value)}, so there is no number to calculate with. "
            f"Leave this row or period out, or fill in {name} from the source, before calling this function.")


def plain(value):
    """A numpy scalar, a 0-d array or a pandas scalar as the plain Python value it holds (else unchanged).

    >>> plain(np.int64(3)), plain(np.float64(2.5)), plain(np.str_(" B7 "))
    (3, 2.5, ' B7 ')
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def float_values(name: str, values) -> tuple[np.ndarray, dict[int, str]]:
    """A 1-D float array and ``{position: meaning}`` for every missing value or placeholder (NaN in the array).

    Accepts what pandas produces: float64 with NaN, nullable Int64/Float64 with ``pd.NA``, categoricals, object
    columns of numbers and placeholder text (a column that ``read_csv`` kept as text because of a placeholder),
    numpy scalars. Text that is neither a number nor a placeholder raises ``TypeError`` naming ``name``.

    >>> arr, gaps = float_values("counts", pd.Series([3, None, 5], dtype="Int64"))
    >>> arr.tolist(), sorted(gaps)
    ([3.0, nan, 5.0], [1])
    >>> float_values("counts", ["4", "Not Available", 2.0])[0].tolist()
    [4.0, nan, 2.0]
    """
    if isinstance(values, (str, bytes)) or values is None or isinstance(values, (dict, set)):
        raise TypeError(f"{name} must be a list, array or Series of numbers; you gave {_describe(values)}.")
    if isinstance(values, (pd.Series, pd.Index)):
        items = values.astype(object).tolist() if not pd.api.types.is_float_dtype(values.dtype) else None
        if items is None:
            arr = values.to_numpy(dtype=float)
            return arr, {int(i): PLACEHOLDERS[""] for i in np.flatnonzero(np.isnan(arr))}
    else:
        try:
            arr = np.asarray(values, dtype=float)
            if arr.ndim == 0:
                arr = arr.reshape(1)
            if arr.ndim != 1:
                raise ValueError(f"{name} must be one-dimensional; you gave an array of shape {arr.shape}.")
            return arr, {int(i): PLACEHOLDERS[""] for i in np.flatnonzero(np.isnan(arr))}
        except (TypeError, ValueError) as exc:
            if "one-dimensional" in str(exc):
                raise
        items = np.asarray(values, dtype=object)
        if items.ndim == 0:
            items = items.reshape(1)
        if items.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional; you gave an array of shape {items.shape}.")
        items = items.tolist()
    out = np.empty(len(items), dtype=float)
    gaps: dict[int, str] = {}
    for i, item in enumerate(items):
        item = plain(item)
        meaning = placeholder(item)
        if meaning is not None:
            out[i], gaps[i] = np.nan, meaning
            continue
        if isinstance(item, bool) or not isinstance(item, (numbers.Real, str)):
            raise TypeError(f"{name} must contain only numbers; position {i} is {_describe(item)}.")
        try:
            out[i] = float(item.strip().replace(",", "")) if isinstance(item, str) else float(item)
        except ValueError:
            raise TypeError(f"{name} must contain only numbers (or a blank for a missing period); position {i} "
                            f"is the text {item!r}.") from None
    return out, gaps


def positions_text(positions) -> str:
    """'5' or '1, 4 and 9' (0-based positions, at most ten shown)."""
    pos = [str(int(p)) for p in positions]
    if len(pos) > 10:
        pos = pos[:10] + ["..."]
    return pos[0] if len(pos) == 1 else ", ".join(pos[:-1]) + " and " + pos[-1]


def figure(value: float, decimals: int = 3, *, boundary: float | None = None) -> str:
    """A number with ``decimals`` decimals, and more when rounding would make it print as a neighbour.

    Without ``boundary`` more decimals are shown whenever the rounded text is not the value (a source figure
    such as NHSN's predicted 0.9995 is never shown as "1.000"). With ``boundary`` (for a computed ratio) more
    decimals are shown only when rounding would move the value onto or across it.

    >>> figure(0.62), figure(0.9995), figure(1.0), figure(3 / 4.2, boundary=1.0), figure(0.99951, boundary=1.0)
    ('0.620', '0.9995', '1.000', '0.714', '0.9995')
    """
    value = float(value)

    def side(x):
        return (x > boundary) - (x < boundary)

    for d in range(decimals, 13):
        text = f"{value:.{d}f}"
        if boundary is not None and side(float(text)) == side(value):
            return text
        if boundary is None and float(text) == value:
            return text
    return f"{value:.{decimals}f}" if boundary is None else text
