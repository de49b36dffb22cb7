"""Whose work is a file? One rule for the whole class, and a note whenever the notebook disagrees.

Order: the roster's ``file`` column; the id in the file name (the name without the lab id; then its first
``_``-separated part); the folder's name (one folder per student); and only then the ``STUDENT_ID`` typed in the
notebook, always with a note. With a roster, a file that matches no roster student is an "unmatched file" row,
never a new student. Ids are compared as :func:`mhsm_lessons.data.normalize_student_id` gives them, so distinct
ids never merge. Stray copies (``-Copy1``, ``Untitled``, checkpoints) are listed, not graded.
"""
from __future__ import annotations

from .collect import RosterEntry, Submission, _file_id, stray_kind


def norm(student_id) -> str:
    """The form in which two ids are compared."""
    from ..data import normalize_student_id

    try:
        return normalize_student_id(student_id)
    except TypeError:
        return str(student_id)


def resolve(subs: list[Submission], lab_id: str, roster: list[RosterEntry]) -> None:
    """Set each submission's ``student_id``, ``roster`` entry, ``kind`` and identity ``note`` in place."""
    by_file = {e.file: e for e in roster if e.file}
    by_id: dict[str, RosterEntry] = {}
    for e in roster:
        by_id.setdefault(norm(e.student_id), e)
    for sub in subs:
        stray = stray_kind(sub.path)
        if stray:
            sub.kind, sub.student_id = "stray", ""
            sub.note = f"Not graded: {stray}, not a submission."
            continue
        file_id = _file_id(sub.path, lab_id)
        folder_id = sub.path.parent.name if sub.in_folder and "/" in sub.name else ""
        candidates = [c for c in (file_id, file_id.split("_")[0] if "_" in file_id else "", folder_id) if c]
        typed = sub.notebook_id
        entry = by_file.get(sub.path.name) or by_file.get(sub.name)
        source = "the roster's file column"
        if entry is None and roster:
            entry = next((by_id[norm(c)] for c in candidates if norm(c) in by_id), None)
            source = "the file name"
        if roster:
            if entry is None and typed and norm(typed) in by_id:
                entry = by_id[norm(typed)]
                sub.student_id, sub.roster = entry.student_id, entry
                sub.note = (f"Identified only by the STUDENT_ID typed in the notebook ({typed!r}); the file name "
                            "names no roster student: check that this is their file.")
                continue
            if entry is None:
                sub.kind = "unmatched"
                sub.student_id = candidates[0] if candidates else (typed or sub.name)
                named = " or ".join(p for p in (f"the id in its name ({file_id!r})" if file_id else "",
                                                 f"its STUDENT_ID ({typed!r})" if typed else "") if p)
                sub.note = (f"Unmatched file: no roster student matches {named or 'its name'}. Not graded: rename "
                            "the file or add the student to the roster, then run mhsm grade again.")
                continue
            sub.student_id, sub.roster = entry.student_id, entry
        else:
            if candidates:
                sub.student_id = candidates[0] if file_id else folder_id
                source = "the file name"
            elif typed:
                sub.student_id = typed
                sub.note = f"Identified only by the STUDENT_ID typed in the notebook ({typed!r})."
                continue
            else:
                sub.kind, sub.student_id = "unmatched", sub.name
                sub.note = ("Unmatched file: neither its name nor its STUDENT_ID names a student. Not graded: "
                            "rename the file (for example s042_" + lab_id + ".ipynb) and run mhsm grade again.")
                continue
        if typed and norm(typed) != norm(sub.student_id):
            sub.note = (f"The notebook's STUDENT_ID is {typed!r}, but {source} gives {sub.student_id!r}: graded as "
                        f"{sub.student_id!r}, with that student's data.")
