"""The results folder of ``grade batch`` (``--out``), its files and their formats:

* ``results.jsonl``: one line per (student, exercise) -- ``line``: the student (the LMS's id) and the
  name it shows, the exercise, its title, the graded file (its path, and its name in the download),
  the files passed over, the late field (``grader/front/lateness.py``), the report (``Report.to_dict``)
  and, when graded here, the seconds and the isolation -- appended as soon as it is known (``append``: an interrupted write leaves at most a
  torn last line, which ``read_results`` skips), so an interrupted batch resumes where it stopped;
* ``batch.json``: a fingerprint of the hidden seed, never the seed (``check_seed``: results of another
  seed, deadline or late policy are never mixed in), the facts of the last run that graded and what it
  read: the download's layout and every file it ignored or refused, with the reason (``record_run``);
* ``grades.csv``: a row per student, a column per exercise, the total and the maximum;
* ``gradescope/STUDENT/results_EX.json``: each result in Gradescope's schema (``--format gradescope``).

``safe_name`` is a student's file name in it (``feedback/SAFE.html``, ``gradescope/SAFE/``).
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import time
from pathlib import Path

from grader.core.errors import UsageError
from grader.core.i18n import _

RESULTS = "results.jsonl"
RUN = "batch.json"
GRADES = "grades.csv"


def safe_name(student: str) -> str:
    """The file name of a student's pages (``feedback/SAFE.html``, ``gradescope/SAFE/``)."""
    return re.sub(r"[^\w.@-]+", "_", student)


# ------------------------------------------------------------------ results.jsonl
def line(handin, report, start: float | None = None) -> str:
    """The results.jsonl line of a report (``handin``: its student, exercise and graded file; ``start``:
    graded here, so the time and the isolation too)."""
    d = {"student": handin.student, "name": getattr(handin, "name", "") or handin.student,
         "exercise": handin.exercise, "title": report.title, "source": handin.source, **report.to_dict()}
    if getattr(handin, "graded", ""):
        d["graded"] = handin.graded
    if getattr(handin, "others", None):
        d["others"] = [list(o) for o in handin.others]
    if getattr(handin, "late", None) is not None:
        d["late"] = handin.late
    if getattr(handin, "history", None):  # the student's own account of the way there: never in the score
        from grader.front.trail import carried
        d["history"] = carried(Path(handin.history), handin.exercise)
    elif str(handin.source or "").endswith(".ipynb"):  # else the one a notebook carries in its own outputs
        from grader.front.trail import carried_history, notebook_history
        history = notebook_history(Path(handin.source), handin.exercise)
        if history is not None:
            d["history"] = carried_history(history, handin.exercise, "notebook")
    if start is not None:
        from grader.core import session
        d.update(seconds=round(time.monotonic() - start, 2), isolation=session.isolation().describe())
    return json.dumps(d)


def read_results(path: Path) -> dict[tuple[str, str], dict]:
    """(student, exercise) -> result; a torn last line (an interrupted write) is ignored."""
    out: dict[tuple[str, str], dict] = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8") as f:
        for text in f:
            try:
                d = json.loads(text)
                out[(d["student"], d["exercise"])] = d
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return out


def append(path: Path, text: str) -> None:
    """Add one line, on disk before this returns (after a torn last line: on a line of its own)."""
    torn = False
    if path.exists() and path.stat().st_size:
        with open(path, "rb") as f:  # an interrupted write may have left half a line
            f.seek(-1, os.SEEK_END)
            torn = f.read(1) != b"\n"
    with open(path, "a", encoding="utf-8") as f:
        f.write(("\n" if torn else "") + text.rstrip("\n") + "\n")
        f.flush()
        os.fsync(f.fileno())


# ------------------------------------------------------------------ batch.json
def seed_fingerprint(seed: int) -> str:
    return hashlib.sha256(f"grade-batch-seed:{seed}".encode()).hexdigest()[:16]


def check_seed(out: Path, seed: int, force: bool, late: dict | None = None) -> None:
    """Refuse a results folder graded with another seed, or another ``late`` setting (``{"deadline": ...,
    "late_policy": ...}``: the late fields and penalties of its lines would not be this run's), unless
    ``force`` (``--restart``); then record this seed's fingerprint and the settings."""
    meta = out / RUN
    fp = seed_fingerprint(seed)
    late = {k: v for k, v in (late or {}).items() if v is not None}
    old = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
    if old and not force:
        if old.get("seed_fingerprint") != fp:
            raise UsageError(_("{out} holds results graded with another --seed; use a new --out folder "
                               "(or --restart to grade everything again)").format(out=out))
        if (old.get("late") or {}) != late:
            raise UsageError(_("{out} holds results graded with another --deadline or --late-policy ({old}); use a "
                               "new --out folder (or --restart to grade everything again)").format(
                out=out, old=", ".join(f"{k} {v}" for k, v in (old.get("late") or {}).items()) or _("none")))
    run = old if old.get("seed_fingerprint") == fp and not force else {}
    run.update({"seed_fingerprint": fp, "late": late})
    meta.write_text(json.dumps(run, indent=2), encoding="utf-8")


def record_run(out: Path, *, jobs: int, cluster: str | None, wall: float, graded: int,
               download: dict | None = None) -> dict:
    """The facts of this run, kept in batch.json beside the seed's fingerprint (never the seed); ``download``:
    what it read (``Download.to_dict``: the layout, the files ignored or refused and why), kept every run."""
    import datetime as dt
    import platform

    from grader.core.engine import __version__
    meta = out / RUN
    run = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
    if download is not None:
        run["download"] = download
    if graded == 0 and run.get("wall_seconds") is not None:
        meta.write_text(json.dumps(run, indent=2, ensure_ascii=False), encoding="utf-8")
        return run  # nothing graded now: keep the facts of the run that graded
    run.update({"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "jobs": jobs,
                "cluster": cluster, "wall_seconds": round(wall, 2), "graded": graded,
                "versions": {"grader": __version__, "python": platform.python_version()}})
    meta.write_text(json.dumps(run, indent=2, ensure_ascii=False), encoding="utf-8")
    return run


def read_run(out: Path) -> dict:
    """batch.json ({} when there is none)."""
    meta = out / RUN
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}


# ------------------------------------------------------------------ grades.csv, gradescope/
def write_grades_csv(results: dict, path: Path, ex_ids: list[str]) -> None:
    students = sorted({s for s, _ex in results})
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", *ex_ids, "total", "max_total"])
        for s in students:
            scores = [results.get((s, e), {}).get("score", 0) for e in ex_ids]
            maxes = [results.get((s, e), {}).get("max_score", 0) for e in ex_ids]
            w.writerow([s, *[f"{x:g}" for x in scores], f"{sum(scores):g}", f"{sum(maxes):g}"])


def write_gradescope(results: dict, folder: Path) -> None:
    from grader.core.outcome import gradescope_results
    for (s, _ex), r in sorted(results.items()):
        d = folder / safe_name(s)
        d.mkdir(parents=True, exist_ok=True)
        (d / f"results_{r['exercise']}.json").write_text(json.dumps(gradescope_results(r), indent=2))
