"""``grade report RESULTS_DIR``: the class at a glance, in one self-contained HTML file.

    grade report results/                 writes results/report.html
    grade report results/ --lang ko       the same in Korean

``RESULTS_DIR/report.html`` is one file that opens from ``file://`` with no
network: no CDN, no external fonts, the charts are inline SVG drawn by
matplotlib and the one script (sorting the students table) is inline.  For each
exercise: a histogram of scores with mean and median, the outcomes of its
checks, the pass rate of every check (worst first) and, under each check, the
named mistakes with counts and shares.  Then the students (sortable, linking
to ``feedback/STUDENT.html``), the ERROR / TIMEOUT / OUT_OF_MEMORY
submissions with their messages, similar submissions when ``grade similar``
(or ``grade batch --similarity``) ran, and the facts of the run (date,
versions, isolation, jobs, wall time, a fingerprint of the hidden seed --
never the seed).  Where students handed in learning-trail histories, each
exercise also shows how they got there (their own account; ``trail.json``
holds the figures).  ``grade batch`` writes it at the end of every run; ``grader/front/classreport.py`` makes it.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options
from grader.front.classreport import write_report
from grader.front.commands import CLASS, Command
from grader.front.results import RESULTS

COMMAND = Command("report", usage="grade report DIR",
                  summary=N_("DIR/report.html: scores, failed checks, mistakes, crashes"), group=CLASS, order=10)


# ------------------------------------------------------------------ the command
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade report",
        description=_("Write RESULTS_DIR/report.html from RESULTS_DIR/results.jsonl: score histograms, "
                      "outcomes, the pass rate of every check with the mistakes students made, a sortable "
                      "students table, the submissions that crashed, and the facts of the run. One file, no "
                      "network: open it in any browser."),
        epilog=_("examples:\n  grade report results/\n  grade report results/ --lang ko\n\n"
                 "`grade batch` writes the same report at the end of every run."),
        formatter_class=options.HelpFormatter)
    p.add_argument("results", type=Path, help=_("the --out folder of `grade batch` (holding results.jsonl)"))
    options.add_language(p)
    return p


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)  # matplotlib and Jinja2; no Keras
    if not (args.results / RESULTS).is_file():
        raise UsageError(_("{folder} holds no results.jsonl (the --out folder of `grade batch`)").format(
            folder=args.results))
    start = time.monotonic()
    path = write_report(args.results)
    print(_("wrote {path} ({kb:.0f} kB, {seconds:.1f} s)").format(path=path, kb=path.stat().st_size / 1024,
                                                                  seconds=time.monotonic() - start))
    return 0
