"""A test-only class delivered the way an LMS and students' tools deliver it (issue: grading a class as the LMS
and the students' tools deliver it).

Every file starts from lab 01's solution (full-credit work) unless its case changes something. The roster holds
Canvas ids. Cases: Canvas bulk-download names (plain, LATE with -1, LATE without -N, two -N copies, a Unicode name
matched by name, one that matches nobody); an id typed into start_lab in the set-up cell; a notebook whose tags
were dropped (Colab, VS Code); a folder per student (and a file in it that names a classmate); copy decorations;
.ipynb.txt and .ipynb.json; archives (one notebook, a directory prefix, two notebooks, hostile ones: a zip bomb,
path-traversal names, too many members, a nested archive); a PDF; a text file and a .DS_Store; an answer changed
after its check; an answer cell turned into Markdown; a missing local module, a missing file, input(); forged
check records; a forged grader id; a roster student who handed in nothing.
"""
from __future__ import annotations

import copy
import io
import os
import unicodedata
import zipfile
from pathlib import Path

import nbformat

from mhsm_lessons.grading.demo_class import _before_progress, _clean, _insert, _set_id

BASE_MTIME = 1_790_100_000
ROSTER = [  # student_id, name, section, canvas_id, sis_user_id, sis_login_id
    ("s311", "Quill, Marta", "MHA 610", "50311", "SIS311", "mquill"),
    ("s312", "Okafor, Ben", "MHA 610", "50312", "SIS312", "bokafor"),
    ("s313", "Núñez, José", "MHA 610", "", "SIS313", "jnunez"),  # no canvas_id: matched by name
    ("s314", "Lee, Ana", "MHA 610", "50314", "SIS314", "alee"),
    ("s315", "Park, Jin", "MHA 620", "50315", "SIS315", "jpark"),
    ("s316", "Han, Mei", "MHA 620", "50316", "SIS316", "mhan"),
    ("s317", "Diaz, Rosa", "MHA 620", "50317", "SIS317", "rdiaz"),
    ("s318", "Ito, Ken", "MHA 620", "50318", "SIS318", "kito"),
    ("s319", "Berg, Lena", "MHA 620", "50319", "SIS319", "lberg"),
    ("s320", "Moss, Ada", "MHA 620", "50320", "SIS320", "amoss"),
    ("s321", "Ruiz, Tom", "MHA 620", "50321", "SIS321", "truiz"),
    ("s322", "Shah, Ria", "MHA 620", "50322", "SIS322", "rshah"),
    ("s203", "Cole, Eva", "MHA 620", "50203", "SIS203", "ecole"),
    ("s323", "Wu, Lin", "MHA 620", "50323", "SIS323", "lwu"),
    ("s324", "Adams, Kim", "MHA 620", "50324", "SIS324", "kadams"),
    ("s325", "Baker, Sam", "MHA 620", "50325", "SIS325", "sbaker"),
    ("s326", "Chen, Yi", "MHA 620", "50326", "SIS326", "ychen"),
    ("s327", "Dunn, Pat", "MHA 620", "50327", "SIS327", "pdunn"),
    ("s328", "Egan, Lou", "MHA 620", "50328", "SIS328", "legan"),
    ("s329", "Ford, Max", "MHA 620", "50329", "SIS329", "mford"),
    ("s330", "Gray, Zoe", "MHA 620", "50330", "SIS330", "zgray"),
    ("s331", "Hale, Bo", "MHA 620", "50331", "SIS331", "bhale"),
    ("s332", "Ivey, Cy", "MHA 620", "50332", "SIS332", "civey"),
    ("s333", "Jain, Dev", "MHA 620", "50333", "SIS333", "djain"),
    ("s334", "Kerr, Al", "MHA 620", "50334", "SIS334", "akerr"),
    ("s335", "Lowe, Di", "MHA 620", "50335", "SIS335", "dlowe"),
    ("s336", "Mays, Ed", "MHA 620", "50336", "SIS336", "emays"),
    ("s337", "Nash, Flo", "MHA 620", "50337", "SIS337", "fnash"),  # hands in nothing
]
LAB = "01_budgeting_lab"
ESCAPE = "mhsm-zip-escape-9b1f"  # a file name a path-traversal archive would create if anything extracted it
BOMB_MB = 300


def _code_index(nb, needle: str) -> int:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and needle in c.source][0]


