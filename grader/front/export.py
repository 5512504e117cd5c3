"""``grade export canvas|moodle|gh-classroom|csv RESULTS_DIR --roster ROSTER.csv --out FILE``: scores for the
gradebook, in the file the LMS imports as it is.

The roster is a CSV with a header row: the LMS's own export (Canvas's gradebook export, Moodle's grading
worksheet, GitHub Classroom's roster or ``gh classroom assignment-grades``) or any class list.  One of its
columns holds the id each result is keyed by: ``--match COLUMN`` names it; by default the column of the LMS
the results were read from (``batch.json``: Canvas's ``ID``, the user id in Canvas's file names; Moodle's
``Identifier``, ``Participant 1012``, matched on its number; GitHub Classroom's ``github_username``), else
the first of ``SIS Login ID``, ``login``, ``username``, ``student``, ``student_id``, ``id``, ``email`` that the
roster has (case-insensitive).  Ids compare without case, Unicode normalised (NFC).

* canvas: Canvas's gradebook import -- Student, ID, SIS User ID, SIS Login ID, Section (from the roster
  where it has them), then one column per exercise, with a "Points Possible" row.
* moodle: with Moodle's grading worksheet as the roster (it has ``Identifier`` and ``Grade``), the worksheet
  filled in place -- every row and column as it was, ``Grade`` the score (the total of the exercises, scaled
  to the worksheet's ``Maximum Grade``), ``Feedback comments`` a short text of the checks not passed and
  their hints, for the student to read in Moodle -- to upload with "Upload grading worksheet".  With another
  roster, Moodle's grade import: the identifier column, then one column per exercise.
* gh-classroom: a CSV keyed by GitHub username (``github_username``, ``roster_identifier``, one column per
  exercise, ``points_awarded``, ``points_available``); the roster (GitHub Classroom's, optional) gives the
  rows and their order.
* csv: plain -- student, one column per exercise, total, max_total.

Never silent: it says which column it matched on; students graded but not in the roster are listed (and
left out of the file: the LMS could not place them); roster students without a submission are listed and
get a blank cell, or 0 with ``--missing zero``.
"""
from __future__ import annotations

import argparse
import csv
import html
import io
import re
import unicodedata
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import options
from grader.front.commands import CLASS, Command
from grader.front.layouts import Worksheet, read_worksheet
from grader.front.results import RESULTS, read_results, read_run

COMMAND = Command("export", usage="grade export canvas|moodle|gh-classroom|csv DIR --roster ROSTER.csv --out FILE",
                  summary=N_("scores for the gradebook"), group=CLASS, order=30)

FORMATS = ("canvas", "moodle", "gh-classroom", "csv")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MATCH_CANDIDATES = ("SIS Login ID", "login", "username", "student", "student_id", "id", "email")
LMS_COLUMN = {"canvas": "ID", "moodle": "Identifier", "gh-classroom": "github_username"}  # layout -> its id column
FEEDBACK_CHARS = 1500


