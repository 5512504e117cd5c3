"""``grade export canvas|moodle|csv RESULTS_DIR --roster ROSTER.csv --out FILE``: scores for the gradebook.

The roster is a CSV with a header row.  One of its columns holds the id each
student's submission is named by (``alice`` for ``alice.py``): ``--match
COLUMN`` names it; by default the first of ``SIS Login ID``, ``login``,
``username``, ``student``, ``student_id``, ``id``, ``email`` that the roster has
(case-insensitive).  A Canvas gradebook export works as a roster as it is.

* canvas: Canvas's gradebook import -- Student, ID, SIS User ID, SIS Login ID,
  Section (from the roster where it has them), then one column per exercise,
  with a "Points Possible" row.
* moodle: Moodle's grade import -- the identifier column (map it to the user
  field on import), then one column per exercise (a grade item each).
* csv: plain -- student, one column per exercise, total, max_total.

Never silent: students graded but not in the roster are listed (and left out
of the file: the LMS could not place them); roster students without a
submission are listed and get a blank cell, or 0 with ``--missing zero``.
"""
from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options
from grader.front.commands import CLASS, Command
from grader.front.results import RESULTS, read_results

COMMAND = Command("export", usage="grade export canvas|moodle|csv DIR --roster ROSTER.csv --out FILE",
                  summary=N_("scores for the gradebook"), group=CLASS, order=30)

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MATCH_CANDIDATES = ("SIS Login ID", "login", "username", "student", "student_id", "id", "email")


def read_roster(path: Path, match: str | None) -> tuple[list[dict], list[str], str]:
    """(rows, header, the column matched with the submission ids)."""
    if not path.is_file():
        raise UsageError(_("no such roster: {path}").format(path=path))
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise UsageError(_("the roster {path} has no header row").format(path=path))
    rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    # Canvas exports carry a "Points Possible" row (and sometimes a muted row) under the header
    rows = [r for r in rows if not r.get(header[0], "").strip().lower().startswith(("points possible", "muted"))]
    lower = {h.lower(): h for h in header}
    if match:
        if match.lower() not in lower:
            raise UsageError(_("the roster has no column {column}; it has: {columns}").format(
                column=match, columns=", ".join(header)))
        key = lower[match.lower()]
    else:
        key = next((lower[c.lower()] for c in MATCH_CANDIDATES if c.lower() in lower), None)
        if key is None:
            raise UsageError(_("cannot tell which roster column holds the student ids ({columns}); name it "
                               "with --match COLUMN").format(columns=", ".join(header)))
    return rows, header, key


def gradebook(results: dict, roster: list[dict], key: str, missing: str) -> tuple[list[str], dict, list[str],
                                                                                   list[str]]:
    """(exercises, {roster row index: {ex: score text}}, graded students not in the roster,
    roster ids without any submission)."""
    ex_ids = sorted({e for _s, e in results})
    by_id = {}
    for s, e in results:
        by_id.setdefault(s.strip().lower(), s)
    ids = [r.get(key, "").strip().lower() for r in roster]
    known = set(ids)
    unknown = sorted(s for k, s in by_id.items() if k not in known)
    absent = [r.get(key, "") for r, i in zip(roster, ids) if i not in by_id]
    fill = "0" if missing == "zero" else ""
    scores = {}
    for n, i in enumerate(ids):
        s = by_id.get(i)
        scores[n] = {e: (f"{results[(s, e)]['score']:g}" if s is not None and (s, e) in results else fill)
                     for e in ex_ids}
    return ex_ids, scores, unknown, absent


def max_points(results: dict, ex_ids: list[str]) -> dict[str, float]:
    out = {}
    for (_s, e), r in results.items():
        out[e] = max(out.get(e, 0), r.get("max_score", 0))
    return {e: out.get(e, 0) for e in ex_ids}


