"""The run's hold on ``--out``: its lock, its manifest (committed after every result) and its stop signals."""
from __future__ import annotations

import json
import signal
import threading
from contextlib import contextmanager
from pathlib import Path

from ._common import GRADER_VERSION, LOCK, MANIFEST_FORMAT, GradingError, GradingInterrupted
from .outputs import _atomic_write


@contextmanager
def _locked(out: Path):
    """Hold ``out/.mhsm-grade.lock`` for the run; a second run into the same folder stops at once."""
    out.mkdir(parents=True, exist_ok=True)
    fh = open(out / LOCK, "a+")
    try:
        try:
            import fcntl
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: no lock
            pass
        except OSError:
            raise GradingError(f"Another mhsm grade run is writing into {out}. Wait for it to finish (or stop it), "
                               "or choose another --out folder.") from None
        yield
    finally:
        fh.close()


_STOP: dict = {"signum": None}


def stop_requested() -> int | None:
    """The signal that asked this run to stop, or None. Loops that wait inside other libraries check it, because
    such a library may catch the exception the handler raises and carry on."""
    return _STOP["signum"]


@contextmanager
def _stop_signals():
    """Turn SIGTERM (and SIGINT) into an exception in the main thread, for a prompt, clean stop (and remember the
    signal, see :func:`stop_requested`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        _STOP["signum"] = signum
        raise GradingInterrupted(signum, "stopped")
    _STOP["signum"] = None
    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


class _Manifest:
    """``out/manifest.json``: every result of every run into ``out``, rewritten atomically after each one."""

    def __init__(self, path: Path, force: bool):
        self.path, self.lock, self.entries = path, threading.Lock(), {}
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if loaded.get("format") == MANIFEST_FORMAT and loaded.get("grader_version") == GRADER_VERSION:
                    self.entries = dict(loaded.get("entries", {}))
            except (OSError, ValueError, AttributeError):
                self.entries = {}
        self.reuse = not force

    def commit(self, key: str, record: dict) -> None:
        self.commit_many({key: record})

    def commit_many(self, records: dict) -> None:
        """Add ``records`` (key -> record) and rewrite the file once: the files that need no kernel are committed
        together (one at a time, a folder of 20,000 files meant 20,000 rewrites of a growing file)."""
        if not records:
            return
        with self.lock:
            self.entries.update(records)
            _atomic_write(self.path, json.dumps({"format": MANIFEST_FORMAT, "grader_version": GRADER_VERSION,
                                                 "entries": self.entries}, indent=1, sort_keys=True) + "\n")
