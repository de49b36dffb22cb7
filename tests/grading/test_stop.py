"""A stop (Ctrl-C, SIGTERM) is never turned into a result.

Found on the Dask path, where the instructor's process judges answers in its main thread: a SIGINT that landed
while a practice check was judging q12 was caught as "The check itself failed (GradingInterrupted)", graded 0 and
kept in the manifest, so the resumed run reported 12/13 for full-credit work.
"""
import os
import signal

import pytest

from mhsm_lessons import start_lab
from mhsm_lessons.grading import GradingInterrupted
from mhsm_lessons.grading.manifest import _stop_signals, stop_requested


def test_a_stop_inside_a_check_stops_instead_of_becoming_a_check_error(monkeypatch):
    lab = start_lab("01_budgeting_lab", "s001")
    question = lab.spec.question("q12")

    def interrupted(self, answer, lab):
        raise GradingInterrupted(signal.SIGINT, "stopped")

    monkeypatch.setattr(type(question), "evaluate", interrupted)
    with pytest.raises(GradingInterrupted):
        lab.check("q12", 1234)


def test_a_bug_in_a_check_is_still_a_check_error(monkeypatch):
    lab = start_lab("01_budgeting_lab", "s001")
    question = lab.spec.question("q12")

    def broken(self, answer, lab):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(type(question), "evaluate", broken)
    result = lab.check("q12", 1234)
    assert result.message == ("The check itself failed (ZeroDivisionError). This is a problem in mhsm_lessons, not "
                              "in your answer: please tell your instructor.")


def test_the_stop_is_remembered_even_when_its_exception_is_caught():
    with _stop_signals():
        assert stop_requested() is None
        try:
            os.kill(os.getpid(), signal.SIGINT)  # the handler runs here, in this (the main) thread
        except Exception:  # noqa: BLE001 - what a library with a broad except would do: it must not catch the stop
            pytest.fail("GradingInterrupted was caught by `except Exception`")
        except GradingInterrupted as exc:
            assert exc.signum == signal.SIGINT
        assert stop_requested() == signal.SIGINT
    with _stop_signals():  # a new run starts with no stop requested
        assert stop_requested() is None
