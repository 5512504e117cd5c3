"""The ``grade`` command: grades one exercise's file, lists the exercises, and hands ``grade NAME ...`` to
the module of ``grader/front/`` that declares the command NAME (``grader/front/commands.py``).

    grade list                       the exercises, their titles and points
    grade ex03                       grade your exercises/ex03_*.py
    grade ex03 --file PATH           grade another file
    grade ex03 --solution            grade the reference solution (instructors)
    grade ex03 --json                one JSON object instead of the table
    grade ex03 --watch               grade again every time you save the file
    grade ex03 --no-daemon           grade in this process (also GRADE_DAEMON=0), not through the warm grader

After the first ``grade exNN``, grades are answered by a background server of this user and this checkout
(``grader/front/warm.py``) that keeps Keras and its child servers loaded: the same report and exit status,
without the start-up.  Whenever it cannot answer, the grade runs in this process instead.

Exit status: 0 when every check passed, 1 when some did not, 2 for a usage error.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import commands, options, warm

EXAMPLES = N_("""examples:
  grade list
  grade ex01                      grade exercises/ex01_*.py under the current folder
  grade ex03 --file ~/ex03.py     grade a file somewhere else
  grade ex03 --solution           grade the reference solution (instructors)
  grade ex02 --hidden --seed 7    also run the hidden checks, cases drawn from seed 7
  grade ex01 --json               machine-readable result

exit status: 0 all checks passed, 1 some checks did not pass, 2 usage error
""")


def _epilog() -> str:
    """The commands (each module that declares one: ``grader/front/commands.py``), then the examples."""
    return (commands.help_lines(commands.OTHER) + "\n\n" + _(EXAMPLES) + "\n"
            + commands.help_lines(commands.CLASS) + "\n")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade", description=_("Grade a Keras course exercise: runs your functions in a separate, "
                                    "time- and memory-limited process and compares them with real Keras layers."),
        epilog=_epilog(), formatter_class=options.HelpFormatter)
    p.add_argument("exercise", help=_("an exercise id (ex01 ... ) or `list`"))
    p.add_argument("--file", metavar="PATH", help=_("grade this file instead of exercises/exNN_*.py"))
    p.add_argument("--solution", action="store_true", help=_("grade the reference solution"))
    p.add_argument("--json", action="store_true", help=_("print one JSON object with every check"))
    p.add_argument("--watch", action="store_true",
                   help=_("stay running and grade again each time the file is saved (Ctrl-C stops)"))
    p.add_argument("--hidden", action="store_true", help=_("also run the hidden checks (instructors)"))
    options.add_seed(p, _("seed of the hidden cases (implies --hidden; or set GRADE_SEED, which other processes "
                          "cannot read from the command line)"))
    p.add_argument("--timeout", type=float, metavar="SEC", help=_("time limit per check (default: the exercise's)"))
    p.add_argument("--memory", type=int, metavar="MB",
                   help=_("memory limit of your code (default: the exercise's)"))
    p.add_argument("--format", choices=["table", "json", "gradescope"], default=None,
                   help=_("output format (default: table; --json is the same as --format json)"))
    options.add_language(p, N_("language of messages (default: from LANG; ko = 한국어)"))
    options.add_sandbox_option(p)
    p.add_argument("--no-daemon", action="store_true",
                   help=_("grade in this process, not through the warm grader's background server (also "
                          "GRADE_DAEMON=0)"))
    return p


def find_submission(module: str, start: Path | None = None) -> Path:
    """exercises/<module>.py (or <module>.py) in the current folder or one above it."""
    start = (start or Path.cwd()).resolve()
    for folder in [start, *start.parents][:4]:
        for candidate in (folder / "exercises" / f"{module}.py", folder / f"{module}.py"):
            if candidate.is_file():
                return candidate
    raise UsageError(_("cannot find exercises/{module}.py from {start}; run `grade` in your course folder "
                       "or pass --file PATH").format(module=module, start=start))


def solution_path(module: str) -> Path:
    spec = importlib.util.find_spec(f"solutions.{module}")
    if spec is None or spec.origin is None:
        raise UsageError(_("the reference solution of {module} is not installed here").format(module=module))
    return Path(spec.origin)


def _list() -> int:
    """The exercises, read from their check modules' sources: no Keras (``grader.core.lookup.outline``)."""
    from rich.console import Console
    from rich.table import Table

    from grader import checks
    from grader.core.lookup import outline
    table = Table(title=_("Exercises"))
    for col in ("id", _("title"), _("points"), _("hidden"), _("what it covers")):
        table.add_column(col)
    for ex_id in checks.module_names():
        ex = outline(checks.EXERCISES, ex_id)
        table.add_row(ex.id, _(ex.title), f"{ex.public_points:g}", f"{ex.total_points - ex.public_points:g}",
                      _(ex.summary) if ex.summary else "")
    Console().print(table)
    return 0


