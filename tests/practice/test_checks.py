"""The check engine: type and shape before value, explicit tolerances, exact student-facing messages, no crashes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mhsm_lessons import start_lab
from mhsm_lessons.practice.checks import (CORRECT, NOT_ANSWERED, NOT_YET, CheckResult, Label, Misconception, Number,
                                 Percent, Proportion, Question, Table)


class Ctx:
    """A stand-in lab context: expected values come from plain attributes."""

    def __init__(self, **values):
        self.__dict__.update(values)


def q(kind, expected, misconceptions=()):
    return Question("qx", "Test question", "answer", kind, expected=lambda ctx: expected,
                    misconceptions=misconceptions, hints=("h1",), success="Well said.")


DOLLARS = Number("dollars", tolerance=1.0, signed=True, what="the test variance")


@pytest.mark.parametrize("answer, message", [
    (None, "Your answer is None, so there is nothing to check yet. Assign the result of your calculation to the "
           "answer variable (a function that prints instead of returning gives None)."),
    ("$1,200", "Your answer is text ('$1,200'), but this question asks for a single number (dollars). Remove the "
               "quotes (and any $, % or commas): write 1200 rather than '$1,200'."),
    ("about twelve hundred", "Your answer is text ('about twelve hundred'), but this question asks for a single "
                             "number (dollars). Assign the result of a calculation, not a sentence."),
    (True, "Your answer is the boolean True, but this question asks for a single number (dollars)."),
    (pd.Series([1.0, 2.0, 3.0]), "Your answer is a pandas Series with 3 values, but this question asks for a single "
                                 "number (dollars). Select the one month the task names (for example with .loc) "
                                 "or add the values up, as the task says."),
    (pd.Series([1200.0]), "Your answer is a pandas Series with 1 value holding one value, but this question asks "
                          "for the number itself. Take it out with .item() (or .iloc[0] for a Series)."),
    (pd.DataFrame({"a": [1, 2], "b": [3, 4]}), "Your answer is a pandas DataFrame (2 rows × 2 columns), but this "
                                               "question asks for a single number (dollars). Select the one month "
                                               "the task names (for example with .loc) or add the values up, as "
                                               "the task says."),
    (float("nan"), "Your answer is NaN (not a number). This usually means a filter matched no rows, a column name "
                   "is misspelled, or a value was missing. Print the pieces of your calculation to see where the "
                   "NaN comes from."),
    (float("inf"), "Your answer is infinite. This usually means a division by zero: check the denominator of your "
                   "calculation."),
    (pd.NA, "Your answer is a missing value (NA). This usually means a filter matched no rows: check the month and "
            "the column names."),
    (3 + 4j, "Your answer is a complex number, but this question asks for a single number (dollars)."),
    ({"a": 1}, "Your answer is a dict with 1 item, but this question asks for a single number (dollars)."),
])
def test_number_rejects_wrong_types_with_exact_messages(answer, message):
    result = q(DOLLARS, 1200.0).evaluate(answer, Ctx())
    assert result.status == NOT_YET
    assert result.message == message


def test_not_answered_and_correct_and_tolerance():
    question = q(DOLLARS, 1200.0)
    assert question.evaluate(..., Ctx()).status == NOT_ANSWERED
    assert question.evaluate(..., Ctx()).message == ("Replace the ... in answer = ... with your answer, then run "
                                                     "this cell again.")
    assert question.evaluate(1200.9, Ctx()).status == CORRECT
    assert question.evaluate(np.float64(1199.2), Ctx()).status == CORRECT
    assert question.evaluate(1201.2, Ctx()).status == NOT_YET
    assert question.evaluate(1200, Ctx()).message == "Well said."


def test_sign_flip_is_recognised_as_the_gapenski_convention():
    result = q(DOLLARS, 1200.0).evaluate(-1200.0, Ctx())
    assert result.misconception == "reversed sign"
    assert result.message == (
        "Your answer has the right size but the opposite sign. In this course a variance is actual − budget: on an "
        "expense line a positive variance means spending above budget (Unfavorable). You may have computed "
        "budget − actual, the convention some finance texts (Gapenski & Reiter) use.")


def test_near_miss_and_generic_wrong_messages():
    near = q(DOLLARS, 1200.0).evaluate(1205.0, Ctx())
    assert near.message == ("Your answer $1,205.00 is close, but not within the tolerance of ±1 dollars. Keep full "
                            "precision in the intermediate steps and round only at the end.")
    wrong = q(DOLLARS, 1200.0).evaluate(-50.0, Ctx())
    assert wrong.message == ("Your answer -$50.00 is not the test variance yet. Check each input against the task: "
                             "the month, the rows you selected and the formula.")


def test_percent_and_proportion_mixups_have_their_own_messages():
    prop = q(Proportion(tolerance=0.001, what="the share"), 0.873)
    assert prop.evaluate(87.3, Ctx()).message == (
        "Your answer 87.3 looks like a percentage. This question asks for a proportion between 0 and 1: divide by "
        "100 (for example 0.873, not 87.3).")
    pct = q(Percent(tolerance=0.05, what="the percent"), 4.2)
    assert pct.evaluate(0.042, Ctx()).message == (
        "Your answer 0.042 looks like a proportion. This question asks for a percentage: multiply by 100 (for "
        "example 4.2, not 0.042).")
    assert pct.evaluate(4.24, Ctx()).status == CORRECT
    assert prop.evaluate(0.8735, Ctx()).status == CORRECT


def test_misconception_wins_over_generic_message_but_not_over_correct():
    mis = Misconception("static budget", lambda ctx: 1000.0, "That is the static budget.")
    question = q(DOLLARS, 1200.0, (mis,))
    assert question.evaluate(1000.0, Ctx()).message == "That is the static budget."
    assert question.evaluate(1000.0, Ctx()).misconception == "static budget"
    # A misconception whose value equals the right answer must not fire (e.g. when volume equals budget).
    same = q(DOLLARS, 1000.0, (mis,))
    assert same.evaluate(1000.0, Ctx()).status == CORRECT


class AlwaysEqual:
    """A hostile answer: equal to everything, truthy, with a broken repr."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __repr__(self):
        raise RuntimeError("no repr for you")

    def __float__(self):
        return 1200.0


