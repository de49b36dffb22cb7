"""Answers as plain data: the encoder run inside the student kernel and the decoder run only here."""
from __future__ import annotations

import math
import re
from typing import Any

from ._common import ANSWERS_FORMAT

# The encoder's source is sent to the student kernel over the Jupyter protocol after the last cell (its result
# comes back as a reply) and, for tests, run here; the decoder runs only here and never trusts what it is given.

_ENCODER_SOURCE = r'''
def _mhsm_encode(value, depth=0):
    import math, sys
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    max_items, max_text = 10000, 10000

    def kind(v):
        try:
            return type(v).__name__
        except Exception:
            return "object"

    def text(v, limit=200):
        try:
            t = repr(v)
            t = t if isinstance(t, str) else "<" + kind(v) + " object>"
        except Exception:
            t = "<" + kind(v) + " object>"
        return t if len(t) <= limit else t[: limit - 3] + "..."

    def number(x):
        x = float(x)
        return x if math.isfinite(x) else {"$float": repr(x)}

    def cell(v):
        if v is None or (pd is not None and (v is pd.NA or v is pd.NaT)):
            return None
        if isinstance(v, bool) or (np is not None and isinstance(v, np.bool_)):
            return bool(v)
        if isinstance(v, int) or (np is not None and isinstance(v, np.integer)):
            v = int(v)
            return v if abs(v) < 2 ** 63 else number(v)
        if isinstance(v, float) or (np is not None and isinstance(v, np.floating)):
            return number(v)
        if isinstance(v, str):
            return str(v[:max_text])
        return {"$repr": text(v)}

    if value is ...:
        return {"type": "ellipsis"}
    if value is None:
        return {"type": "none"}
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return {"type": "na"}
    if isinstance(value, bool) or (np is not None and isinstance(value, np.bool_)):
        return {"type": "bool", "value": bool(value)}
    if isinstance(value, int) or (np is not None and isinstance(value, np.integer)):
        v = int(value)
        return {"type": "int", "value": v} if abs(v) < 2 ** 63 else {"type": "float", "value": number(v)}
    if isinstance(value, float) or (np is not None and isinstance(value, np.floating)):
        return {"type": "float", "value": number(value)}
    if isinstance(value, complex) or (np is not None and isinstance(value, np.complexfloating)):
        return {"type": "complex", "real": number(value.real), "imag": number(value.imag)}
    if type(value).__name__ == "Decimal":
        return {"type": "float", "value": number(value)}
    if isinstance(value, str):
        return {"type": "str", "value": str(value[:max_text]), "length": len(value)}
    if pd is not None and isinstance(value, pd.DataFrame):
        rows = value.iloc[:max_items]
        index = None
        if not isinstance(value.index, pd.RangeIndex) or value.index.name is not None:
            index = {"names": [cell(n) for n in value.index.names],
                     "values": [cell(v) for v in rows.index.tolist()]}
        return {"type": "dataframe", "shape": [int(value.shape[0]), int(value.shape[1])],
                "columns": [cell(c) for c in value.columns.tolist()[:max_items]], "index": index,
                "rows": [[cell(v) for v in row[:max_items]] for row in rows.itertuples(index=False, name=None)]}
    if pd is not None and isinstance(value, pd.Series):
        part = value.iloc[:max_items]
        return {"type": "series", "length": int(len(value)), "name": cell(value.name),
                "index": [cell(v) for v in part.index.tolist()], "values": [cell(v) for v in part.tolist()]}
    if np is not None and isinstance(value, np.ndarray):
        if value.size > max_items or value.ndim > 4:
            return {"type": "object", "class": "ndarray", "repr": "array of shape " + repr(tuple(value.shape))}
        return {"type": "ndarray", "shape": [int(s) for s in value.shape],
                "values": [cell(v) for v in value.ravel().tolist()]}
    if isinstance(value, (list, tuple, set, frozenset)) and depth < 4:
        items = list(value)
        return {"type": type(value).__name__ if type(value) in (list, tuple, set, frozenset) else "list",
                "length": len(items), "items": [_mhsm_encode(v, depth + 1) for v in items[:1000]]}
    if isinstance(value, dict) and depth < 4:
        items = list(value.items())
        return {"type": "dict", "length": len(items),
                "items": [[_mhsm_encode(k, depth + 1), _mhsm_encode(v, depth + 1)] for k, v in items[:1000]]}
    return {"type": "object", "class": kind(value), "repr": text(value)}
'''

_COLLECT_TEMPLATE = r'''def _mhsm_collect(names):
    import json
{encoder}
    ns = globals()
    answers = {{}}
    for name in names:
        if name not in ns:
            answers[name] = {{"type": "missing"}}
            continue
        try:
            answers[name] = _mhsm_encode(ns[name])
            json.dumps(answers[name], allow_nan=False)
        except BaseException as exc:
            answers[name] = {{"type": "unreadable", "error": type(exc).__name__}}
    checked = {{}}
    try:  # the values the check cells saw (recorded by lab.check in grading mode): only values, judged outside
        import sys
        session = sys.modules.get("mhsm_lessons.practice.session")
        seen = session._grading_checked() if session is not None else {{}}
        for qid, value in (list(seen.items())[:200] if isinstance(seen, dict) else []):
            key = str(qid)[:50]
            try:
                checked[key] = _mhsm_encode(value)
                json.dumps(checked[key], allow_nan=False)
            except BaseException as exc:
                checked[key] = {{"type": "unreadable", "error": type(exc).__name__}}
    except BaseException:
        checked = {{}}
    return json.dumps({{"format": {fmt!r}, "answers": answers, "checked": checked}}, allow_nan=False)
_mhsm_answers_json = _mhsm_collect({names!r})
'''

