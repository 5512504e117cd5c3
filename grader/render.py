"""Terminal output with rich: the table of checks, the total, and what to do next."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .i18n import _
from .outcome import Report, Status

STYLE = {
    Status.PASS: "bold green",
    Status.FAIL: "bold red",
    Status.ERROR: "bold magenta",
    Status.TIMEOUT: "bold yellow",
    Status.OUT_OF_MEMORY: "bold yellow",
    Status.NOT_ATTEMPTED: "dim",
}


def report_table(report: Report) -> Table:
    table = Table(title=f"{report.exercise} -- {report.title}", title_justify="left", expand=False)
    table.add_column(_("check"), no_wrap=True)
    table.add_column(_("status"), no_wrap=True)
    table.add_column(_("points"), justify="right", no_wrap=True)
    table.add_column(_("message / hint"), overflow="fold")
    for c in report.checks:
        body = Text(c.message if c.status is not Status.PASS else "")
        if c.status not in (Status.PASS, Status.NOT_ATTEMPTED) and c.hint:
            body.append("\n" + _("hint: "), style="bold cyan").append(c.hint, style="cyan")
        name = c.name + (_(" (hidden)") if c.hidden else "")
        table.add_row(name, Text(c.status.value, style=STYLE[c.status]), f"{c.points:g}/{c.max_points:g}", body)
    return table


def print_report(report: Report, console: Console | None = None) -> None:
    console = console or Console()
    console.print(report_table(report))
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
