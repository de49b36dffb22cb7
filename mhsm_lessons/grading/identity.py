"""Whose work is a file? One resolver for the whole class, and a note whenever the notebook disagrees.

Order:

1. the roster's ``file`` column;
2. a learning-management-system download name, matched to the roster's LMS ids:
   Canvas ``<name>[_LATE]_<canvas user id>_<submission id>_<original name>[-N]`` (by ``canvas_id``, else by name),
   Blackboard ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>[_<original name>]`` (by ``student_id`` or
   ``sis_login_id``) and Moodle ``<Full Name>_<participant id>_assignsubmission_file_[<original name>]``, as a
   file or a folder (by name);
3. the folder, in a folder-per-student layout (the folder is the student; with a roster, when it names one);
4. the id in the file name (the name without the lab id, extensions and copy decorations; then its first
   ``_``-separated part);
5. only then the ``STUDENT_ID`` the notebook sets (found by reading its code, in any cell) or the id it passes to
   ``start_lab``, always with a note.

Ids and names are compared after Unicode NFC normalisation and case folding (and runs of spaces folded), so
``S042`` is ``s042`` and a name typed with combining accents matches the roster; punctuation is kept, so
``jane-smith`` and ``jane.smith`` never merge. With a roster, a file that matches no roster student is an
"unmatched file" row, never a new student. Checkpoints, system files (``__MACOSX``, ``.DS_Store``) and copies
(``-Copy1``, ``Copy of``, `` (1)``, ``-1``) or ``Untitled`` notebooks whose student also handed in the original
are listed, not graded; a copy that is a student's only file is graded, with a note.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .collect import (RosterEntry, Submission, _file_id, _shown, bare_stem, copy_kind, stray_kind,
                      undecorated)

__all__ = ["norm", "name_key", "lms_name", "resolve", "LmsName"]


def norm(student_id) -> str:
    """The form in which two ids are compared: NFC, case folded, runs of spaces folded, ends stripped.

    >>> norm(" S042 "), norm("Ju\u0308rgen") == norm("J\u00fcrgen"), norm("STRASSE") == norm("stra\u00dfe")
    ('s042', True, True)
    """
    text = unicodedata.normalize("NFC", str(student_id))
    return " ".join(text.split()).casefold()


def name_key(name: str) -> set[str]:
    """Letters and digits of a person's name, in both orders, for matching an LMS download name to the roster.

    >>> sorted(name_key("Quill, Marta")), sorted(name_key("Marta Quill"))
    (['martaquill', 'quillmarta'], ['martaquill', 'quillmarta'])
    """
    text = norm(name)
    if not text:
        return set()

    def squash(t: str) -> str:
        return "".join(ch for ch in t if ch.isalnum())

    if "," in text:
        last, first = text.split(",", 1)
    else:
        words = text.split()
        first, last = " ".join(words[:-1]), words[-1]
    keys = {squash(last + first), squash(first + last)}
    return {k for k in keys if k}


@dataclass(frozen=True)
class LmsName:
    """What an LMS download name says: which LMS, the student's id or name in it, and remarks."""

    lms: str
    user_id: str = ""  # Canvas user id, or the Blackboard username
    name: str = ""  # the name part (Canvas: lowercase letters; Moodle: the full name)
    late: bool = False


_CANVAS = re.compile(r"^(?P<name>[^_]+?)(?P<late>_LATE)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<orig>.+)$")
_BLACKBOARD = re.compile(r"^(?P<assignment>.+)_(?P<user>[^_]+)_attempt_\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}(?:_.*)?$")
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?:file|onlinetext)_(?P<orig>.*)$")


def lms_name(text: str) -> LmsName | None:
    """Recognise a Canvas, Blackboard or Moodle download name (a file's bare stem, or a folder's name).

    >>> lms_name("quillmarta_50311_8800417_01_budgeting_lab")
    LmsName(lms='Canvas', user_id='50311', name='quillmarta', late=False)
    >>> lms_name("okaforben_LATE_50312_8800533_01_budgeting_lab").late
    True
    >>> lms_name("Lab 01_jdoe7_attempt_2026-09-21-14-05-09_01_budgeting_lab")
    LmsName(lms='Blackboard', user_id='jdoe7', name='', late=False)
    >>> lms_name("Marta Quill_1234567_assignsubmission_file_")
    LmsName(lms='Moodle', user_id='', name='Marta Quill', late=False)
    >>> lms_name("s042_01_budgeting_lab") is None
    True
    """
    found = _MOODLE.match(text)
    if found:
        return LmsName("Moodle", name=found["name"].strip())
    found = _BLACKBOARD.match(text)
    if found:
        return LmsName("Blackboard", user_id=found["user"])
    found = _CANVAS.match(text)
    if found:
        return LmsName("Canvas", user_id=found["uid"], name=found["name"], late=bool(found["late"]))
    return None