_encoder_ns: dict = {}
exec(compile(_ENCODER_SOURCE, "<mhsm answer encoder>", "exec"), _encoder_ns)  # noqa: S102 - our own code


def encode_answer(value) -> dict:
    """Encode one answer as plain, JSON-ready data (the encoder the grader runs inside the student kernel).

    >>> encode_answer(12.5), encode_answer(...), encode_answer("$12")["value"]
    ({'type': 'float', 'value': 12.5}, {'type': 'ellipsis'}, '$12')
    >>> encode_answer(float("nan"))
    {'type': 'float', 'value': {'$float': 'nan'}}
    """
    return _encoder_ns["_mhsm_encode"](value)


def collect_source(variables: list[str]) -> str:
    """The code the grader sends (silently, after the last cell) to encode the answers as one JSON string."""
    encoder = "\n".join("    " + line if line else "" for line in _ENCODER_SOURCE.strip("\n").split("\n"))
    return _COLLECT_TEMPLATE.format(encoder=encoder, fmt=ANSWERS_FORMAT, names=list(variables))


class _Opaque:
    """Stands in for an answer object the grader could not rebuild (its class name and repr only)."""

    _text = "<object>"

    def __repr__(self) -> str:
        return self._text


def _opaque(class_name, text) -> Any:
    name = re.sub(r"[^A-Za-z0-9_]", "", str(class_name))[:40] or "object"
    cls = type(name, (_Opaque,), {"_text": str(text)[:200]})
    return cls()


def _decode_float(x):
    if isinstance(x, bool):
        raise ValueError("a boolean where a number was expected")
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, dict) and x.get("$float") in ("nan", "inf", "-inf"):
        return float(x["$float"])
    raise ValueError("not an encoded number")


def _decode_cell(x):
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        return x
    if isinstance(x, dict) and "$float" in x:
        return _decode_float(x)
    if isinstance(x, dict) and "$repr" in x:
        return str(x["$repr"])[:200]
    raise ValueError("not an encoded table cell")


def decode_answer(data) -> Any:
    """Rebuild an answer from :func:`encode_answer`'s plain data; anything malformed becomes an opaque object.

    >>> decode_answer({"type": "float", "value": 3.5}), decode_answer({"type": "ellipsis"})
    (3.5, Ellipsis)
    >>> decode_answer({"type": "dataframe", "shape": [1, 2], "columns": ["a", "b"], "index": None,
    ...                "rows": [[1, "x"]]})
       a  b
    0  1  x
    >>> decode_answer({"type": "nonsense"})
    <unreadable answer>
    """
    try:
        return _decode(data, 0)
    except Exception:  # noqa: BLE001 - the data came from a student kernel
        return _opaque("object", "<unreadable answer>")


def _decode(data, depth):
    import numpy as np
    import pandas as pd

    if not isinstance(data, dict) or depth > 5:
        raise ValueError("not an encoded answer")
    kind = data.get("type")
    if kind == "ellipsis":
        return ...
    if kind == "none":
        return None
    if kind == "na":
        return pd.NA
    if kind == "bool":
        return bool(data["value"])
    if kind == "int":
        value = data["value"]
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("bad int")
        return value
    if kind == "float":
        return _decode_float(data["value"])
    if kind == "complex":
        return complex(_decode_float(data["real"]), _decode_float(data["imag"]))
    if kind == "str":
        if not isinstance(data["value"], str):
            raise ValueError("bad str")
        return data["value"]
    if kind == "dataframe":
        columns = [_decode_cell(c) for c in data["columns"]]
        rows = [[_decode_cell(v) for v in row] for row in data["rows"]]
        if any(len(row) != len(columns) for row in rows):
            raise ValueError("ragged table")
        frame = pd.DataFrame(rows, columns=pd.Index(columns, dtype=object) if columns else None)
        if not rows:
            frame = pd.DataFrame(columns=columns)
        index = data.get("index")
        if index:
            values = [_decode_cell(v) for v in index["values"]]
            names = [_decode_cell(n) for n in index["names"]]
            if len(values) == len(frame):
                frame.index = pd.Index(values, name=names[0] if len(names) == 1 else None)
        return frame
    if kind == "series":
        values = [_decode_cell(v) for v in data["values"]]
        index = [_decode_cell(v) for v in data["index"]]
        return pd.Series(values, index=index if len(index) == len(values) else None,
                         name=_decode_cell(data.get("name")))
    if kind == "ndarray":
        shape = tuple(int(s) for s in data["shape"])
        values = [_decode_cell(v) for v in data["values"]]
        if math.prod(shape) != len(values) or len(shape) > 4:
            raise ValueError("bad array")
        return np.array(values).reshape(shape)
    if kind in ("list", "tuple", "set", "frozenset"):
        items = [_decode(v, depth + 1) for v in data["items"]]
        if kind == "list":
            return items
        if kind == "tuple":
            return tuple(items)
        return set(items) if all(_hashable(i) for i in items) else items
    if kind == "dict":
        out = {}
        for key, value in data["items"]:
            k = _decode(key, depth + 1)
            out[k if _hashable(k) else repr(k)] = _decode(value, depth + 1)
        return out
    if kind == "object":
        return _opaque(data.get("class", "object"), data.get("repr", "<object>"))
    raise ValueError(f"unknown answer type {kind!r}")


def _hashable(x) -> bool:
    try:
        hash(x)
        return True
    except TypeError:
        return False