def _resolve(args) -> tuple[str, Path]:
    """The exercise id and the file to grade, checked before anything slow is imported."""
    ex_id, module = options.exercise(args.exercise)
    if args.file and args.solution:
        raise UsageError(_("--file and --solution cannot be used together"))
    if args.file:
        from grader.front.submission import require_file
        path = require_file(Path(args.file).expanduser())
    elif args.solution:
        path = solution_path(module)
    else:
        path = find_submission(module)
    return ex_id, path


def run(argv: list[str]) -> int:
    if argv and commands.find(argv[0]):  # grade batch ..., grade quiz ...: the command's own module
        return commands.run(argv[0], argv[1:])
    args = options.parse(_parser, argv)  # --help and argument errors in the --lang language too
    if args.json:
        args.format = "json"
    if args.exercise == "list":
        startup.start(startup.TOOL)
        return _list()
    if args.watch and args.format in ("json", "gradescope"):
        raise UsageError(_("--watch prints the table; it cannot be combined with --json or --format"))
    ex_id, path = _resolve(args)
    keras = _child_needs_keras(ex_id, path)
    header = False
    if not args.watch and args.format != "gradescope" and warm.enabled(args.no_daemon):
        startup.environment()
        code, header = _grade_warm(args, ex_id, path, keras)
        if code is not None:
            return code
    startup.start(startup.GRADE, sandbox=args.sandbox, keras=keras)  # grader/core/startup.py
    from grader.core import session
    with session.quiet_stderr():  # TensorFlow's log noise never reaches the student
        if args.watch:
            return _watch(args, ex_id, path, keras)
        return _grade(args, ex_id, path, header_shown=header)


