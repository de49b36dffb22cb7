"""The identity resolver, file sniffing, archives and the Canvas options, without a kernel (fast).

The same cases graded end to end through ``mhsm grade`` are in test_lms.py.
"""
from __future__ import annotations

import io
import json
import unicodedata
import zipfile
from pathlib import Path

import nbformat
import pytest

from mhsm_lessons.grading import GradingError
from mhsm_lessons.grading import collect
from mhsm_lessons.grading.collect import (RosterEntry, Submission, converted_cells, injection_index, scan_file,
                                          start_lab_id, student_id_from_notebook)
from mhsm_lessons.grading.gradebook import check_assignment, check_missing
from mhsm_lessons.grading.identity import lms_name, norm, resolve
from mhsm_lessons.grading.runner import prepare

LAB = "01_budgeting_lab"
ROSTER = [RosterEntry("s311", "Quill, Marta", canvas_id="50311", sis_login_id="mquill"),
          RosterEntry("s312", "Okafor, Ben", canvas_id="50312"),
          RosterEntry("s313", "Núñez, José"),
          RosterEntry("s400", "Stone, Amy", sis_login_id="astone7"),
          RosterEntry("s401", "Marta Quill-Berg")]


def _sub(name: str, in_folder: bool = True, typed: str | None = None, started: str | None = None) -> Submission:
    return Submission(Path("/in") / name, name, "0" * 64, 0.0, in_folder, notebook_id=typed, start_lab_id=started)


def _resolved(names, roster=ROSTER):
    subs = [_sub(n) if isinstance(n, str) else n for n in names]
    resolve(subs, LAB, roster)
    return [(s.student_id, s.kind, s.note) for s in subs]


def test_ids_compare_after_nfc_and_casefold():
    assert norm("S042") == "s042"
    assert norm(unicodedata.normalize("NFD", "JOSÉ")) == norm("josé")
    assert norm("STRASSE") == norm("straße")
    assert norm("jane-smith") != norm("jane.smith")


def test_canvas_names_match_the_roster_canvas_id():
    assert _resolved(["quillmarta_50311_8800417_01_budgeting_lab.ipynb",
                      "okaforben_LATE_50312_8800533_01_budgeting_lab-1.ipynb"]) == [
        ("s311", "submission", ""),
        ("s312", "submission", "Canvas marked this submission late (LATE in the file name).")]


def test_canvas_unicode_name_matches_by_name_when_the_roster_has_no_canvas_id():
    nfd = unicodedata.normalize("NFD", "núñezjosé")
    assert _resolved([f"{nfd}_77001_8800600_01_budgeting_lab.ipynb"]) == [("s313", "submission", "")]


def test_canvas_name_of_nobody_is_an_unmatched_file_not_a_student():
    assert _resolved(["ghostgus_50399_8800900_01_budgeting_lab.ipynb"]) == [
        ("ghostgus", "unmatched", "Unmatched file: its Canvas download name (Canvas user 50399, 'ghostgus'): no roster "
                                  "student has that canvas_id or name. Not graded: add the student's canvas_id to the "
                                  "roster, then run mhsm grade again.")]


def test_canvas_name_without_a_roster_uses_the_name_with_a_note():
    assert _resolved(["quillmarta_50311_8800417_01_budgeting_lab.ipynb"], roster=[]) == [
        ("quillmarta", "submission", "Identified by the Canvas download name as 'quillmarta'; pass --roster with the "
                                     "students' LMS ids to match it to a student.")]


@pytest.mark.parametrize("name, expected", [
    ("s311_01_budgeting_lab-Copy1.ipynb", 'a copy (its name carries "-Copy1")'),
    ("s311_01_budgeting_lab-Copy3.ipynb", 'a copy (its name carries "-Copy3")'),
    ("s311_01_budgeting_lab (1).ipynb", 'a copy (its name carries "(1)")'),
    ("s311_01_budgeting_lab (12).ipynb", 'a copy (its name carries "(12)")'),
    ("Copy of s311_01_budgeting_lab.ipynb", 'a copy (its name carries "Copy of")'),
    ("COPY OF s311_01_budgeting_lab (2).ipynb", 'a copy (its name carries "COPY OF" and "(2)")'),
    ("s311_01_budgeting_lab-2 (1).ipynb", 'a copy (its name carries "-2" and "(1)")'),
    ("s311_01_budgeting_lab.ipynb", None),
])
def test_a_copy_is_named_by_the_marks_its_file_name_carries(name, expected):
    # quoted as they appear and in their order, never "((1))" and never a mark the name does not carry
    assert collect.copy_kind(Path(name), "01_budgeting_lab") == expected


