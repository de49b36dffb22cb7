"""What a student's answer cell shows: no raw Python reprs for an unanswered `...` or a numpy number."""
from __future__ import annotations

import numpy as np
from IPython.core.interactiveshell import InteractiveShell

from mhsm_lessons.practice import session


def test_plain_reprs_for_ellipsis_and_numpy_numbers():
    shell = InteractiveShell.instance()
    session._install_plain_reprs(shell)
    show = lambda value: shell.display_formatter.format(value)[0]["text/plain"]  # noqa: E731
    assert show(...) == "... (not answered yet)"
    assert show(np.float64(177593.30400000003)) == "177593.30400000003"
    assert show(np.int64(42)) == "42"
    assert show(np.bool_(True)) == "True"
    assert show(1.5) == "1.5"  # plain Python values are untouched
