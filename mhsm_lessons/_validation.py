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
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be a list, array or Series of numbers; you gave {_describe(values)}.")
    try:
        result = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must contain only numbers; you gave {_describe(values)}.") from None
    if result.ndim == 0:
        result = result.reshape(1)
    if result.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; you gave an array of shape {result.shape}.")
    if not np.all(np.isfinite(result)):
        raise ValueError(f"{name} contains missing or infinite values; remove or fill them first.")
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
