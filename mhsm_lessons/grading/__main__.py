"""The runner process: ``python -m mhsm_lessons.grading --run JOB.json`` (started by ``mhsm grade``)."""
import sys

from .runner import _runner_main

if __name__ == "__main__":  # pragma: no cover - the runner process
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        sys.exit(_runner_main(sys.argv[2]))
    print("usage: python -m mhsm_lessons.grading --run JOB.json (used by mhsm grade)", file=sys.stderr)
    sys.exit(2)
