"""``python -m mhsm_lessons.grading ARGS`` is ``mhsm grade ARGS``."""
import sys

from ..cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(["grade", *sys.argv[1:]]))
