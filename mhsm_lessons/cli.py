"""The ``mhsm`` command: release exercises, export datasets, build notebooks, grade, and the class views.

Run it from the project root (the folder with ``solutions/`` and ``datasets/``) or any folder below it.
Exit status: 0 success, 1 a ``--check`` found problems, 2 a usage or input error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._paths import project_root

__all__ = ["main", "project_root"]


def _report(problems: list[str], ok: str, out=sys.stdout, err=sys.stderr) -> int:
    if problems:
        for line in problems:
            print(line, file=err)
        return 1
    print(ok, file=out)
    return 0


def _cmd_release(args) -> int:
    from .authoring.release import check_release, release
    if args.student_edition:
        if args.check:
            print("--check and --student-edition cannot be combined", file=sys.stderr)
            return 2
        args.out = args.student_edition
        return _cmd_student_edition(args)
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
    from .authoring.build import build
    root = project_root()
    paths = [Path(p) for p in args.notebooks] or sorted((root / "notebooks").glob("*.ipynb")) + sorted(
        (root / "solutions").glob("*.ipynb"))
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"no such notebook: {missing[0]}", file=sys.stderr)
        return 2
    build(paths, timeout=args.timeout)
    return 0


def _cmd_grade(args) -> int:
    from .grading import GradeSettings, GradingError, GradingInterrupted, grade
    settings = GradeSettings(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                             memory_mb=args.memory_mb, workers=args.workers)
    try:
        run = grade(args.submissions, args.out, lab_id=args.lab, solution=args.solution, roster=args.roster,
                    settings=settings, force=args.force, assignment=args.assignment,
                    progress=None if args.quiet else sys.stderr, isolation=args.isolation, missing=args.missing,
                    scheduler=args.scheduler)
    except GradingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except GradingInterrupted as exc:
        print(str(exc), file=sys.stderr)
        return 128 + int(exc.signum)
    print(run.summary_line())
    from .grading.gradebook import review_lines  # what was not graded, and the rows to check before an import
    for line in review_lines(run.rows, run.submissions, args.missing, args.assignment,
                             canvas=any(f.name == "canvas.csv" for f in run.files)):
        print(line)
    if run.grader_errors:
        print(f"{run.grader_errors} submissions could not be run because of a problem on the grader's side (see "
              "'grader error' in the gradebook); run the same command again to grade them.", file=sys.stderr)
        return 1
    return 0


def _cmd_demo_class(args) -> int:
    from .grading.demo_class import write_demo_class
    root = project_root()
    solution = Path(args.solution) if args.solution else root / "solutions" / "01_budgeting_lab.ipynb"
    if not solution.exists():
        print(f"no such solution notebook: {solution} (run from the course folder or pass --solution)",
              file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not args.force:
        print(f"{out} is not empty: mhsm demo-class writes submissions/ and roster.csv there and would overwrite "
              "what is in it. Choose a new or empty folder, or pass --force.", file=sys.stderr)
        return 2
    try:
        students = write_demo_class(solution, args.out, args.n)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    files = sum(len(s.files) for s in students)
    print(f"wrote {files} submissions from {len(students)} students to {Path(args.out) / 'submissions'} and a "
          f"roster to {Path(args.out) / 'roster.csv'}")
    return 0


def _cmd_start(args) -> int:
    from .practice.workspace import start_exercise
    root = project_root()
    try:
        path, created = start_exercise(args.lab, root)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    rel = path.relative_to(root).as_posix()
    if created:
        print(f"Your copy of the lab is {rel}. Open it in JupyterLab (make lab, then the work folder) and answer "
              "there; exercises/ stays untouched.")
    else:
        print(f"{rel} already exists and holds your answers: open it in JupyterLab. (Nothing was overwritten; to "
              "start again, rename or delete it first.)")
    return 0


def _cmd_class_log(args) -> int:
    from .practice.classlog import class_log_table, parse_since, read_check_logs, select_records, students_seen
    try:
        since = parse_since(args.since) if args.since else None
        records, skipped = read_check_logs(args.logs)
    except (FileNotFoundError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    records, left_out = select_records(records, include_demo=args.include_demo, since=since)
    table = class_log_table(records, lab=args.lab)
    seen = students_seen(records, lab=args.lab)
    if table.empty:
        print("No checks recorded yet.")
    else:
        shown = table.assign(share_stuck=[f"{x:.0%}" for x in table["share_stuck"]])
        print(shown.to_string(index=False))
    print(f"{len(seen)} student{'' if len(seen) == 1 else 's'} seen" + (f": {', '.join(seen)}" if seen else ""))
    for reason, count in left_out.items():
        hint = " (--include-demo shows them)" if reason == "demo or default id" else ""
        print(f"({count} check{'' if count == 1 else 's'} left out: {reason}{hint})", file=sys.stderr)
    if skipped:
        print(f"({skipped} unreadable lines skipped)", file=sys.stderr)
    return 0


def _cmd_hub_link(args) -> int:
    from .authoring.hublink import HubLinkError, binder_link, hub_link
    try:
        make, where = (binder_link, args.binder) if args.binder else (hub_link, args.hub)
        link = make(where, args.repo, args.lab, branch=args.branch, target=args.target, notebook=args.notebook,
                    source=args.source, check=not args.no_check)
    except HubLinkError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for warning in link.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(link.url)
    return 0


def _cmd_student_edition(args) -> int:
    from .authoring.edition import EditionError, write_student_edition
    try:
        report = write_student_edition(project_root(), args.out, force=args.force)
    except EditionError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(report.summary())
    return 0


def _count(what: str, example: str, *, cast=int, minimum: float = 1, above: bool = False, bound: str = ""):
    """An argparse type: a finite ``cast`` number at least ``minimum`` (above it when ``above``), refused with a
    message that names what was expected, what was given and an example (argparse then exits with status 2)."""
    import math

    def parse(text: str):
        try:
            value = cast(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value < minimum or (above and value == minimum):
            raise argparse.ArgumentTypeError(f"expected {what}, {bound or f'{minimum:g} or more'} (for example "
                                             f"{example}); you gave {text!r}.")
        return value
    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mhsm", description="MHSM Lessons course tools.")
    sub = parser.add_subparsers(dest="command", required=True)

    rel = sub.add_parser("release", help="write exercises/ from solutions/")
    rel.add_argument("--check", action="store_true", help="fail, listing drift or leaks, instead of writing")
    rel.add_argument("--solutions", default="solutions", help="solution notebooks folder (default: solutions)")
    rel.add_argument("--exercises", default="exercises", help="exercise notebooks folder (default: exercises)")
    rel.add_argument("--student-edition", metavar="DIR",
                     help="instead, write the student edition (lessons and exercises, no solutions) to DIR")
    rel.add_argument("--force", action="store_true", help="with --student-edition: replace DIR's contents")
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

    grd = sub.add_parser("grade", help="batch-grade submitted notebooks into a gradebook and feedback pages")
    grd.add_argument("submissions", nargs="+", help="submitted notebooks, or folders of them")
    grd.add_argument("--out", required=True, help="output folder (gradebook.csv, feedback/, class_summary.*)")
    grd.add_argument("--roster", help="roster CSV: student_id[, name, section, file, canvas_id, sis_user_id, "
                                      "sis_login_id]")
    grd.add_argument("--lab", help="lab id (default: the one the submissions name)")
    grd.add_argument("--solution", help="solution notebook holding the points (default: solutions/<lab>.ipynb)")
    grd.add_argument("--workers", type=_count("a whole number of workers", "--workers 2"), default=0,
                     help="notebooks run in parallel (default: one per two CPU cores; each worker also starts its "
                          "next kernel while a notebook runs)")
    seconds = dict(cast=float, minimum=0, above=True, bound="above 0")
    grd.add_argument("--cell-timeout", type=_count("a number of seconds", "--cell-timeout 120", **seconds),
                     default=120, help="seconds per cell (default: 120)")
    grd.add_argument("--notebook-timeout", type=_count("a number of seconds", "--notebook-timeout 600", **seconds),
                     default=600, help="seconds per notebook (default: 600)")
    grd.add_argument("--memory-mb", type=_count("a whole number of megabytes", "--memory-mb 4096", minimum=0,
                                                bound="0 (no limit) or more"), default=4096,
                     help="memory limit of each kernel in MB (RLIMIT_AS, Linux; default: 4096; 0: no limit)")
    grd.add_argument("--assignment", help='the Canvas assignment to fill, as its gradebook export names the column: '
                                          '"Name (id)", e.g. "Lab 01: Budgeting (123456)" (default: the lab\'s '
                                          'title, which Canvas imports as a new assignment)')
    grd.add_argument("--missing", choices=("blank", "zero"), default="blank",
                     help="canvas.csv cell for a student without graded work or with an 'id changed' row: "
                          "blank (default: no 0 to import over a score already in Canvas) or zero")
    grd.add_argument("--force", action="store_true", help="grade again submissions already in the manifest")
    grd.add_argument("--quiet", action="store_true", help="no progress lines")
    grd.add_argument("--isolation", choices=("bwrap", "container", "none"), default="bwrap",
                     help="where each notebook runs: a bubblewrap sandbox (default, Linux), a container (not yet "
                          "available), or none (only for notebooks you trust: prints what a hostile one can do)")
    grd.add_argument("--scheduler", metavar="ADDRESS",
                     help="run the notebooks on a Dask cluster (e.g. tcp://scheduler-host:8786), each in the same "
                          "sandbox on a worker; this machine keeps the manifest and writes the outputs. Every worker "
                          "host needs bubblewrap and the same environment (needs: pip install "
                          "\"mhsm-lessons[cluster]\")")
    grd.set_defaults(func=_cmd_grade)

    demo = sub.add_parser("demo-class", help="write a synthetic class of submissions, hostile ones included")
    demo.add_argument("--out", required=True, help="destination folder (submissions/ and roster.csv)")
    demo.add_argument("-n", type=int, default=30, help="number of submission files (default: 30)")
    demo.add_argument("--solution", help="solution notebook (default: solutions/01_budgeting_lab.ipynb)")
    demo.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    demo.set_defaults(func=_cmd_demo_class)

    start = sub.add_parser("start", help="copy a lab's exercise into work/, the student's own git-ignored folder")
    start.add_argument("lab", help="the lab: 01, 01_budgeting_lab or budgeting")
    start.set_defaults(func=_cmd_start)

    clog = sub.add_parser("class-log", help="which question is the room stuck on, from collected check logs")
    clog.add_argument("logs", nargs="+", help="check-log files (*.jsonl) or folders of them")
    clog.add_argument("--lab", help="only this lab")
    clog.add_argument("--since", help="only checks since then: today, 90m, 2h, 1d, 2026-09-30 or 2026-09-30T09:00")
    clog.add_argument("--include-demo", action="store_true",
                      help="also count demonstration and default ids (default, demo-student, demo-...)")
    clog.set_defaults(func=_cmd_class_log)

    link = sub.add_parser("hub-link", help="print the nbgitpuller link that opens a lab on a JupyterHub")
    place = link.add_mutually_exclusive_group(required=True)
    place.add_argument("--hub", help="the hub's address, e.g. https://hub.example.edu")
    place.add_argument("--binder", help="instead, a Binder link whose image is built from this Binder spec, e.g. "
                                        "gh/OWNER/mhsm-lessons/main (the instructor edition's binder/)")
    link.add_argument("--repo", required=True, help="the git repository students pull (the student edition)")
    link.add_argument("--lab", required=True, help="lab id (01_budgeting_lab) or a notebook path in the repository")
    link.add_argument("--branch", default="main", help="branch to pull (default: main)")
    link.add_argument("--target", default="mhsm-lessons",
                      help="folder in each student's home the course is pulled into (default: mhsm-lessons)")
    link.add_argument("--notebook", help="landing notebook path (default: exercises/<lab>.ipynb)")
    link.add_argument("--source", default=".",
                      help="local git checkout of that repository, to check the notebook is on the branch "
                           "(default: the current folder)")
    link.add_argument("--no-check", action="store_true", help="do not check the notebook exists on the branch")
    link.set_defaults(func=_cmd_hub_link)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