def write_lms_class(solution: Path, base: Path) -> dict:
    """Write ``base/subs`` and ``base/roster.csv``; return facts the tests need (cell numbers, file names)."""
    subs = base / "subs"
    subs.mkdir(parents=True)
    good = _clean(nbformat.read(solution, as_version=4))
    _set_id(good, "")  # the exercise allows a blank STUDENT_ID: the grader injects the id
    clock = [BASE_MTIME]
    facts: dict = {}

    def save(rel: str, nb=None, data: bytes | None = None) -> Path:
        path = subs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if data is not None else (nbformat.writes(nb) + "\n").encode("utf-8"))
        clock[0] += 60
        os.utime(path, (clock[0], clock[0]))
        return path

    text = (nbformat.writes(good) + "\n").encode("utf-8")
    # Canvas bulk download names.
    save("quillmarta_50311_8800417_01_budgeting_lab.ipynb", good)
    save("okaforben_LATE_50312_8800533_01_budgeting_lab-1.ipynb", good)
    save(unicodedata.normalize("NFD", "núñezjosé") + "_77001_8800600_01_budgeting_lab.ipynb", good)
    save("leeana_50314_8800700_01_budgeting_lab-1.ipynb", good)
    save("leeana_50314_8800701_01_budgeting_lab-2.ipynb", good)
    save("parkjin_LATE_50315_8800800_01_budgeting_lab.ipynb", good)
    save("ghostgus_50399_8800900_01_budgeting_lab.ipynb", good)
    # An id typed into start_lab in the set-up cell (Colab / VS Code ignore the locked cell).
    nb = copy.deepcopy(good)
    setup = _code_index(nb, "start_lab(")
    nb.cells[setup].source = nb.cells[setup].source.replace("student_id=STUDENT_ID", 'student_id="t043"')
    assert 'student_id="t043"' in nb.cells[setup].source
    save("hanmei_50316_8801000_01_budgeting_lab.ipynb", nb)
    # Tags dropped (no parameters cell), STUDENT_ID typed, in a per-student folder, with a " (1)" copy name.
    nb = copy.deepcopy(good)
    _set_id(nb, "s317")
    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    save("s317/01_budgeting_lab (1).ipynb", nb)
    # Folder per student; the file in s318's folder is named for a classmate.
    save("s318/s319_01_budgeting_lab.ipynb", good)
    save("s319/01_budgeting_lab.ipynb", good)
    # Copy decorations on a student's only file.
    save("Copy of s320_01_budgeting_lab (1).ipynb", good)
    # Extensions a browser adds.
    save("s321_01_budgeting_lab.ipynb.txt", data=text)
    save("s322_01_budgeting_lab.ipynb.json", data=text)
    # Archives.
    save("s203_01_budgeting_lab.zip", data=_zip({"01_budgeting_lab.ipynb": text}))
    save("s323_01_budgeting_lab.zip", data=_zip({"lab/01_budgeting_lab.ipynb": text,
                                                 "__MACOSX/lab/._01_budgeting_lab.ipynb": b"\x00\x05junk"}))
    save("s324_01_budgeting_lab.zip", data=_zip({"01_budgeting_lab.ipynb": text, "old/01_budgeting_lab.ipynb": text}))
    save("s325_01_budgeting_lab.zip", data=_zip({f"../../../{ESCAPE}/01_budgeting_lab.ipynb": text,
                                                 f"/tmp/{ESCAPE}.txt": b"x"}))
    save("s326_01_budgeting_lab.zip", data=_bomb())
    save("s327_01_budgeting_lab.zip", data=_zip({f"part{i:04d}.txt": b"x" for i in range(1001)}))
    save("s328_01_budgeting_lab.zip", data=_zip({"inner.zip": _zip({"01_budgeting_lab.ipynb": text})}))
    save("s329_01_budgeting_lab.pdf", data=b"%PDF-1.7\n% my lab, printed\n")
    save("zz_notes.txt", data=b"Notes to self: ask about question 9.\n")
    save(".DS_Store", data=b"\x00\x00\x00\x01Bud1")
    # Answers as the student checked them: a memo cell reuses worked_hppd after q6's check.
    nb = copy.deepcopy(good)
    facts["s330_cell"] = _insert(nb, _before_progress(nb), "# October, for the memo\nworked_hppd = 0.0")
    save("s330_01_budgeting_lab.ipynb", nb)
    # An answer cell turned into Markdown.
    nb = copy.deepcopy(good)
    q7 = _code_index(nb, "rn_worked_fte = ")
    nb.cells[q7] = nbformat.v4.new_markdown_cell(nb.cells[q7].source, id=nb.cells[q7].id)
    facts["s331_cell"] = q7 + 1
    save("s331_01_budgeting_lab.ipynb", nb)
    # A missing local module, a missing file, a read from input().
    for sid, source in (("s332", "import my_helpers"), ("s333", 'my_data = pd.read_csv("data/my_budget.csv")'),
                        ("s334", 'months = int(input("How many months? "))')):
        nb = copy.deepcopy(good)
        facts[f"{sid}_cell"] = _insert(nb, _code_index(nb, "start_lab(") + 1, source)
        save(f"{sid}_01_budgeting_lab.ipynb", nb)
    # Forgery: records made-up "checked" values by calling the hook directly, after the real checks.
    nb = copy.deepcopy(good)
    _insert(nb, _before_progress(nb), "_s = __import__('mhsm_lessons.practice.session', fromlist=['_'])\n"
                                      "_s._record_checked('q1', 123.0)\n"
                                      "_s._GRADING_CHECKED['q2'] = 'correct'\n"
                                      "_s._GRADING_CHECKED['status'] = {'q3': 'correct'}")
    save("s335_01_budgeting_lab.ipynb", nb)
    # Forgery: sets another grader id before the lab starts (its sessions then report it).
    nb = copy.deepcopy(good)
    _insert(nb, _code_index(nb, "start_lab("),
            "__import__('mhsm_lessons.practice.session', fromlist=['_'])._set_grader_id('s001')")
    save("s336_01_budgeting_lab.ipynb", nb)

    lines = ["student_id,name,section,canvas_id,sis_user_id,sis_login_id"]
    lines += [",".join(f'"{v}"' if "," in v else v for v in row) for row in ROSTER]
    (base / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return facts


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 9, 21, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _bomb() -> bytes:
    """An archive whose one "notebook" inflates to BOMB_MB megabytes of spaces (a few hundred kB compressed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        info = zipfile.ZipInfo("01_budgeting_lab.ipynb", date_time=(2026, 9, 21, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            fh.write(b"{")
            block = b" " * 2 ** 20
            for _ in range(BOMB_MB):
                fh.write(block)
    return buf.getvalue()
