"""Terminal output with rich: a compact table of checks, then -- like pytest's
failure sections -- one full-width block per check that did not pass (the
message, the named mistake, the hint), the total, and what to do next.

The table has three narrow columns (check, status, points), so it fits an
80-column terminal; the long texts get the whole width below it instead of
being folded into a fourth column.
"""
from __future__ import annotations

from typing import Iterable

from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from grader.core.i18n import _
from grader.core.outcome import CheckResult, Report, Status

STYLE = {
    Status.PASS: "bold green",
    Status.FAIL: "bold red",
    Status.ERROR: "bold magenta",
    Status.TIMEOUT: "bold yellow",
    Status.OUT_OF_MEMORY: "bold yellow",
    Status.NOT_ATTEMPTED: "dim",
}


def _name(c: CheckResult) -> str:
    return c.name + (_(" (hidden)") if c.hidden else "")


def report_table(report: Report) -> Table:
    """check, status, points: one short row per check."""
    table = Table(title=f"{report.exercise} -- {report.title}", title_justify="left", expand=False)
    table.add_column(_("check"), overflow="fold")
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("points"), justify="right", no_wrap=True)
    for c in report.checks:
        table.add_row(_name(c), Text(c.status.value, style=STYLE[c.status]), f"{c.points:g}/{c.max_points:g}")
    return table


def split_message(c: CheckResult) -> tuple[str, str]:
    """The message without the named mistake at its end, and the mistake (in the current
    language: ``c.mistake`` is the label's English msgid, the id that results carry)."""
    label = _(c.mistake) if c.mistake else ""
    if label and c.message.endswith(" -- " + label):
        return c.message[: -len(" -- " + label)], label
    return c.message, label if label and label not in c.message else ""


def failure_block(c: CheckResult) -> Group:
    """One check that did not pass, over the full width: a rule naming it, the
    message, the named mistake, then the hint."""
    title = Text.assemble((_name(c), "bold"), "  ", (c.status.value, STYLE[c.status]),
                          f"  {c.points:g}/{c.max_points:g}")
    message, mistake = split_message(c)
    parts: list = [Rule(title, style=STYLE[c.status].replace("bold ", ""), align="left"), Text(message)]
    if mistake:
        parts.append(Text.assemble((_("mistake: "), "bold red"), mistake))
    if c.hint:
        parts.append(Text.assemble((_("hint: "), "bold cyan"), (c.hint, "cyan")))
    return Group(*parts)


def _failed(report: Report, only: Iterable[str] | None) -> list[CheckResult]:
    keep = None if only is None else set(only)
    return [c for c in report.checks
            if c.status not in (Status.PASS, Status.NOT_ATTEMPTED) and (keep is None or c.name in keep)]


def print_report(report: Report, console: Console | None = None, *, blocks_for: Iterable[str] | None = None) -> None:
    """The table, a block per check that did not pass (only those named in
    ``blocks_for`` when given: ``grade --watch`` shows the checks whose status
    changed), the notes and the total."""
    console = console or Console()
    console.print(report_table(report))
    for c in _failed(report, blocks_for):
        console.print(failure_block(c))
    keep = None if blocks_for is None else set(blocks_for)
    todo = [c for c in report.checks if c.status is Status.NOT_ATTEMPTED and (keep is None or c.name in keep)]
    if todo:  # one line each, the message included (what a front end shows must name every check's state)
        console.print(Rule(Text(_("not attempted yet"), style="bold"), style="dim", align="left"))
        for c in todo:
            console.print(Text.assemble((_name(c), "bold"), ": ", c.message))
    if report.checks and (todo or _failed(report, blocks_for)):
        console.print(Rule(style="dim"))
    for note in report.notes:
        console.print(f"[bold]{_('note:')}[/] {note}")
    total = Text(_("total {score:g}/{max_score:g}").format(score=report.score, max_score=report.max_score),
                 style="bold")
    if report.hidden_not_run:
        total.append("   " + _("({n} hidden check(s) not run: your instructor grades them with cases you have "
                               "not seen)").format(n=report.hidden_not_run), style="dim")
    console.print(total)
    if all(c.status is Status.NOT_ATTEMPTED for c in report.checks):
        console.print(_("Nothing attempted yet: open the exercise file, read the docstring, and replace the "
                        "`raise NotImplementedError` lines."))
    elif report.passed:
        console.print("[bold green]" + _("All checks passed.") + "[/]")


# ------------------------------------------------------------------ what changed since the last run (--watch)
def status_changes(before: Report | None, after: Report) -> list[tuple[str, Status | None, Status]]:
    """(check, old status or None when it did not run before, new status) for every check whose status changed."""
    old = {c.name: c.status for c in before.checks} if before is not None else {}
    return [(c.name, old.get(c.name), c.status) for c in after.checks if old.get(c.name) is not c.status]


def print_changes(before: Report | None, after: Report, console: Console) -> list[str]:
    """Which checks turned PASS and which stopped passing since ``before``; returns their names."""
    changes = status_changes(before, after)
    if before is None:
        return [c.name for c in after.checks]
    if not changes:
        console.print(Text(_("no check changed status since the last run"), style="dim"))
        return []
    now_pass = [name for name, _old, new in changes if new is Status.PASS]
    now_not = [(name, old, new) for name, old, new in changes if new is not Status.PASS]
    if now_pass:
        console.print(Text.assemble((_("now PASS: "), "bold green"), ", ".join(now_pass)))
    if now_not:
        line = Text.assemble((_("now failing: "), "bold red"))
        for i, (name, old, new) in enumerate(now_not):
            line.append(", " if i else "")
            line.append(name)
            line.append(f" ({old.value if old else '-'} -> ", style="dim")
            line.append(new.value, style=STYLE[new])
            line.append(")", style="dim")
        console.print(line)
    return [name for name, _old, _new in changes]
