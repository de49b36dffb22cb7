"""What every lab's questions must do, for every lab in ``mhsm_lessons.labs`` and several student ids."""
from __future__ import annotations

import pytest

from mhsm_lessons import list_labs, start_lab
from mhsm_lessons.practice.checks import CORRECT, NOT_ANSWERED

STUDENTS = ("default", "s101", "s202", "s303")


@pytest.mark.parametrize("student_id", STUDENTS)
@pytest.mark.parametrize("lab_id", list_labs())
def test_every_question_accepts_its_own_expected_answer(lab_id, student_id):
    lab = start_lab(lab_id, student_id=student_id)
    assert 8 <= len(lab.spec.questions) <= 12
    for question in lab.spec.questions:
        assert lab.check(question.qid, lab.expected(question.qid)).status == CORRECT, question.qid


@pytest.mark.parametrize("lab_id", list_labs())
def test_every_question_reports_not_answered_for_the_placeholder(lab_id):
    lab = start_lab(lab_id, student_id="s101")
    for question in lab.spec.questions:
        result = lab.check(question.qid, ...)
        assert result.status == NOT_ANSWERED
        assert result.message == (f"Replace the ... in {question.variable} = ... with your answer, then run this "
                                  "cell again.")