class _Roster:
    def __init__(self, roster: list[RosterEntry]):
        self.entries = roster
        self.by_file = {e.file: e for e in roster if e.file}
        self.by_id: dict[str, RosterEntry] = {}
        self.by_login: dict[str, RosterEntry] = {}
        self.by_canvas: dict[str, RosterEntry] = {}
        self.by_name: dict[str, list[RosterEntry]] = {}
        for e in roster:
            self.by_id.setdefault(norm(e.student_id), e)
            if e.sis_login_id:
                self.by_login.setdefault(norm(e.sis_login_id), e)
            if e.canvas_id:
                self.by_canvas.setdefault(norm(e.canvas_id), e)
            for key in name_key(e.name):
                self.by_name.setdefault(key, []).append(e)

    def named(self, name: str) -> RosterEntry | None:
        """The one roster student with this name (None when nobody or several have it)."""
        found = {id(e): e for key in name_key(name) for e in self.by_name.get(key, [])}
        if not found and "," not in name and " " not in name.strip():  # Canvas squashes the name: quillmarta
            found = {id(e): e for e in self.by_name.get(norm(name), [])}
        return next(iter(found.values())) if len(found) == 1 else None

    def user(self, text: str) -> RosterEntry | None:
        return self.by_id.get(norm(text)) or self.by_login.get(norm(text))


def _lms_match(lms: LmsName, roster: _Roster) -> tuple[RosterEntry | None, str]:
    """The roster student an LMS download name belongs to, and how it was matched."""
    if lms.lms == "Canvas":
        entry = roster.by_canvas.get(norm(lms.user_id))
        if entry is not None:
            return entry, f"the Canvas download name (Canvas user {lms.user_id})"
        entry = roster.named(lms.name)
        return entry, f"the name in the Canvas download name ({lms.name!r})"
    if lms.lms == "Blackboard":
        return roster.user(lms.user_id), f"the Blackboard username in the download name ({lms.user_id!r})"
    return roster.named(lms.name), f"the name in the Moodle download ({lms.name!r})"


def _lms_fallback_id(lms: LmsName) -> str:
    return lms.user_id if lms.lms == "Blackboard" else lms.name


def resolve(subs: list[Submission], lab_id: str, roster: list[RosterEntry]) -> None:
    """Set each submission's ``student_id``, ``roster`` entry, ``kind`` and identity ``note`` in place."""
    index = _Roster(roster)
    for sub in subs:
        _resolve_one(sub, lab_id, index, bool(roster))
    _copies(subs, lab_id)
    for sub in subs:
        if sub.member is not None and sub.kind == "submission":
            sub.note = " ".join(p for p in (sub.note, f"Graded the notebook inside this archive "
                                                      f"({_shown(sub.member)!r}).") if p)


