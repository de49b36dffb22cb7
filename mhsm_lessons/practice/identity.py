"""Whose lab is this? Resolve a student id and say visibly where it came from.

On a laptop a student types an id into the lab's ``STUDENT_ID`` cell. On a JupyterHub the hub already knows the user
(``JUPYTERHUB_USER``), and an instructor may set ``MHSM_STUDENT_ID`` in the user image or the spawner. The order is:

1. the id given explicitly (the ``STUDENT_ID`` cell, or the grader's ``-p STUDENT_ID``);
2. the environment variable ``MHSM_STUDENT_ID``;
3. the environment variable ``JUPYTERHUB_USER`` (set by JupyterHub in every single-user server).

On Binder the hub user is a random name that changes at every launch, so it is not used there (BinderHub sets
``BINDER_REPO_URL`` and ``BINDER_LAUNCH_HOST`` in every server it starts). A blank id everywhere is never silent: the result carries a warning that the student is working on the course's
shared default data, whose answers every classmate shares, and which the class view leaves out.

>>> ident = resolve_student_id("s042", environ={})
>>> ident.student_id, ident.source
('s042', 'argument')
>>> print(ident.message)
Student id 's042' (from your STUDENT_ID cell).
>>> print(resolve_student_id("", environ={"JUPYTERHUB_USER": "ana"}).message)
Student id 'ana' (from your JupyterHub user name, JUPYTERHUB_USER).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["STUDENT_ID_ENV", "HUB_USER_ENV", "DEFAULT_ID", "StudentIdentity", "resolve_student_id", "is_demo_id",
           "is_demonstration_id"]

STUDENT_ID_ENV = "MHSM_STUDENT_ID"
HUB_USER_ENV = "JUPYTERHUB_USER"
DEFAULT_ID = "default"
DEMONSTRATION_ID = "demo-student"  # the start page's id
BINDER_MARKERS = ("BINDER_REPO_URL", "BINDER_LAUNCH_HOST", "BINDER_REQUEST")

_SOURCES = {
    "argument": "from your STUDENT_ID cell",
    STUDENT_ID_ENV: f"from the course set-up, {STUDENT_ID_ENV}",
    HUB_USER_ENV: f"from your JupyterHub user name, {HUB_USER_ENV}",
}

BLANK_WARNING = (
    "WARNING: no student id. STUDENT_ID is blank and neither {env} nor {hub} is set, so this lab uses the course's "
    "shared default data: your numbers are the same as everyone else's and your checks are not counted in the "
    "class view. Type the id your instructor gave you between the quotes, for example STUDENT_ID = \"s042\", "
    "then run the notebook again."
).format(env=STUDENT_ID_ENV, hub=HUB_USER_ENV)
BINDER_NOTE = (" (On Binder the hub user name is a new random name at every launch, so it is not used as your id.)")


def is_demonstration_id(student_id) -> bool:
    """True for the ids of demonstrations (the start page's ``demo-student``, any ``demo-...``): never logged.

    >>> [is_demonstration_id(x) for x in ("demo-student", "Demo-7", "default", "s042", "demon")]
    [True, True, False, False, False]
    """
    text = str(student_id).strip().lower()
    return text == DEMONSTRATION_ID or text.startswith("demo-")


def is_demo_id(student_id) -> bool:
    """True for ids that are not a real student: blank, ``default`` (a forgotten id), or a demonstration id.

    The class view (``mhsm class-log``) leaves these out unless asked.

    >>> [is_demo_id(x) for x in ("default", "", "demo-student", "demo-7", "s042", "demon")]
    [True, True, True, True, False, False]
    """
    text = str(student_id).strip().lower()
    return not text or text == DEFAULT_ID or is_demonstration_id(text)


@dataclass(frozen=True)
class StudentIdentity:
    """A resolved student id, where it came from, and the sentence that tells the student.

    ``source`` is ``"argument"``, ``"MHSM_STUDENT_ID"``, ``"JUPYTERHUB_USER"`` or ``"blank"`` (then ``student_id``
    is ``"default"`` and ``warning`` is True).
    """

    student_id: str
    source: str
    message: str
    warning: bool = False

    def announce(self, out=None, err=None) -> None:
        """Print the message: to standard output, or to standard error (shown in red by Jupyter) for a warning."""
        if not self.message:
            return
        stream = (err or sys.stderr) if self.warning else (out or sys.stdout)
        print(self.message, file=stream)

    def __str__(self) -> str:
        return self.message


def _clean(value) -> str:
    """The id as text, or '' when blank (None, Ellipsis, whitespace)."""
    if value is None or value is ...:
        return ""
    return str(value).strip()


def resolve_student_id(explicit=None, environ: Mapping[str, str] | None = None) -> StudentIdentity:
    """Resolve the student id: explicit argument, else ``MHSM_STUDENT_ID``, else ``JUPYTERHUB_USER``, else blank.

    Parameters
    ----------
    explicit : str or int, optional
        The id the notebook gives (its ``STUDENT_ID`` cell). Blank text, None and ``...`` count as not given.
    environ : mapping, optional
        The environment to read (default: ``os.environ``); tests pass their own.

    Returns
    -------
    StudentIdentity
        The id (whitespace stripped; ``"default"`` when nothing gave one), its source, and the message to show.
        Validation of the id's type and spelling stays with the data layer (``normalize_student_id``).

    Examples
    --------
    >>> resolve_student_id(None, environ={"MHSM_STUDENT_ID": " s7 ", "JUPYTERHUB_USER": "ana"}).student_id
    's7'
    >>> blank = resolve_student_id("  ", environ={})
    >>> blank.student_id, blank.source, blank.warning
    ('default', 'blank', True)
    >>> blank.message.startswith("WARNING: no student id.")
    True
    """
    env = os.environ if environ is None else environ
    if explicit is not None and explicit is not ... and (isinstance(explicit, bool)
                                                          or not isinstance(explicit, (str, int))):
        # not an id at all (True, 4.2, a list): hand it on unchanged so the data layer explains the type error
        return StudentIdentity(explicit, "argument", "")  # type: ignore[arg-type]
    on_binder = any(env.get(name) for name in BINDER_MARKERS)
    candidates = [("argument", _clean(explicit)), (STUDENT_ID_ENV, _clean(env.get(STUDENT_ID_ENV))),
                  (HUB_USER_ENV, "" if on_binder else _clean(env.get(HUB_USER_ENV)))]
    for source, value in candidates:
        if value:
            note = ""
            if is_demonstration_id(value):
                note = (" This is a demonstration id: its checks are not logged for the class view. Use your "
                        "own id for your own data.")
            elif is_demo_id(value):
                note = (" This is the course's default data, shared by everyone, and the class view leaves it "
                        "out. Use your own id for your own data.")
            return StudentIdentity(value, source, f"Student id {value!r} ({_SOURCES[source]}).{note}")
    return StudentIdentity(DEFAULT_ID, "blank", BLANK_WARNING + (BINDER_NOTE if on_binder else ""), True)