def _child_needs_keras(ex_id: str, path: Path) -> bool:
    """Whether the child that runs this file needs Keras: the exercise's checks do (read from its check
    module's source: importing it imports Keras), or the file imports it.  A notebook counts as importing it."""
    from grader import checks
    from grader.core.imports import imports_keras  # not session: it imports numpy, which a warm client needs not
    if checks.EXERCISES.declared(ex_id, "child_keras", True) is not False:
        return True
    try:
        return path.suffix != ".py" or imports_keras(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return True


def _grade_kwargs(args) -> dict:
    seed = options.seed(args, default=None)
    hidden = args.hidden or seed is not None
    return dict(seed=seed if seed is not None else 0, hidden=hidden,
                timeout=args.timeout, memory_mb=args.memory, block_solutions=not args.solution)


def _grade_with_progress(ex, path: Path, console, kwargs: dict, grade_file):
    """Grade with a live "running checks... 3/7 done" line (shown on a terminal only)."""
    n = sum(1 for c in ex.checks if kwargs["hidden"] or not c.hidden)
    with console.status(_("running {n} checks...").format(n=n)) as status:
        done = [0]

        def progress(result):
            done[0] += 1
            status.update(_("running checks... {done}/{n} done ({name}: {status})").format(
                done=done[0], n=n, name=result.name, status=result.status.value))
        return grade_file(ex, str(path), on_check=progress, **kwargs)


def _watch(args, ex_id: str, path: Path, keras: bool = True) -> int:
    """Grade now and after every save of ``path``; only the checks whose status changed get their details."""
    from rich.console import Console
    from rich.rule import Rule

    from grader import checks
    from grader.core import session
    from grader.front.render import print_changes, print_report
    from grader.front.watch import watch
    ex = checks.get(ex_id)
    kwargs = _grade_kwargs(args)
    grade_file = _file_grader(path)
    console = Console()
    console.print(_("Grading {path} for {exercise} ({title})").format(path=f"[bold]{path}[/]", exercise=ex.id,
                                                                       title=_(ex.title)))

    def grade():
        return _grade_with_progress(ex, path, console, kwargs, grade_file)

    def show(previous, report, seconds):
        _record(args, report, seconds, console, via="watch")
        if previous is not None:
            console.print(Rule(_("{time}: {file} saved, graded in {seconds:.2f} s").format(
                time=time.strftime("%H:%M:%S"), file=path.name, seconds=seconds), align="left", style="dim"))
        changed = print_changes(previous, report, console)
        print_report(report, console, blocks_for=changed)

    return watch(path, grade, show, say=lambda text: console.print(text, style="dim", highlight=False),
                 rearm=lambda: session.warm_up(keras))


def _file_grader(path: Path):
    def grade_file(ex, source, **kw):  # read again at every grading (--watch): Submission.load turns a
        from grader.front.submission import Submission  # notebook into the module its code defines
        return Submission.load(path).grade(ex, **kw)
    return grade_file


def _grade(args, ex_id: str, path: Path, header_shown: bool = False) -> int:
    """Grade in this process (``header_shown``: the warm grader printed the first line before it gave up)."""
    from grader import checks
    ex = checks.get(ex_id)
    kwargs = {**_grade_kwargs(args), "stay_warm": False}  # one grade, then the process exits
    grade_file = _file_grader(path)
    started = time.monotonic()
    if args.format in ("json", "gradescope"):
        report = grade_file(ex, str(path), **kwargs)
        _record(args, report, time.monotonic() - started)
        return _print_machine(args, report)
    from rich.console import Console

    from grader.front.render import print_report
    console = Console()
    if not header_shown:
        _print_header(console, path, ex.id, _(ex.title))
    report = _grade_with_progress(ex, path, console, kwargs, grade_file)
    print_report(report, console)
    _record(args, report, time.monotonic() - started, console)
    return 0 if report.passed else 1


def _record(args, report, seconds: float, console=None, via: str = "grade") -> None:
    """The run's line in the student's history (``grader/front/trail.py``), and never a reason for a grade to
    fail.  Only a student's grade is a step of their trail: not the reference (``--solution``), not a grade with
    the hidden checks (``--hidden``, a seed) nor Gradescope's autograder (``--format gradescope``).  Its one line
    (the first run's notice, or why it could not be written) goes dim under the table, or to stderr beside a
    machine-readable output."""
    if args.solution or args.format == "gradescope" or _grade_kwargs(args)["hidden"]:
        return
    from grader.front import trail

    def say(text: str) -> None:
        if console is not None:
            console.print(text, style="dim", highlight=False, markup=False)
        else:
            print(text, file=sys.stderr)
    trail.record(report, seconds, via=via, say=say)


def _print_header(console, path: Path, ex_id: str, title: str) -> None:
    console.print(_("Grading {path} for {exercise} ({title})").format(path=f"[bold]{path}[/]", exercise=ex_id,
                                                                       title=title))


def _print_machine(args, report) -> int:
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(json.dumps(report.to_gradescope(), indent=2))
    return 0 if report.passed else 1


def _grade_warm(args, ex_id: str, path: Path, keras: bool) -> tuple[int | None, bool]:
    """Grade through the warm grader (``grader/front/warm.py``; this process imports no Keras): the exit
    status, or None when the server could not answer (the grade then runs in this process), and whether the
    first line was printed.  What is printed is what ``_grade`` prints: the same code renders the same report."""
    kwargs = _grade_kwargs(args)
    table = args.format not in ("json", "gradescope")
    started = time.monotonic()
    request = warm.grade_request(ex_id, path=str(path), seed=kwargs["seed"], hidden=kwargs["hidden"],
                                 timeout=kwargs["timeout"], memory_mb=kwargs["memory_mb"],
                                 block_solutions=kwargs["block_solutions"], server_keras=keras, progress=table)
    try:
        run = warm.open_run(request, sandbox=args.sandbox, server_keras=keras)
    except warm.Unavailable:
        return None, False
    if not table:
        try:
            report = run.report()
        except warm.Unavailable:
            return None, False
        except warm.Refused as e:
            raise UsageError(str(e)) from None
        _record(args, report, time.monotonic() - started)
        return _print_machine(args, report), False
    from rich.console import Console

    from grader.front.render import print_report
    console = Console()
    _print_header(console, path, ex_id, run.title)
    try:
        with console.status(_("running {n} checks...").format(n=run.n)) as status:
            done = [0]

            def progress(result):
                done[0] += 1
                status.update(_("running checks... {done}/{n} done ({name}: {status})").format(
                    done=done[0], n=run.n, name=result.name, status=result.status.value))
            report = run.report(on_check=progress)
    except warm.Unavailable:
        return None, True
    except warm.Refused as e:
        raise UsageError(str(e)) from None
    print_report(report, console)
    _record(args, report, time.monotonic() - started, console)
    return (0 if report.passed else 1), True


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    try:
        code = run(argv)
    except UsageError as e:
        print(_("grade: error: {error}").format(error=e), file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print(_("grade: interrupted"), file=sys.stderr)
        code = 130
    from grader.core import tempdirs
    tempdirs.exit(code)  # skip TensorFlow's slow interpreter teardown (output flushed, temporary folders removed)


if __name__ == "__main__":
    main()