def norm(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip().lower()


def read_roster(path: Path, match: str | None, layout: str | None = None) -> tuple[list[dict], list[str], str]:
    """(rows, header, the column matched with the results' ids).  ``layout``: the LMS the results were read
    from, whose id column is the default."""
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
        preferred = [LMS_COLUMN[layout]] if layout in LMS_COLUMN else []
        key = next((lower[c.lower()] for c in (*preferred, *MATCH_CANDIDATES) if c.lower() in lower), None)
        if key is None:
            raise UsageError(_("cannot tell which roster column holds the student ids ({columns}); name it "
                               "with --match COLUMN").format(columns=", ".join(header)))
    return rows, header, key


def key_of(column: str):
    """How a roster cell of ``column`` compares with a result's id: Moodle's ``Participant 1012`` by its
    number, anything else without case, NFC."""
    if column.lower() == "identifier":
        return lambda v: Worksheet.participant(norm(v))
    return norm


def gradebook(results: dict, roster: list[dict], key: str, missing: str) -> tuple[list[str], dict, list[str],
                                                                                   list[str]]:
    """(exercises, {roster row index: {ex: score text}}, graded students not in the roster,
    roster ids without any submission)."""
    ex_ids = sorted({e for _s, e in results})
    keyed = key_of(key)
    by_id = {}
    for s, e in results:
        by_id.setdefault(norm(s), s)
    ids = [keyed(r.get(key, "")) for r in roster]
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
    elif kind == "gh-classroom":
        rows.append(["github_username", "roster_identifier", *ex_ids, "points_awarded", "points_available"])
        total_max = sum(maxes.values())
        for n, r in enumerate(roster):
            cells = [scores[n][e] for e in ex_ids]
            total = sum(float(c) for c in cells if c)
            rows.append([r.get(key, ""), r.get("roster_identifier", r.get("identifier", "")), *cells,
                         f"{total:g}" if any(cells) else ("0" if missing == "zero" else ""), f"{total_max:g}"])
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


# ------------------------------------------------------------------ Moodle's grading worksheet, filled in place
def number(value: float) -> str:
    """A grade as Moodle reads it: ``9.23``, ``13``."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def feedback_comment(rows: list[dict]) -> str:
    """A short text for Moodle's "Feedback comments" (which Moodle keeps as HTML: the text is escaped, a
    line per exercise): per exercise its score and the checks not passed with their hints (a hidden
    check: its name and hint, never its inputs)."""
    parts = []
    for r in sorted(rows, key=lambda r: r["exercise"]):
        failed = [c for c in r.get("checks", []) if c["status"] != "PASS"]
        head = f"{r['exercise']}: {r['score']:g}/{r['max_score']:g}."
        if not failed:
            parts.append(head + " " + _("Every check passed."))
            continue
        items = []
        for c in failed:
            if c.get("hidden"):
                text = _("{check} (hidden check, {status})").format(check=c["name"], status=c["status"])
            else:
                message = re.sub(r"\s+", " ", c.get("message", "")).strip()
                text = f"{c['name']} ({c['status']}): " + (message[:157] + "..." if len(message) > 160 else message)
            if c.get("hint"):
                text += " " + _("Hint: {hint}").format(hint=re.sub(r"\s+", " ", c["hint"]).strip())
            items.append(text)
        parts.append(head + " " + _("Not passed:") + " " + " | ".join(items))
    parts = [p if len(p) <= FEEDBACK_CHARS else p[:FEEDBACK_CHARS - 3] + "..." for p in parts]
    return "<br>".join(html.escape(p, quote=False) for p in parts)


def fill_worksheet(sheet: Worksheet, results: dict, key: str, out: Path, missing: str = "blank") -> dict:
    """Moodle's grading worksheet with ``Grade`` and ``Feedback comments`` filled for every graded student,
    every other cell as it was; what it did (matched, unknown, absent, scaled, feedback) for the report."""
    keyed = key_of(key)
    column = sheet.column(key)
    grade = sheet.column("Grade")
    maximum = sheet.column("Maximum Grade")
    comments = sheet.column("Feedback comments")
    by_student: dict[str, list[dict]] = {}
    for (s, _e), r in sorted(results.items()):
        by_student.setdefault(norm(s), []).append(r)
    rows = [list(r) + [""] * (len(sheet.header) - len(r)) for r in sheet.rows]
    seen, absent, scaled = set(), [], False
    for row in rows:
        ident = keyed(row[column])
        mine = by_student.get(ident)
        if not mine:
            absent.append(row[column])
            if missing == "zero":
                row[grade] = "0"
            continue
        seen.add(ident)
        total = sum(r["score"] for r in mine)
        top = sum(r["max_score"] for r in mine)
        value = total
        try:
            moodle_max = float(row[maximum]) if maximum is not None and row[maximum].strip() else None
        except ValueError:
            moodle_max = None
        if moodle_max and top and abs(moodle_max - top) > 1e-9:
            value, scaled = total / top * moodle_max, True
        row[grade] = number(value)
        if comments is not None:
            row[comments] = feedback_comment(mine)
    unknown = sorted(rs[0]["student"] for k, rs in by_student.items() if k not in seen)
    buf = io.StringIO()
    csv.writer(buf, lineterminator=sheet.newline).writerows([sheet.header, *rows])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes((b"\xef\xbb\xbf" if sheet.bom else b"") + buf.getvalue().encode("utf-8"))
    return {"matched": len(rows) - len(absent), "n": len(rows), "unknown": unknown, "absent": absent,
            "scaled": scaled, "feedback": comments is not None}


# ------------------------------------------------------------------ the command
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade export", description=(_(
            "Write the scores of a graded folder as a gradebook import file: canvas (Canvas's gradebook CSV), "
            "moodle (Moodle's grade import CSV) or csv (one row per student, one column per exercise). "
            "Students graded but not in the roster, and roster students without a submission, are listed "
            "in the output, never dropped silently.") + " " + _(
            "moodle with Moodle's grading worksheet as the roster fills it in place (Grade, Feedback comments) "
            "for Upload grading worksheet; gh-classroom writes a CSV keyed by GitHub username.")),
        epilog=(_("examples:\n"
                 "  grade export canvas results/ --roster canvas_gradebook.csv --out canvas_import.csv\n"
                 "  grade export moodle results/ --roster roster.csv --match email --out moodle.csv\n"
                 "  grade export csv results/ --roster roster.csv --out scores.csv --missing zero\n\n"
                 "The roster's id column (--match) holds what each submission is named by (alice for "
                 "alice.py); by default the first of SIS Login ID, login, username, student, student_id, id, "
                 "email.") + "\n\n" + _(
            "From an LMS's download the default is that LMS's column: ID (Canvas), Identifier (Moodle's "
            "worksheet, Participant 1012), github_username (GitHub Classroom):\n"
            "  grade export moodle results/ --roster worksheet.csv --out filled.csv\n"
            "  grade export gh-classroom results/ --roster classroom_roster.csv --out g.csv")),
        formatter_class=options.HelpFormatter)
    p.add_argument("format", choices=list(FORMATS), help=_("the gradebook format"))
    p.add_argument("results", type=Path, help=_("the --out folder of `grade batch` (holding results.jsonl)"))
    p.add_argument("--roster", type=Path, help=_("the class list (CSV with a header row); required but for "
                                                 "gh-classroom"))
    p.add_argument("--out", type=Path, required=True, help=_("the CSV file to write"))
    p.add_argument("--match", metavar="COLUMN", help=_("the roster column holding the submission ids"))
    p.add_argument("--missing", choices=["blank", "zero"], default="blank",
                   help=_("the score of a roster student without a submission (default: blank)"))
    options.add_language(p)
    return p


def _named(students: list[str], results: dict) -> str:
    """``48213 (kimminji), alice``: ids with the name the LMS shows, where it is another."""
    names = {s: r.get("name") for (s, _e), r in results.items()}
    return ", ".join(f"{s} ({names[s]})" if names.get(s) and names[s] != s else s for s in students)


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)  # no Keras
    path = args.results / RESULTS
    if not path.is_file():
        raise UsageError(_("{folder} holds no results.jsonl (the --out folder of `grade batch`)").format(
            folder=args.results))
    results = read_results(path)
    layout = (read_run(args.results).get("download") or {}).get("layout")
    if args.roster is None:
        if args.format != "gh-classroom":
            raise UsageError(_("grade export {format} needs --roster ROSTER.csv").format(format=args.format))
        roster = [{"github_username": s} for s in sorted({s for s, _e in results})]
        header, key = ["github_username"], "github_username"
        print(_("no roster given: one row per graded student"))
    else:
        roster, header, key = read_roster(args.roster, args.match, layout)
    sheet = None
    if args.format == "moodle" and args.roster is not None:
        lower = {h.lower() for h in header}
        if {"identifier", "grade"} <= lower:
            sheet = read_worksheet(args.roster)
    if sheet is not None:
        done = fill_worksheet(sheet, results, key, args.out, args.missing)
        matched, n, unknown, absent = done["matched"], done["n"], done["unknown"], done["absent"]
    else:
        unknown, absent = write_export(args.format, results, roster, header, key, args.out, args.missing)
        matched, n = len(roster) - len(absent), len(roster)
    print(_("wrote {path}: {matched} of {n} roster students matched on column {column}").format(
        path=args.out, matched=matched, n=n, column=key))
    if sheet is not None:
        print(_("Moodle's grading worksheet filled in place: Grade{scaled}{feedback}; every other cell as it was. "
                "Upload it with Upload grading worksheet.").format(
            scaled=_(" (the total of the exercises, scaled to the worksheet's Maximum Grade)") if done["scaled"]
            else "", feedback=_(", Feedback comments (the checks not passed and their hints)") if done["feedback"]
            else _("; the worksheet has no Feedback comments column, so no feedback was written")))
    if unknown:
        print(_("{n} graded student(s) not in the roster, left out of the file: {students}").format(
            n=len(unknown), students=_named(unknown, results)))
    if absent:
        print(_("{n} roster student(s) without a submission, given {value}: {students}").format(
            n=len(absent), value="0" if args.missing == "zero" else _("a blank"), students=", ".join(absent)))
    return 0