def write_export(kind: str, results: dict, roster: list[dict], header: list[str], key: str, out: Path,
                 missing: str = "blank") -> tuple[list[str], list[str]]:
    ex_ids, scores, unknown, absent = gradebook(results, roster, key, missing)
    maxes = max_points(results, ex_ids)
    rows: list[list[str]] = []
    if kind == "canvas":
        rows.append([*CANVAS_COLUMNS, *ex_ids])
        rows.append(["    Points Possible", "", "", "", "", *[f"{maxes[e]:g}" for e in ex_ids]])
        for n, r in enumerate(roster):
            base = [r.get(c, "") for c in CANVAS_COLUMNS]
            if not base[3] and key not in CANVAS_COLUMNS:
                base[3] = r.get(key, "")  # the submission id is the login when the roster is not Canvas's own
            rows.append([*base, *[scores[n][e] for e in ex_ids]])
    elif kind == "moodle":
        rows.append([key, *ex_ids])
        rows += [[r.get(key, ""), *[scores[n][e] for e in ex_ids]] for n, r in enumerate(roster)]
    elif kind == "csv":
        rows.append(["student", *ex_ids, "total", "max_total"])
        total_max = sum(maxes.values())
        for n, r in enumerate(roster):
            cells = [scores[n][e] for e in ex_ids]
            total = sum(float(c) for c in cells if c)
            rows.append([r.get(key, ""), *cells, f"{total:g}" if any(cells) else ("0" if missing == "zero" else ""),
                         f"{total_max:g}"])
    else:
        raise UsageError(_("unknown export format {kind}").format(kind=kind))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return unknown, absent


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade export", description=_(
            "Write the scores of a graded folder as a gradebook import file: canvas (Canvas's gradebook CSV), "
            "moodle (Moodle's grade import CSV) or csv (one row per student, one column per exercise). "
            "Students graded but not in the roster, and roster students without a submission, are listed "
            "in the output, never dropped silently."),
        epilog=_("examples:\n"
                 "  grade export canvas results/ --roster canvas_gradebook.csv --out canvas_import.csv\n"
                 "  grade export moodle results/ --roster roster.csv --match email --out moodle.csv\n"
                 "  grade export csv results/ --roster roster.csv --out scores.csv --missing zero\n\n"
                 "The roster's id column (--match) holds what each submission is named by (alice for "
                 "alice.py); by default the first of SIS Login ID, login, username, student, student_id, id, "
                 "email."),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("format", choices=["canvas", "moodle", "csv"], help=_("the gradebook format"))
    p.add_argument("results", type=Path, help=_("the --out folder of `grade batch` (holding results.jsonl)"))
    p.add_argument("--roster", type=Path, required=True, help=_("the class list (CSV with a header row)"))
    p.add_argument("--out", type=Path, required=True, help=_("the CSV file to write"))
    p.add_argument("--match", metavar="COLUMN", help=_("the roster column holding the submission ids"))
    p.add_argument("--missing", choices=["blank", "zero"], default="blank",
                   help=_("the score of a roster student without a submission (default: blank)"))
    options.add_language(p)
    return p


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)  # no Keras
    path = args.results / RESULTS
    if not path.is_file():
        raise UsageError(_("{folder} holds no results.jsonl (the --out folder of `grade batch`)").format(
            folder=args.results))
    results = read_results(path)
    roster, header, key = read_roster(args.roster, args.match)
    unknown, absent = write_export(args.format, results, roster, header, key, args.out, args.missing)
    matched = len(roster) - len(absent)
    print(_("wrote {path}: {matched} of {n} roster students matched on column {column}").format(
        path=args.out, matched=matched, n=len(roster), column=key))
    if unknown:
        print(_("{n} graded student(s) not in the roster, left out of the file: {students}").format(
            n=len(unknown), students=", ".join(unknown)))
    if absent:
        print(_("{n} roster student(s) without a submission, given {value}: {students}").format(
            n=len(absent), value="0" if args.missing == "zero" else _("a blank"), students=", ".join(absent)))
    return 0
