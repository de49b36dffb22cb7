"""Which library an exercise needs: the release stamps its version, ``start_lab`` warns when the installed one is older.

A hub's user image is built once a term; the course repository moves on. An exercise released with a newer
``mhsm_lessons`` than the image has may name a question, dataset or message the image does not know. ``mhsm release``
records its own version in the exercise's ``start_lab(..., requires="X.Y.Z")`` call (:func:`stamp_required_version`)
and ``start_lab`` shows :func:`library_version_warning` when the installed library is older.
"""
from __future__ import annotations

import re

__all__ = ["version_tuple", "library_version_warning", "stamp_required_version"]

_START_LAB_CALL = re.compile(r"(?P<head>\bstart_lab\()(?P<args>[^()]*)(?P<tail>\))")
_REQUIRES = re.compile(r",?\s*requires\s*=\s*(['\"])[^'\"]*\1")


def version_tuple(text) -> tuple[int, ...]:
    """The numeric release parts of a version string; text after them (``rc1``, ``.dev0``) is ignored.

    >>> version_tuple("0.10.2"), version_tuple("1.2rc1"), version_tuple("2")
    ((0, 10, 2), (1, 2), (2,))
    """
    parts = []
    for piece in str(text).strip().split("."):
        match = re.match(r"\d+", piece)
        if not match:
            break
        parts.append(int(match.group(0)))
        if match.group(0) != piece:
            break
    return tuple(parts)


def library_version_warning(required, installed: str | None = None) -> str | None:
    """A warning when the installed ``mhsm_lessons`` is older than the one the exercise was released with.

    Returns None when nothing is required, the versions cannot be read, or the installed one is as new or newer.

    >>> library_version_warning("0.2.0", installed="0.1.0")[:59]
    'WARNING: this exercise was released with mhsm_lessons 0.2.0'
    >>> library_version_warning("0.1.0", installed="0.1.0") is None
    True
    """
    if installed is None:
        from .. import __version__ as installed
    if not required:
        return None
    need, have = version_tuple(required), version_tuple(installed)
    if not need or not have:
        return None
    width = max(len(need), len(have))
    if have + (0,) * (width - len(have)) >= need + (0,) * (width - len(need)):
        return None
    return (f"WARNING: this exercise was released with mhsm_lessons {required}, but this computer has "
            f"{installed}. Some checks may be missing or give different messages. Tell your instructor: the course "
            f"image (or your installation) needs updating to mhsm_lessons {required} or later.")


def stamp_required_version(source: str, version: str) -> str:
    """Add (or replace) ``requires="VERSION"`` in every ``start_lab(...)`` call of a cell's source.

    >>> stamp_required_version('lab = start_lab("01_budgeting_lab", student_id=STUDENT_ID)', "0.1.0")
    'lab = start_lab("01_budgeting_lab", student_id=STUDENT_ID, requires="0.1.0")'
    >>> stamp_required_version('lab = start_lab("x", STUDENT_ID, requires="0.0.9")', "0.1.0")
    'lab = start_lab("x", STUDENT_ID, requires="0.1.0")'
    """
    def stamp(match: re.Match) -> str:
        args = _REQUIRES.sub("", match.group("args")).rstrip()
        args = args[:-1].rstrip() if args.endswith(",") else args
        joined = f"{args}, requires=\"{version}\"" if args.strip() else f"requires=\"{version}\""
        return f"{match.group('head')}{joined}{match.group('tail')}"

    return _START_LAB_CALL.sub(stamp, source)
