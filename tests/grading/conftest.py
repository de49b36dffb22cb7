"""One graded class shared by every grading test module (grading it is the expensive part)."""
import pytest

from .classroom import grade_class


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    return grade_class(tmp_path_factory)
