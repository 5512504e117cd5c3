"""``grade submit EX``: one ``.zip`` to upload to any LMS -- the exercise's file and, beside it, the history of
that exercise (``history.jsonl``: its lines only, as ``grader/front/trail.py`` wrote them, each held to the
schema again).  ``grade batch`` finds the history beside the file it grades (``submission.carried_history``)
and puts what it says in the result's ``history`` field, never in the score; a zip without one is graded as
any other submission.

    grade submit ex03                     exercises/ex03_conv_stack.py + its history -> ex03_conv_stack.zip
    grade submit ex03 --file ex03.ipynb   a notebook instead
    grade submit ex03 --no-history        the file alone
"""
from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options, trail
from grader.front.commands import Command

COMMAND = Command("submit", usage="grade submit EX [--out FILE.zip]",
                  summary=N_("one .zip to hand in: your exercise file and its history"), order=26)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade submit",
        description=_("Write one .zip to upload to your course's LMS: the exercise's file and, beside it, "
                      "history.jsonl -- the lines of your history for this exercise (time, grader version, "
                      "seconds, each check's status and named mistake; never your code). Your instructor sees "
                      "how you got there; it never changes your score. --no-history leaves it out."),
        formatter_class=options.HelpFormatter)
    p.add_argument("exercise", help=_("an exercise id (ex01 ... )"))
    p.add_argument("--file", metavar="PATH", help=_("hand in this file instead of exercises/exNN_*.py"))
    p.add_argument("--out", metavar="FILE.zip", help=_("where to write the zip (default: exNN_*.zip here)"))
    p.add_argument("--no-history", action="store_true", help=_("hand in the exercise file alone"))
    options.add_language(p)
    return p


def find_file(module: str, folder: Path) -> Path:
    """exercises/<module>.py (or <module>.py) of the course folder, as ``grade exNN`` finds it."""
    for candidate in (folder / "exercises" / f"{module}.py", folder / f"{module}.py"):
        if candidate.is_file():
            return candidate
    raise UsageError(_("cannot find exercises/{module}.py from {start}; run `grade` in your course folder "
                       "or pass --file PATH").format(module=module, start=folder))


def write(ex_id: str, source: Path, out: Path, history: Path | None) -> tuple[int, trail.History | None]:
    """The zip: ``source`` under the exercise's own name (``ex03_conv_stack.py``, or ``.ipynb``: what ``grade
    batch`` looks for in a zip), and the history's lines of ``ex_id`` as history.jsonl (none when ``history`` is
    None or holds no attempt of it).  The number of lines written and the reading's facts."""
    module = options.exercise(ex_id)[1]
    data, read = trail.lines_of(history, ex_id) if history is not None else (b"", None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(source, f"{module}{source.suffix.lower()}")
        if data:
            z.writestr(trail.ARCHIVE_NAME, data)
    tmp.replace(out)
    return (len(read.entries) if read is not None and data else 0), read


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)
    from rich.console import Console
    console = Console()
    ex_id, module = options.exercise(args.exercise)
    folder = trail.course_folder()
    if args.file:
        from grader.front.submission import require_file
        source = require_file(Path(args.file).expanduser())
    else:
        source = find_file(module, folder)
    out = Path(args.out).expanduser() if args.out else Path.cwd() / f"{module}.zip"
    if out.suffix.lower() != ".zip":
        raise UsageError(_("--out must name a .zip file"))
    history = None if args.no_history else trail.history_path(folder)
    n, read = write(ex_id, source, out, history)
    if n:
        console.print(_("wrote {out}: {file} and your history of {exercise} ({n} attempt(s))").format(
            out=out, file=source, exercise=ex_id, n=n), highlight=False, markup=False)
    else:
        console.print(_("wrote {out}: {file}").format(out=out, file=source), highlight=False, markup=False)
        if not args.no_history:
            console.print(_("no history of {exercise} to add ({path})").format(exercise=ex_id,
                                                                              path=trail.history_path(folder)),
                          style="dim", highlight=False, markup=False)
    if read is not None and read.bad:
        console.print(_("note: ") + _("{n} line(s) of the history could not be read and were skipped").format(
            n=read.bad), style="yellow", highlight=False, markup=False)
    console.print(_("Upload this file to your course's LMS."), highlight=False, markup=False)
    return 0
