"""``grade similar exNN SUBMISSIONS --out DIR``: pairs of submissions whose code is suspiciously alike
(``grader/front/similarity.py`` compares them and writes the pages)."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options
from grader.front.commands import CLASS, Command
from grader.front.similarity import THRESHOLD, run_similar

COMMAND = Command("similar", usage="grade similar EX SUBMISSIONS --out D",
                  summary=N_("pairs of suspiciously similar submissions"), group=CLASS, order=20)


# ------------------------------------------------------------------ the command
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade similar",
        description=_("List pairs of submissions whose code is suspiciously alike, most similar first, with a "
                      "side-by-side view of the matching code. Renamed variables, reordered functions and "
                      "changed comments do not hide a copy; the released stub, docstrings and the code the "
                      "exercise gives never count. Notebooks are compared by the code they define."),
        epilog=_("examples:\n  grade similar ex03 submissions/ --out similar/\n"
                 "  grade similar ex03 submissions/ --out similar/ --json | jq '.[] | select(.flagged)'\n"
                 "  grade batch ex03 submissions/ --out results/ --similarity   (a section of report.html)\n\n"
                 "A similarity is the share of one submission's code (after normalising) found in the other, "
                 "0 to 1. It points at pairs to read, it is not a verdict: short exercises have few ways "
                 "to be right."),
        formatter_class=options.HelpFormatter)
    p.add_argument("exercise", help=_("the exercise to compare (ex03)"))
    p.add_argument("submissions", type=Path, help=_("the folder of submissions (as for grade batch)"))
    p.add_argument("--out", type=Path, required=True,
                   help=_("folder for pairs.json, index.html and the side-by-side pages"))
    p.add_argument("--threshold", type=float, default=THRESHOLD,
                   help=_("flag pairs at or above this similarity (default: {value})").format(value=THRESHOLD))
    p.add_argument("--json", action="store_true",
                   help=_('print the pairs as JSON: [{"a", "b", "similarity", "flagged"}, ...]'))
    options.add_language(p)
    return p


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)  # copydetect and numpy; no Keras
    ex_id = options.exercise(args.exercise)[0]
    if not 0 <= args.threshold <= 1:
        raise UsageError(_("--threshold must be between 0 and 1"))
    if not args.submissions.is_dir():
        raise UsageError(_("{root} is not a folder of submissions").format(root=args.submissions))
    start = time.monotonic()
    pairs = run_similar(ex_id, args.submissions, args.out, args.threshold)
    if args.json:
        print(json.dumps([{k: p[k] for k in ("a", "b", "similarity", "flagged")} for p in pairs], indent=1))
        return 0
    flagged = [p for p in pairs if p["flagged"]]
    print(_("{n} pair(s) at or above {threshold:.0%} ({seconds:.1f} s); see {path}").format(
        n=len(flagged), threshold=args.threshold, seconds=time.monotonic() - start, path=args.out / "index.html"))
    for p in flagged[:20]:
        print(f"  {p['similarity']:6.0%}  {p['a']}  {p['b']}")
    if len(flagged) > 20:
        print(_("  ... and {n} more in {path}").format(n=len(flagged) - 20, path=args.out / "pairs.json"))
    return 0
