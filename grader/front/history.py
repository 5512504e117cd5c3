"""``grade history [EX|on|off]``: a student's own trail, read from the course folder's history
(``grader/front/trail.py`` holds the file, its line format and the safe reading).

    grade history            every exercise: attempts, checks passing now, mistakes met
    grade history ex03       ex03: per check, the attempts and the time to its first PASS; the mistakes met
    grade history off        stop recording (grade history on: start again)

Nothing here grades or changes a score; the history never leaves this machine except inside what the student
submits.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options, trail
from grader.front.commands import Command

COMMAND = Command("history", usage="grade history [EX|on|off]",
                  summary=N_("your own trail: attempts, time to pass, mistakes met"), order=25)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade history",
        description=_("Every `grade exNN`, every run under --watch and every check() in a notebook adds one line "
                      "to .grade/history.jsonl in your course folder: the time, the exercise, the grader's "
                      "version, how long the run took and each check's status and named mistake -- never your "
                      "code. It never leaves your machine unless you hand it in yourself. This command shows "
                      "your trail; `off` stops the recording and `on` starts it again."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", nargs="?", default=None, metavar="EX|on|off",
                   help=_("an exercise (ex03) to see its checks and mistakes; on / off: start or stop recording "
                          "(default: every exercise)"))
    p.add_argument("--file", metavar="PATH",
                   help=_("read this history file instead of the course folder's .grade/history.jsonl"))
    options.add_language(p)
    return p


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)
    from rich.console import Console
    console = Console()
    if args.what in ("on", "off"):
        return switch(args.what == "on", console)
    exercise = options.exercise(args.what)[0] if args.what else None
    path = Path(args.file).expanduser() if args.file else trail.history_path()
    return show(path, exercise, console)


def switch(on: bool, console, folder: Path | None = None) -> int:
    """``grade history on|off``."""
    try:
        path = trail.set_recording(on, folder)
    except OSError as e:
        raise UsageError(_("cannot write {path}: {error}").format(path=trail.settings_path(folder),
                                                                  error=e.strerror or e)) from None
    console.print((_("History is on: every grade adds a line to {path}.") if on else
                   _("History is off: grades are no longer recorded ({setting}); `grade history on` starts "
                     "again.")).format(path=trail.history_path(folder), setting=path),
                  highlight=False, markup=False)
    return 0


def show(path: Path, exercise: str | None, console) -> int:
    history = trail.read(path)
    console.print(_("{n} attempt(s) recorded in {path}").format(n=len(history.entries), path=path),
                  highlight=False, markup=False)
    return 0