def test_objects_whose_eq_is_always_true_do_not_pass():
    for kind, expected in ((DOLLARS, 1200.0), (Label({"Favorable": ("f",), "Unfavorable": ("u",)}), "Favorable")):
        result = q(kind, expected).evaluate(AlwaysEqual(), Ctx())
        assert result.status == NOT_YET
    assert q(DOLLARS, 1200.0).evaluate(AlwaysEqual(), Ctx()).message == (
        "Your answer is a AlwaysEqual (<AlwaysEqual object>), but this question asks for a single number (dollars).")


LABEL = Label({"Favorable": ("favorable", "favourable", "f"), "Unfavorable": ("unfavorable", "unfavourable", "u")},
              what="the right label")


@pytest.mark.parametrize("answer", ["Favorable", "favourable", " F ", "FAVORABLE."])
def test_label_accepts_spelling_variants(answer):
    assert q(LABEL, "Favorable").evaluate(answer, Ctx()).status == CORRECT


def test_label_messages():
    question = q(LABEL, "Favorable")
    assert question.evaluate("Good", Ctx()).message == (
        "Your answer 'Good' is not one of the labels this question accepts: 'Favorable' or 'Unfavorable'.")
    assert question.evaluate(-5, Ctx()).message == (
        "Your answer is a int (-5), but this question asks for one of the words 'Favorable' or 'Unfavorable', in "
        "quotes.")
    assert question.evaluate("U", Ctx()).message == (
        "Unfavorable is not the right label yet. Work out the variance first, then decide what it means.")


TABLE = Table(key="line_item", numeric=("budget", "actual", "variance"), text=("label",), tolerance=0.01,
              sign_column="variance", what="the report", row_name="line item")
EXPECTED = pd.DataFrame({"line_item": ["Revenue", "Supplies"], "budget": [100.0, 50.0], "actual": [110.0, 45.0],
                         "variance": [10.0, -5.0], "label": ["Favorable", "Favorable"]})


def test_table_correct_in_any_row_order_and_with_extra_columns():
    answer = EXPECTED.iloc[::-1].assign(note="x")
    assert q(TABLE, EXPECTED).evaluate(answer, Ctx()).status == CORRECT
    assert q(TABLE, EXPECTED).evaluate(EXPECTED.set_index("line_item"), Ctx()).status == CORRECT


