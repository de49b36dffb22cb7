"""The lab session: NameError-safe checks, ids that ignore case and spacing (said to the student)."""
from __future__ import annotations

from mhsm_lessons import load_dataset, start_lab
from mhsm_lessons.practice.checks import CORRECT, NOT_ANSWERED


def test_check_without_answer_reads_the_notebook_variable_or_says_not_answered():
    lab = start_lab("01_budgeting_lab")
    namespace = {"lab": lab}
    exec('result = lab.check("q1")', namespace)  # the answer cell failed: rn_flexible_budget never assigned
    assert namespace["result"].status == NOT_ANSWERED
    assert namespace["result"].message == ("rn_flexible_budget is not defined yet: run the answer cell above (and fix "
                                           "any error it shows), then run this cell again.")
    namespace["rn_flexible_budget"] = lab.expected("q1")
    exec('result = lab.check("q1")', namespace)
    assert namespace["result"].status == CORRECT
    namespace["rn_flexible_budget"] = ...
    exec('result = lab.check("q1")', namespace)
    assert namespace["result"].status == NOT_ANSWERED


def test_ids_differing_in_case_or_spacing_get_the_same_data_with_a_visible_note():
    assert load_dataset("medsurg_labor", "S042").equals(load_dataset("medsurg_labor", "s042"))
    assert load_dataset("medsurg_labor", "Jane  Doe").equals(load_dataset("medsurg_labor", "jane doe"))
    lab = start_lab("01_budgeting_lab", "S042")
    assert lab.student_id == "s042"
    assert repr(lab).endswith("\nYour id 'S042' is read as 's042': capital letters and extra spaces do not change "
                              "your data.")
    assert start_lab("01_budgeting_lab", "s042").id_note == ""
    assert "read as 'jane doe'" in repr(start_lab("01_budgeting_lab", "Jane  Doe"))


def test_check_cell_after_a_failed_answer_cell_says_not_answered():
    """The rewrite start_lab installs in IPython: lab.check("q1", undefined_name) reaches the check, no NameError."""
    import ast

    from mhsm_lessons.practice.session import _SafeCheckCalls

    lab = start_lab("01_budgeting_lab")
    tree = _SafeCheckCalls().visit(ast.parse('result = lab.check("q1", rn_flexible_budget)'))
    code = compile(ast.fix_missing_locations(tree), "<check cell>", "exec")
    namespace = {"lab": lab}
    exec(code, namespace)
    assert namespace["result"].status == NOT_ANSWERED
    assert str(namespace["result"]) == (
        "⬜ q1: not answered (RN flexible budget)\nrn_flexible_budget is not defined yet: run the answer cell above "
        "(and fix any error it shows), then run this cell again.")
    namespace["rn_flexible_budget"] = lab.expected("q1")
    exec(code, namespace)
    assert namespace["result"].status == CORRECT


def test_html_feedback_escapes_dollars_so_jupyterlab_does_not_typeset_them():
    lab = start_lab("01_budgeting_lab")
    page = lab.check("q1", "$1,200")._repr_html_()
    assert "\\$1,200" in page and not __import__("re").search(r"(?<!\\)\$", page)
    from mhsm_lessons import describe_dataset
    assert not __import__("re").search(r"(?<!\\)\$", describe_dataset("medsurg_labor")._repr_html_())


def test_only_check_calls_with_a_question_id_are_rewritten():
    import ast

    from mhsm_lessons.practice.session import _SafeCheckCalls

    for source in ("x.check(a, b)", "lab.check('q1', b, c)", "lab.check('q1', b.c)", "check('q1', b)"):
        assert ast.dump(_SafeCheckCalls().visit(ast.parse(source))) == ast.dump(ast.parse(source)), source
    assert "_lookup" in ast.dump(_SafeCheckCalls().visit(ast.parse("lab.check('q1', b)")))