def _resolve_one(sub: Submission, lab_id: str, roster: _Roster, has_roster: bool) -> None:
    stray = stray_kind(sub.path)
    in_subfolder = sub.in_folder and "/" in sub.name
    if stray and (stray != "an untitled notebook" or not in_subfolder):
        sub.kind, sub.student_id = "stray", ""
        sub.note = f"Not graded: {stray}, not a submission."
        return
    stem, _ = undecorated(bare_stem(sub.path.name), lab_id)
    lms = lms_name(stem)
    folder = sub.path.parent.name if in_subfolder else ""
    folder_lms = lms_name(folder) if folder else None
    file_id = "" if stray else _file_id(sub.path, lab_id)
    typed = sub.notebook_id
    notes: list[str] = []
    entry, source, student_id = None, "", ""

    if has_roster:
        entry = roster.by_file.get(sub.path.name) or roster.by_file.get(sub.name)
        source = "the roster's file column"
        for name in (lms, folder_lms):
            if entry is None and name is not None:
                entry, source = _lms_match(name, roster)
        if entry is None and folder:
            entry, source = roster.user(folder), "the folder"
            if entry is not None and file_id:
                named = roster.user(file_id) or (roster.user(file_id.split("_")[0]) if "_" in file_id else None)
                if named is not None and named is not entry:
                    notes.append(f"The file name names {named.student_id!r}, but the file is in the folder of "
                                 f"{entry.student_id!r}: graded as {entry.student_id!r}, whose folder it is.")
        if entry is None:
            for candidate in (file_id, file_id.split("_")[0] if "_" in file_id else ""):
                if candidate and roster.user(candidate) is not None:
                    entry, source = roster.user(candidate), "the file name"
                    break
        if entry is None:
            for label, value in (("the STUDENT_ID typed in the notebook", typed),
                                 ("the id the notebook passes to start_lab", sub.start_lab_id)):
                if value and roster.user(value) is not None:
                    entry = roster.user(value)
                    sub.student_id, sub.roster = entry.student_id, entry
                    sub.note = (f"Identified only by {label} ({value!r}); the file name names no roster student: "
                                "check that this is their file.")
                    return
        if entry is None:
            sub.kind = "unmatched"
            shown = lms or folder_lms
            sub.student_id = (_lms_fallback_id(shown) if shown else "") or file_id or folder or typed or sub.name
            if shown is not None and shown.lms == "Canvas":
                what = (f"its Canvas download name (Canvas user {shown.user_id}, {shown.name!r}): no roster student "
                        "has that canvas_id or name")
                sub.note = (f"Unmatched file: {what}. Not graded: add the student's canvas_id to the roster, then "
                            "run mhsm grade again.")
                return
            if shown is not None:
                what = f"the {shown.lms} download name ({_lms_fallback_id(shown)!r})"
            else:
                what = " or ".join(p for p in (f"the id in its name ({file_id!r})" if file_id else "",
                                               f"its folder ({folder!r})" if folder and not file_id else "",
                                               f"its STUDENT_ID ({typed!r})" if typed else "") if p)
            sub.note = (f"Unmatched file: no roster student matches {what or 'its name'}. Not graded: rename "
                        "the file or add the student to the roster, then run mhsm grade again.")
            return
        sub.student_id, sub.roster = entry.student_id, entry
    else:
        shown = lms or folder_lms
        if shown is not None and _lms_fallback_id(shown):
            student_id, source = _lms_fallback_id(shown), f"the {shown.lms} download name"
            notes.append(f"Identified by the {shown.lms} download name as {student_id!r}; pass --roster with the "
                         "students' LMS ids to match it to a student.")
        elif file_id:
            student_id, source = file_id, "the file name"
        elif folder:
            student_id, source = folder, "the folder"
        elif typed:
            sub.student_id = typed
            sub.note = f"Identified only by the STUDENT_ID typed in the notebook ({typed!r})."
            return
        elif sub.start_lab_id:
            sub.student_id = sub.start_lab_id
            sub.note = f"Identified only by the id the notebook passes to start_lab ({sub.start_lab_id!r})."
            return
        else:
            sub.kind, sub.student_id = ("stray", "") if stray else ("unmatched", sub.name)
            sub.note = (f"Not graded: {stray}, not a submission." if stray else
                        "Unmatched file: neither its name nor its STUDENT_ID names a student. Not graded: rename "
                        "the file (for example s042_" + lab_id + ".ipynb) and run mhsm grade again.")
            return
        sub.student_id = student_id
    if lms is not None and lms.late:
        notes.append("Canvas marked this submission late (LATE in the file name).")
    if typed and norm(typed) != norm(sub.student_id):
        notes.append(f"The notebook's STUDENT_ID is {typed!r}, but {source} gives {sub.student_id!r}: graded as "
                     f"{sub.student_id!r}, with that student's data.")
    sub.note = " ".join(notes)


def _copies(subs: list[Submission], lab_id: str) -> None:
    """A copy or an Untitled notebook is a stray when its student also handed in an original (in any folder);
    when it is the student's only file it is graded, with a note."""
    originals = {norm(s.student_id) for s in subs
                 if s.kind == "submission" and not _weak(s, lab_id)}
    for sub in subs:
        if sub.kind != "submission":
            continue
        weak = _weak(sub, lab_id)
        if not weak:
            continue
        if norm(sub.student_id) in originals:
            sub.kind, sub.student_id, sub.roster = "stray", "", None
            sub.note = f"Not graded: {weak}, not a submission."
        else:
            sub.note = " ".join(p for p in (sub.note, f"Graded {weak}: it is the only file from this student.") if p)


def _weak(sub: Submission, lab_id: str) -> str | None:
    if stray_kind(sub.path) == "an untitled notebook":
        return "an untitled notebook"
    stem, _ = undecorated(bare_stem(sub.path.name), lab_id)
    if lms_name(stem) is not None and not re.search(r"-Copy\d*$", bare_stem(sub.path.name), re.IGNORECASE):
        return None  # an LMS numbers repeated names (-1, -2): not a student's copy
    return copy_kind(sub.path, lab_id)