@pytest.mark.parametrize("answer, message", [
    (EXPECTED.drop(columns=["variance", "label"]),
     "Your table is missing the column(s) 'variance', 'label'. It has: 'line_item', 'budget', 'actual'. Name the "
     "columns exactly as the task says."),
    (EXPECTED.iloc[0:0], "Your table has no rows. Check the filter you used to select the month."),
    (pd.concat([EXPECTED, EXPECTED]), "Your table has 4 rows and some line items appear more than once. The report "
                                      "needs exactly one row per line item: filter to the one month the task names "
                                      "first."),
    (EXPECTED.assign(variance=["10", "-5"]), "The column 'variance' should hold numbers (dollars), but it holds str "
                                              "values. Compute it rather than typing text."),
    (EXPECTED.assign(variance=[10.0, np.nan]), "The column 'variance' has missing or infinite values, for example "
                                                "for 'Supplies'."),
    (EXPECTED.assign(variance=[-10.0, 5.0]),
     "Every value in 'variance' has the opposite sign. In this course a variance is actual − budget: on an expense "
     "line a positive variance means spending above budget (Unfavorable). You may have computed budget − actual, "
     "the convention some finance texts (Gapenski & Reiter) use."),
    (EXPECTED.iloc[:1], "Your table is missing these line items: 'Supplies'."),
    (EXPECTED.assign(actual=[110.0, 46.0]), "The 'actual' value for 'Supplies' does not match. Check the month and "
                                            "the formula for 'actual'."),
    (EXPECTED.assign(label=["Favorable", "Unfavorable"]), "The 'label' for 'Supplies' is not right."),
    (EXPECTED["budget"], "Your answer is a pandas Series with 2 values, but this question asks for a table (a pandas "
                         "DataFrame) with the columns line_item, budget, actual, variance, label."),
])
def test_table_messages(answer, message):
    result = q(TABLE, EXPECTED).evaluate(answer, Ctx())
    assert result.status == NOT_YET
    assert result.message == message


def test_result_renders_as_text_and_html():
    result = CheckResult("q1", NOT_YET, "Try <again> & again.", title="Flexible budget")
    assert str(result) == ("❌ q1: not yet (Flexible budget)\nTry <again> & again.\n"
                           "Stuck? Run lab.hint('q1') for a hint.")
    assert "Try &lt;again&gt; &amp; again." in result._repr_html_()
    assert not result.passed


ANSWERS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.complex_numbers(), st.lists(st.floats(), max_size=4), st.dictionaries(st.text(max_size=3), st.integers()),
    st.builds(lambda xs: pd.Series(xs, dtype=float), st.lists(st.floats(), max_size=4)),
    st.builds(lambda xs: pd.DataFrame({"line_item": [str(x) for x in xs], "budget": xs}),
              st.lists(st.floats(), max_size=4)),
    st.just(AlwaysEqual()), st.just(np.array([[1.0]])), st.just(pd.NaT), st.just(object()),
)


@settings(max_examples=150, deadline=None)
@given(answer=ANSWERS)
def test_no_student_input_makes_any_lab01_check_raise(answer):
    lab = _LAB
    for question in lab.spec.questions:
        result = lab.check(question.qid, answer)
        assert result.status in (CORRECT, NOT_YET, NOT_ANSWERED)
        assert isinstance(result.message, str) and result.message
        if result.status == NOT_YET:
            assert "Traceback" not in result.message


_LAB = start_lab("01_budgeting_lab", student_id="fuzz")


def test_a_failing_reference_calculation_is_reported_not_raised():
    broken = Question("qb", "Broken", "x", DOLLARS, expected=lambda ctx: 1 / 0)
    spec = _LAB.spec.__class__("t", "T", (), (broken,))
    lab = _LAB.__class__(spec)
    result = lab.check("qb", 5.0)
    assert result.status == NOT_YET
    assert result.message == ("The check itself failed (ZeroDivisionError). This is a problem in mhsm_lessons, not "
                              "in your answer: please tell your instructor.")


class BrokenReal(float):
    """A float subclass whose conversion fails: the 'could not be read' path."""

    def __float__(self):
        raise ValueError("broken")


class ExplodingFrame(pd.DataFrame):
    """A DataFrame whose columns cannot be read: the last-resort 'could not read your answer' path."""

    @property
    def columns(self):
        raise RuntimeError("boom")


def test_remaining_messages_word_for_word():
    assert q(DOLLARS, 1200.0).evaluate(BrokenReal(3.0), Ctx()).message == (
        "Your answer (3.0) could not be read as a number.")
    assert q(LABEL, "Favorable").evaluate(None, Ctx()).message == (
        "Your answer is None. Assign one of 'Favorable' or 'Unfavorable' (in quotes) to the answer variable.")
    assert q(TABLE, EXPECTED).evaluate(None, Ctx()).message == (
        "Your answer is None. Assign a pandas DataFrame with the columns line_item, budget, actual, variance, label.")
    unreadable = q(TABLE, EXPECTED).evaluate(ExplodingFrame({"a": [1]}), Ctx())
    assert (unreadable.status, unreadable.message) == (NOT_YET, "The check could not read your answer (RuntimeError). "
                                                                "Assign a plain value of the kind the task asks for.")