def test_blackboard_and_moodle_names():
    # Blackboard "Assignment File Download": <assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>[_<file>]
    assert lms_name("Lab 01_astone7_attempt_2026-09-21-14-05-09_01_budgeting_lab").user_id == "astone7"
    # Moodle "Download all submissions" in folders: <Full Name>_<participant id>_assignsubmission_file_/<file>
    assert _resolved(["Lab 01_astone7_attempt_2026-09-21-14-05-09_01_budgeting_lab.ipynb",
                      "Amy Stone_1234567_assignsubmission_file_/01_budgeting_lab.ipynb",
                      "Marta Quill_7654321_assignsubmission_file_01_budgeting_lab.ipynb"]) == [
        ("s400", "submission", ""), ("s400", "submission", ""), ("s311", "submission", "")]


def test_copy_decorations_are_stripped_and_a_copy_with_an_original_is_a_stray():
    assert _resolved(["Copy of s311_01_budgeting_lab (1).ipynb"]) == [
        ("s311", "submission", 'Graded a copy (its name carries "Copy of" and "(1)"): it is the only file from this student.')]
    assert _resolved(["s311_01_budgeting_lab.ipynb", "s311_01_budgeting_lab-Copy1.ipynb",
                      "s311_01_budgeting_lab (2).ipynb"]) == [
        ("s311", "submission", ""), ("", "stray", 'Not graded: a copy (its name carries "-Copy1"), not a submission.'),
        ("", "stray", 'Not graded: a copy (its name carries "(2)"), not a submission.')]
    # Canvas's -N numbering is not a student's copy: two of them are two submissions (the newest is graded)
    assert _resolved(["leeana_50311_1_01_budgeting_lab-1.ipynb", "leeana_50311_2_01_budgeting_lab-2.ipynb"]) == [
        ("s311", "submission", ""), ("s311", "submission", "")]


def test_folder_per_student_and_two_folders_never_merge():
    assert _resolved(["s400/01_budgeting_lab.ipynb", "s311/01_budgeting_lab.ipynb"]) == [
        ("s400", "submission", ""), ("s311", "submission", "")]
    assert _resolved(["s400/s311_01_budgeting_lab.ipynb"]) == [
        ("s400", "submission", "The file name names 's311', but the file is in the folder of 's400': graded as "
                               "'s400', whose folder it is.")]
    assert _resolved(["anna/01_budgeting_lab.ipynb", "bert/01_budgeting_lab.ipynb"], roster=[]) == [
        ("anna", "submission", ""), ("bert", "submission", "")]
    assert _resolved(["s400/Untitled.ipynb"]) == [
        ("s400", "submission", "Graded an untitled notebook: it is the only file from this student.")]


def test_an_id_typed_in_start_lab_identifies_only_with_a_note():
    assert _resolved([_sub("lab.ipynb", in_folder=False, started="s400")]) == [
        ("s400", "submission", "Identified only by the id the notebook passes to start_lab ('s400'); the file name "
                               "names no roster student: check that this is their file.")]


