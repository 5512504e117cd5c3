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
                      "code. It never leaves your machine unless you hand it in yourself (grade submit EX). This command shows "
                      "your trail; `off` stops the recording and `on` starts it again."),
        formatter_class=options.HelpFormatter)
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


def duration(seconds: float | None) -> str:
    """3 s, 12 min, 1 h 5 min, 2 d 3 h; "-" for none."""
    if seconds is None:
        return "-"
    s = int(round(max(0.0, seconds)))
    if s < 60:
        return _("{n} s").format(n=s)
    if s < 3600:
        return _("{m} min").format(m=s // 60)
    if s < 86400:
        return _("{h} h {m} min").format(h=s // 3600, m=s % 3600 // 60)
    return _("{d} d {h} h").format(d=s // 86400, h=s % 86400 // 3600)


def _when(text: str) -> str:
    """A line's UTC time, in this machine's time zone."""
    return trail.parse_time(text).astimezone().strftime("%Y-%m-%d %H:%M")


def _span(t: trail.Trail) -> float:
    return (trail.parse_time(t.last) - trail.parse_time(t.first)).total_seconds()


def _status(status: str):
    from rich.text import Text

    from grader.core.outcome import Status
    from grader.front.render import STYLE
    try:
        return Text(status, style=STYLE[Status(status)])
    except ValueError:
        return Text(status or "-")


def notes(history: trail.History) -> list[str]:
    """What the reading found besides the attempts: lines skipped, a cut, other grader versions."""
    out = []
    if history.bad:
        out.append(_("{n} line(s) of the history could not be read and were skipped").format(n=history.bad))
    if history.truncated:
        out.append(_("the history is longer than {mb:g} MB or {lines:,} lines: what is past that was not read").format(
            mb=trail.MAX_BYTES / 1e6, lines=trail.MAX_LINES))
    mine = trail.grader_version()
    others = history.other_versions(mine)
    if others:
        out.append(_("{n} attempt(s) were recorded by another grader version ({versions}); their checks may "
                     "differ from this grader's ({mine})").format(
            n=sum(others.values()), versions=", ".join(others), mine=mine))
    return out


def overview(history: trail.History, console) -> None:
    """Every exercise of the history: one row each."""
    from rich.table import Table
    table = Table(title=_("Your trail"), title_justify="left")
    table.add_column(_("exercise"), no_wrap=True)
    table.add_column(_("attempts"), justify="right", no_wrap=True)
    table.add_column(_("passing"), justify="right", no_wrap=True)
    table.add_column(_("started"), no_wrap=True)
    table.add_column(_("elapsed"), no_wrap=True)
    table.add_column(_("mistakes"), justify="right", no_wrap=True)
    for ex in trail.exercises(history.entries):
        t = trail.trail(history.entries, ex)
        table.add_row(ex, str(t.attempts), f"{t.passing}/{len(t.checks)}", _when(t.first)[:10],
                      duration(_span(t)), str(len(t.mistakes)))
    console.print(table)
    console.print(_("passing: checks that pass at the latest attempt; elapsed: from the first attempt to the "
                    "latest; mistakes: the named mistakes met. `grade history ex01` shows one exercise."),
                  style="dim",
                  highlight=False, markup=False)


def one(t: trail.Trail, console) -> None:
    """One exercise: per check, its attempts and the time to its first PASS; the named mistakes met."""
    from rich.table import Table
    last = _when(t.last)
    if last[:10] == _when(t.first)[:10]:
        last = last[11:]  # the same day: its time only
    console.print(_("{exercise}: {n} attempt(s), {first} to {last} ({span})").format(
        exercise=t.exercise, n=t.attempts, first=_when(t.first), last=last, span=duration(_span(t))),
        highlight=False, markup=False)
    console.print(_("{passing} of {checks} checks pass now").format(passing=t.passing, checks=len(t.checks)),
                  highlight=False, markup=False)
    table = Table(title=_("checks"), title_justify="left")
    table.add_column(_("check"), overflow="fold")
    table.add_column(_("attempts"), justify="right", no_wrap=True)
    table.add_column(_("first PASS"), no_wrap=True)
    table.add_column(_("time to pass"), no_wrap=True)
    table.add_column(_("now"), no_wrap=True)
    for c in t.checks:
        table.add_row(c.name, str(c.attempts),
                      _("attempt {n}").format(n=c.passed_at) if c.passed_at else "-",
                      duration(c.seconds_to_pass), _status(c.status))
    console.print(table)
    if not t.mistakes:
        console.print(_("No named mistake met along the way."), highlight=False, markup=False)
        return
    table = Table(title=_("mistakes met along the way"), title_justify="left")
    table.add_column(_("mistake"), overflow="fold", ratio=1)
    table.add_column(_("check"), overflow="fold")
    table.add_column(_("times"), justify="right", no_wrap=True)
    table.add_column(_("first met"), no_wrap=True)
    table.add_column(_("now"), no_wrap=True)
    for m in t.mistakes:
        table.add_row(_(m.mistake), m.check, str(m.met), _("attempt {n}").format(n=m.first),
                      _("still there") if m.still else _("fixed"),
                      style=None if m.still else "dim")
    console.print(table)


def show(path: Path, exercise: str | None, console, *, recording: bool | None = None) -> int:
    """``grade history [EX]``: the trail read from ``path`` (safely: ``trail.read``)."""
    history = trail.read(path)
    if recording is None:
        recording = trail.recording(path.parent.parent) if path.parent.name == trail.FOLDER else True
    if not history.found:
        console.print(_("No history yet in {path}: it starts with your next `grade exNN` or check().").format(
            path=path), highlight=False, markup=False)
    elif exercise is None and history.entries:
        overview(history, console)
    elif exercise is not None and trail.trail(history.entries, exercise) is not None:
        one(trail.trail(history.entries, exercise), console)
    elif history.found:
        console.print((_("No attempt of {exercise} recorded in {path}.") if exercise else
                       _("No attempt recorded in {path}.")).format(exercise=exercise, path=path),
                      highlight=False, markup=False)
    for note in notes(history):
        console.print(_("note: ") + note, style="yellow", highlight=False, markup=False)
    if not recording:
        console.print(_("Recording is off: `grade history on` starts it again."), style="dim", highlight=False,
                      markup=False)
    return 0
