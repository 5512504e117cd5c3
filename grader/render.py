"""Terminal output with rich: the table of checks, the total, and what to do next."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

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
    table.add_column("check", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("message / hint", overflow="fold")
    for c in report.checks:
        body = Text(c.message if c.status is not Status.PASS else "")
        if c.status not in (Status.PASS, Status.NOT_ATTEMPTED) and c.hint:
            body.append("\nhint: ", style="bold cyan").append(c.hint, style="cyan")
        name = c.name + (" (hidden)" if c.hidden else "")
        table.add_row(name, Text(c.status.value, style=STYLE[c.status]), f"{c.points:g}/{c.max_points:g}", body)
    return table


def print_report(report: Report, console: Console | None = None) -> None:
    console = console or Console()
    console.print(report_table(report))
    for note in report.notes:
        console.print(f"[bold]note:[/] {note}")
    total = Text(f"total {report.score:g}/{report.max_score:g}", style="bold")
    if report.hidden_not_run:
        total.append(f"   ({report.hidden_not_run} hidden check(s) not run: your instructor grades them "
                     "with cases you have not seen)", style="dim")
    console.print(total)
    if all(c.status is Status.NOT_ATTEMPTED for c in report.checks):
        console.print("Nothing attempted yet: open the exercise file, read the docstring, and replace the "
                      "`raise NotImplementedError` lines.")
    elif report.passed:
        console.print("[bold green]All checks passed.[/]")