def _nb(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_student_id_found_by_reading_the_code_and_the_injection_follows_it():
    nb = _nb(nbformat.v4.new_markdown_cell("# Lab"),
             nbformat.v4.new_code_cell('import pandas as pd\nSTUDENT_ID = "s042"'),
             nbformat.v4.new_code_cell('lab = start_lab("01_budgeting_lab", student_id="t043")'))
    assert student_id_from_notebook(nb) == "s042"
    assert start_lab_id(nb) == "t043"
    assert injection_index(nb) == 2
    sources, labels = prepare(nb, "s042")
    assert labels == ["cell 2", "the grader's student-id cell", "cell 3"]
    assert sources[1] == ("STUDENT_ID = 's042'  # injected by mhsm grade\n__import__('mhsm_lessons.practice.session', "
                          "fromlist=['_'])._set_grader_id('s042')")


def test_converted_answer_cells_are_found():
    nb = _nb(nbformat.v4.new_markdown_cell("rn_worked_fte = rn['hours'] / 173.3"),
             nbformat.v4.new_raw_cell("worked_hppd = 7.1"), nbformat.v4.new_code_cell("worked_hppd == 3"))
    assert converted_cells(nb, ["rn_worked_fte", "worked_hppd", "productive_share"]) == {
        "rn_worked_fte": [1, "Markdown"], "worked_hppd": [2, "raw"]}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


NOTEBOOK = (nbformat.writes(_nb(nbformat.v4.new_code_cell('STUDENT_ID = "s042"'))) + "\n").encode()


@pytest.mark.parametrize("name,data,expect", [
    ("a.ipynb.txt", NOTEBOOK, (None, None, False)),
    ("a.ipynb.json", NOTEBOOK, (None, None, False)),
    ("a.zip", _zip({"dir/a.ipynb": NOTEBOOK}), (None, "dir/a.ipynb", False)),
    ("a.zip", _zip({"a.ipynb": NOTEBOOK, "b.ipynb": NOTEBOOK}),
     ("an archive (zip) holding 2 notebooks (a.ipynb, b.ipynb); it must hold exactly one", None, True)),
    ("a.docx", _zip({"[Content_Types].xml": b"<xml/>", "word/document.xml": b"<xml/>"}),
     ("an Office document (Word, Excel or PowerPoint), not a notebook", None, True)),
    ("a.zip", b"PK\x03\x04 this is not really a zip", ("a damaged archive (zip) that cannot be opened", None, True)),
    ("a.pdf", b"%PDF-1.4 ...", ("a PDF document, not a notebook", None, False)),
    ("a.ipynb", b"\xff\xfe\x00binary", ("not UTF-8 text", None, False)),
])
def test_content_decides_what_a_file_is(tmp_path, name, data, expect):
    path = tmp_path / name
    path.write_bytes(data)
    sub = scan_file(path, name, False)
    assert (sub.parse_error, sub.member, sub.archive) == expect
    if expect[0] is None:
        assert sub.notebook_id == "s042"


def test_an_archive_member_that_lies_about_its_size_is_cut_off_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(collect, "MAX_MEMBER_BYTES", 5000)
    raw = bytearray(_zip({"a.ipynb": b"{" + b" " * 20000 + b"}"}))
    # rewrite the member's declared sizes to 10 bytes in both headers: reading must still stop at the cap
    zf = zipfile.ZipFile(io.BytesIO(bytes(raw)))
    info = zf.infolist()[0]
    local = info.header_offset
    raw[local + 22:local + 26] = (10).to_bytes(4, "little")
    central = bytes(raw).rindex(b"PK\x01\x02")
    raw[central + 24:central + 28] = (10).to_bytes(4, "little")
    path = tmp_path / "bomb.zip"
    path.write_bytes(bytes(raw))
    sub = scan_file(path, "bomb.zip", False)
    assert sub.archive and sub.member is None
    assert sub.parse_error in ("an archive (zip) whose notebook is larger than 0 MB",
                               "an archive (zip) with no notebook in it")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.zip"]  # nothing extracted


def test_assignment_must_carry_the_canvas_id():
    check_assignment(None)
    check_assignment("Lab 01: Budgeting (123456)")
    for bad in ("Lab 01", "Lab 01 (abc)", "(123)", " Lab 01 (123)"):
        with pytest.raises(GradingError) as info:
            check_assignment(bad)
        assert str(info.value) == (
            f"--assignment {bad!r} has no Canvas assignment id. Give the assignment's column header exactly as "
            "Canvas's gradebook export writes it, 'Name (id)', for example --assignment \"Lab 01: Budgeting "
            "(123456)\" (Grades > Export in Canvas, then copy the header). Canvas fills an existing assignment only "
            "when the header carries its id; without one, the import creates a new assignment.")
    check_missing("blank")
    check_missing("zero")
    with pytest.raises(GradingError):
        check_missing("skip")


def test_grading_mode_obeys_the_grader_id_and_records_checked_copies(monkeypatch):
    import pandas as pd

    from mhsm_lessons.grading.answers import collect_source
    from mhsm_lessons.practice import session

    monkeypatch.setenv("MHSM_GRADING", "1")
    for name in ("_GRADING_SESSIONS", "_GRADING_REQUESTED", "_GRADER_ID"):
        monkeypatch.setattr(session, name, [])
    monkeypatch.setattr(session, "_GRADING_CHECKED", {})
    session._set_grader_id(" S316 ")
    lab = session.start_lab(LAB, student_id="t043")
    assert lab.student_id == "s316"
    assert session._grading_session_ids() == ["s316"] and session._grading_requested_ids() == ["t043"]
    table = pd.DataFrame({"a": [1.0]})
    result = lab.check("q10", table)
    table.loc[0, "a"] = 99.0  # changed in place after the check: the copy keeps what the check saw
    worked_hppd = 7.5
    assert lab.check("q6", worked_hppd).status == "recorded for grading"
    worked_hppd = 0.0  # reassigned after its check: the check's value is what gets graded
    assert result.status == "recorded for grading"
    assert session._grading_checked()["q10"].loc[0, "a"] == 1.0
    # the collection code the grader sends returns the checked values as plain data, next to the answers
    namespace = {"worked_hppd": worked_hppd}
    exec(collect_source(["worked_hppd"]), namespace)  # noqa: S102 - our own code, as the grader sends it
    data = json.loads(namespace["_mhsm_answers_json"])
    assert data["checked"]["q10"]["rows"] == [[1.0]]
    assert data["checked"]["q6"] == {"type": "float", "value": 7.5}
    assert data["answers"]["worked_hppd"] == {"type": "float", "value": 0.0}
    assert "correct" not in json.dumps(data)  # no verdict travels from the kernel
    session._set_grader_id("s001")  # a notebook can call it: its sessions then report the other id (flagged)
    assert session.start_lab(LAB).student_id == "s001"
    assert session._grading_session_ids() == ["s316", "s001"]
