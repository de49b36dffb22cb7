"""The ``mhsm`` command: release exercises, export datasets, build notebooks.

Run it from the project root (the folder with ``solutions/`` and ``datasets/``) or any folder below it.
Exit status: 0 success, 1 a ``--check`` found problems, 2 a usage or input error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main", "project_root"]


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``environment.yml`` and ``solutions/``; else ``start``."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "environment.yml").exists() and (folder / "solutions").is_dir():
            return folder
    return start


def _report(problems: list[str], ok: str, out=sys.stdout, err=sys.stderr) -> int:
    if problems:
        for line in problems:
            print(line, file=err)
        return 1
    print(ok, file=out)
    return 0


def _cmd_release(args) -> int:
    from .release import check_release, release
    root = project_root()
    solutions, exercises = root / args.solutions, root / args.exercises
    if args.check:
        return _report(check_release(solutions, exercises), f"exercises/ is in step with solutions/ "
                       f"({len(list(solutions.glob('*.ipynb')))} notebooks, no leaks)")
    for path in release(solutions, exercises):
        print(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    return 0


def _cmd_data_export(args) -> int:
    from .data import check_datasets, export_datasets
    dest = project_root() / args.out
    if args.check:
        return _report(check_datasets(dest), f"{args.out}/ matches the generators")
    for path in export_datasets(dest):
        print(f"wrote {path}")
    return 0


def _cmd_build(args) -> int:
    from .build import build
    root = project_root()
    paths = [Path(p) for p in args.notebooks] or sorted((root / "notebooks").glob("*.ipynb")) + sorted(
        (root / "solutions").glob("*.ipynb"))
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"no such notebook: {missing[0]}", file=sys.stderr)
        return 2
    build(paths, timeout=args.timeout)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mhsm", description="MHSM Lessons course tools.")
    sub = parser.add_subparsers(dest="command", required=True)

    rel = sub.add_parser("release", help="write exercises/ from solutions/")
    rel.add_argument("--check", action="store_true", help="fail, listing drift or leaks, instead of writing")
    rel.add_argument("--solutions", default="solutions", help="solution notebooks folder (default: solutions)")
    rel.add_argument("--exercises", default="exercises", help="exercise notebooks folder (default: exercises)")
    rel.set_defaults(func=_cmd_release)

    data = sub.add_parser("data", help="dataset tools")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    export = data_sub.add_parser("export", help="write datasets/ (default student id) and datapackage.json")
    export.add_argument("--check", action="store_true", help="fail, naming the file, when datasets/ differs")
    export.add_argument("--out", default="datasets", help="destination folder (default: datasets)")
    export.set_defaults(func=_cmd_data_export)

    bld = sub.add_parser("build", help="re-execute notebooks/ and solutions/ so stored outputs are current")
    bld.add_argument("notebooks", nargs="*", help="notebooks to build (default: notebooks/ and solutions/)")
    bld.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    bld.set_defaults(func=_cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
