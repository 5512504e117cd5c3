"""``grade batch``: grade a folder of submissions, resumably, in parallel.

    grade batch ex03 SUBMISSIONS --out RESULTS [--jobs N] [--seed S] [--timeout SEC] [--memory MB]

One entry per student in SUBMISSIONS: ``alice.py``, a folder ``bob/`` (holding
``exercises/ex03_*.py`` or ``ex03_*.py`` anywhere inside), ``carol.zip`` of
either, or ``dave.ipynb``.  The student id is the entry's name.  Every
(student, exercise) result is appended to ``results.jsonl`` as soon as it is
known, so an interrupted batch resumes where it stopped; ``grades.csv``,
``feedback/`` and the summary are written from that file at the end.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import hashlib
import html
import json
import multiprocessing as mp
import os
import re
import statistics
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import _
from grader.front import options
from grader.front.report import safe_name
from grader.front.submission import cannot_unpack, find_in_folder, not_found, unpack

STATUSES_OF_CONCERN = ("ERROR", "TIMEOUT", "OUT_OF_MEMORY")


@dataclass
class Task:
    student: str
    exercise: str
    source: str | None  # path of the file to grade (None: nothing found)
    problem: str = ""  # why there is nothing to grade


# ------------------------------------------------------------------ discovery
def _exercise_modules(ex_ids: list[str]) -> dict[str, str]:
    from grader import checks
    names = checks.module_names()
    return {e: names[e] for e in ex_ids}


def discover(root: Path, ex_ids: list[str], work: Path) -> list[Task]:
    if not root.is_dir():
        raise UsageError(_("{root} is not a folder of submissions").format(root=root))
    modules = _exercise_modules(ex_ids)
    tasks = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        student = entry.stem if entry.is_file() else entry.name
        folder = None
        if entry.is_dir():
            folder = entry
        elif entry.suffix == ".zip":
            try:
                folder = unpack(entry, work / "unpacked" / student)
            except (zipfile.BadZipFile, ValueError, OSError) as e:
                tasks += [Task(student, ex, None, cannot_unpack(entry, e)) for ex in ex_ids]
                continue
        elif entry.suffix in (".py", ".ipynb"):
            if len(ex_ids) == 1:
                tasks.append(Task(student, ex_ids[0], str(entry)))
            else:
                m = re.search(r"ex\d\d", entry.name)
                for ex in ex_ids:
                    if m and m.group(0) == ex:
                        tasks.append(Task(entry.stem.replace(m.group(0), "").strip("_-") or student, ex, str(entry)))
            continue
        else:
            continue
        for ex in ex_ids:
            found = find_in_folder(folder, ex, modules[ex])
            tasks.append(Task(student, ex, str(found) if found else None,
                              "" if found else not_found(modules[ex], entry)))
    return tasks


# ------------------------------------------------------------------ grading one task (in a worker)
_worker_ready = False


def _init_worker(hide: list[str], lang: str | None, keras: bool = True) -> None:
    """``keras=False``: every exercise of the batch is numpy-only (``Exercise.child_keras``), so the
    worker's child server goes without Keras until a submission that imports it needs it."""
    global _worker_ready
    startup.start(startup.WORKER, keras=keras, hide=hide, lang=lang)  # Keras once per worker (grader/core/startup.py)
    _worker_ready = True


def grade_task(task: Task, seed: int, timeout: float | None, memory_mb: int | None,
               hide: list[str] | None = None, lang: str | None = None) -> str:
    """Grade one (student, exercise); returns the results.jsonl line (JSON text)."""
    if not _worker_ready:
        _init_worker(hide or [], lang)
    from grader import checks
    from grader.core import session
    from grader.front.submission import Submission
    start = time.monotonic()
    ex = checks.get(task.exercise)
    sub = Submission.load(task.source) if task.source else Submission.missing(task.student, task.problem)
    with session.quiet_stderr():
        # (each worker keeps a core busy: a check's training in a second child would only compete)
        report = sub.grade(ex, seed=seed, hidden=True, timeout=timeout, memory_mb=memory_mb, overlap=False)
    return _line(task, report, start)


def _line(task: Task, report, start: float | None = None) -> str:
    """The results.jsonl line of a report (``start``: graded here, so the time and the isolation too)."""
    d = {"student": task.student, "exercise": task.exercise, "title": report.title, "source": task.source,
         **report.to_dict()}
    if start is not None:
        from grader.core import session
        d.update(seconds=round(time.monotonic() - start, 2), isolation=session.isolation().describe())
    return json.dumps(d)


# ------------------------------------------------------------------ results folder
def read_results(path: Path) -> dict[tuple[str, str], dict]:
    """(student, exercise) -> result; a torn last line (an interrupted write) is ignored."""
    out: dict[tuple[str, str], dict] = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                d = json.loads(line)
                out[(d["student"], d["exercise"])] = d
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return out


def _append(path: Path, line: str) -> None:
    torn = False
    if path.exists() and path.stat().st_size:
        with open(path, "rb") as f:  # an interrupted write may have left half a line
            f.seek(-1, os.SEEK_END)
            torn = f.read(1) != b"\n"
    with open(path, "a", encoding="utf-8") as f:
        f.write(("\n" if torn else "") + line.rstrip("\n") + "\n")
        f.flush()
        os.fsync(f.fileno())


def _seed_fingerprint(seed: int) -> str:
    return hashlib.sha256(f"grade-batch-seed:{seed}".encode()).hexdigest()[:16]


def _check_run_file(out: Path, seed: int, force: bool) -> None:
    meta = out / "batch.json"
    fp = _seed_fingerprint(seed)
    if meta.exists():
        old = json.loads(meta.read_text())
        if old.get("seed_fingerprint") != fp and not force:
            raise UsageError(_("{out} holds results graded with another --seed; use a new --out folder "
                               "(or --restart to grade everything again)").format(out=out))
    meta.write_text(json.dumps({"seed_fingerprint": fp}, indent=2))


def write_grades_csv(results: dict, path: Path, ex_ids: list[str]) -> None:
    students = sorted({s for s, _ in results})
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", *ex_ids, "total", "max_total"])
        for s in students:
            scores = [results.get((s, e), {}).get("score", 0) for e in ex_ids]
            maxes = [results.get((s, e), {}).get("max_score", 0) for e in ex_ids]
            w.writerow([s, *[f"{x:g}" for x in scores], f"{sum(scores):g}", f"{sum(maxes):g}"])


def feedback_markdown(student: str, results: list[dict]) -> str:
    """What a student sees: every check, points, message and hint; for hidden
    checks the category (check name) and hint, never the hidden inputs."""
    lines = ["# " + _("Feedback for {student}").format(student=student), ""]
    header = "| " + " | ".join((_("check"), _("status"), _("points"), _("message"))) + " |"
    for r in results:
        lines += [f"## {r['exercise']}: {r['score']:g} / {r['max_score']:g}", "",
                  header, "| --- | --- | --- | --- |"]
        for c in r["checks"]:
            if c["hidden"] and c["status"] != "PASS":
                message = _("hidden check failed ({name}); hint: {hint}").format(name=c["name"].replace("_", " "),
                                                                                   hint=c["hint"])
            elif c["status"] == "PASS":
                message = ""
            else:
                message = f"{c['message']}" + (_(" -- hint: {hint}").format(hint=c["hint"]) if c["hint"] else "")
            message = _md_cell(message)
            name = c["name"] + (_(" (hidden)") if c["hidden"] else "")
            lines.append(f"| {name} | {c['status']} | {c['points']:g}/{c['max_points']:g} | {message} |")
        lines.append("")
        # what the grader left out or noticed ("cell 4 does not parse ...; it was left out"), as `grade` shows
        lines += [f"- **{_('note:')}** {_md_cell(n)}" for n in r.get("notes") or []]
        lines += [""] if r.get("notes") else []
    return "\n".join(lines)


def feedback_html(markdown_text: str, title: str = "") -> str:
    """The HTML page of a feedback Markdown text (markdown-it-py, CommonMark + tables; raw HTML in the
    text is escaped, never passed through), in the page template of ``grader/templates``."""
    from markdown_it import MarkdownIt

    from grader.core.i18n import get_language
    from grader.front.report import environment
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown_text)
    return environment().get_template("feedback.html.j2").render(lang=get_language(), title=title, body=body)


def _md_cell(text: str) -> str:
    """Text as one Markdown table cell: pipes, backslashes, backticks, stars and brackets stay literal."""
    return re.sub(r"([\\`*\[\]|])", r"\\\1", text).replace("\n", " ")


def write_feedback(results: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    by_student: dict[str, list[dict]] = {}
    for (s, _ex), r in sorted(results.items()):
        by_student.setdefault(s, []).append(r)
    for s, rs in by_student.items():
        md = feedback_markdown(s, rs)
        safe = safe_name(s)
        (folder / f"{safe}.md").write_text(md, encoding="utf-8")
        (folder / f"{safe}.html").write_text(
            feedback_html(md, _("Feedback for {student}").format(student=s)), encoding="utf-8")


def gradescope_results(result: dict) -> dict:
    """One submission in Gradescope's autograder results.json schema."""
    tests = []
    for c in result["checks"]:
        hidden = c["hidden"]
        output = "" if c["status"] == "PASS" else (
            _("{status}: hidden check; hint: {hint}").format(status=c["status"], hint=c["hint"]) if hidden else
            f"{c['status']}: {c['message']}\n" + _("hint: ") + c["hint"])
        test = {"name": f"{result['exercise']} {c['name']}", "score": c["points"], "max_score": c["max_points"],
                "status": "passed" if c["status"] == "PASS" else "failed", "output": output,
                "visibility": "after_published" if hidden else "visible"}
        if c.get("mistake"):  # the named mistake's language-independent id (Gradescope keeps extra_data)
            test["extra_data"] = {"mistake": c["mistake"]}
        tests.append(test)
    return {"score": result["score"], "tests": tests, "output": f"{result['exercise']}: "
            f"{result['score']:g}/{result['max_score']:g}", "visibility": "visible"}


def write_gradescope(results: dict, folder: Path) -> None:
    for (s, _), r in sorted(results.items()):
        d = folder / safe_name(s)
        d.mkdir(parents=True, exist_ok=True)
        (d / f"results_{r['exercise']}.json").write_text(json.dumps(gradescope_results(r), indent=2))


def summary(results: dict, console, notes: list[str]) -> None:
    from rich.table import Table
    if not results:
        console.print(_("nothing graded"))
        return
    totals: dict[str, float] = {}
    maxes: dict[str, float] = {}
    for (s, _ex), r in results.items():
        totals[s] = totals.get(s, 0) + r["score"]
        maxes[s] = maxes.get(s, 0) + r["max_score"]
    pct = [100 * totals[s] / maxes[s] if maxes[s] else 0 for s in totals]
    bins = Counter(min(int(p // 10) * 10, 90) for p in pct)
    t = Table(title=_("Score distribution ({n} students; median {median:.0f}%)").format(
        n=len(totals), median=statistics.median(pct)), title_justify="left")
    t.add_column(_("score %"))
    t.add_column(_("students"), justify="right")
    t.add_column("")
    for b in range(0, 100, 10):
        t.add_row(f"{b}-{b + 10 if b < 90 else 100}", str(bins.get(b, 0)), "#" * bins.get(b, 0))
    console.print(t)
    failed = Counter()
    for r in results.values():
        for c in r["checks"]:
            if c["status"] != "PASS":
                failed[(r["exercise"], c["name"])] += 1
    if failed:
        t = Table(title=_("Most failed checks"), title_justify="left")
        for col in (_("exercise"), _("check"), _("not passed")):
            t.add_column(col)
        for (e, c), n in failed.most_common(10):
            t.add_row(e, c, str(n))
        console.print(t)
    bad = []
    for r in sorted(results.values(), key=lambda r: (r["student"], r["exercise"])):
        worst = [c for c in r["checks"] if c["status"] in STATUSES_OF_CONCERN]
        if worst:
            kinds = Counter(c["status"] for c in worst)
            bad.append((r["student"], r["exercise"], ", ".join(f"{k} x{n}" for k, n in kinds.items()),
                        worst[0]["message"][:160]))
    if bad:
        t = Table(title=_("{n} submission(s) with ERROR / TIMEOUT / OUT_OF_MEMORY checks").format(n=len(bad)),
                  title_justify="left")
        for col in (_("student"), _("exercise"), _("outcomes"), _("first message")):
            t.add_column(col, overflow="fold")
        for row in bad:
            t.add_row(*row)
        console.print(t)
    for n in notes:
        console.print(f"[bold]{_('note:')}[/] {n}")


# ------------------------------------------------------------------ the command
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade batch", description=_("Grade a folder of submissions (one entry per student: a .py file, a "
                                          "folder holding exercises/exNN_*.py, a .zip of either, or an .ipynb)."),
        epilog=_("examples:\n  grade batch ex03 submissions/ --out results/\n"
                 "  GRADE_SEED=4711 grade batch all submissions/ --out results/ --jobs 4\n"
                 "  grade batch ex03 submissions/ --out results/ --format gradescope\n\n"
                 "Re-running with the same --out skips what is already graded. Prefer the GRADE_SEED environment "
                 "variable to --seed: a command line is visible to every process on the machine.")
        + "\n\n" + _("At the end it writes results/report.html, the class report (open it in a browser; "
                      "`grade report results/` writes it again), besides grades.csv, results.jsonl and feedback/.\n"
                      "  grade batch ex03 submissions/ --out results/ --similarity   also compare the submissions\n"
                      "  grade export canvas results/ --roster roster.csv --out canvas.csv   for the gradebook"),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("exercise", help=_("an exercise id (ex03) or `all` (every exercise found in each entry)"))
    p.add_argument("submissions", type=Path, help=_("the folder of submissions"))
    p.add_argument("--out", type=Path, required=True, help=_("results folder (created; reused to resume)"))
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help=_("parallel graders (default: cores)"))
    options.add_seed(p, _("seed of the hidden cases (default: $GRADE_SEED or 0)"))
    p.add_argument("--timeout", type=float, metavar="SEC", help=_("time limit per check"))
    p.add_argument("--memory", type=int, metavar="MB", help=_("memory limit of a submission"))
    p.add_argument("--format", choices=["csv", "gradescope"], default="csv",
                   help=_("gradescope: also write gradescope/STUDENT/results_EX.json"))
    p.add_argument("--cluster", metavar="ADDRESS", help=_("send the work to a Dask scheduler (tcp://host:8786)"))
    p.add_argument("--restart", action="store_true", help=_("discard earlier results in --out"))
    p.add_argument("--similarity", action="store_true",
                   help=_("also look for similar submissions (grade similar) and add them to report.html"))
    options.add_language(p)
    from grader.front.cli import add_sandbox_option
    add_sandbox_option(p)
    return p


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)  # --help and argument errors in the --lang language too
    ex_ids = options.exercises(args.exercise)
    seed = options.seed(args)
    if args.jobs < 1:
        raise UsageError(_("--jobs must be at least 1"))
    startup.start(startup.BATCH, sandbox=args.sandbox)  # GRADER_SANDBOX: the workers inherit the choice
    from grader.core.session import quiet_stderr
    with quiet_stderr():  # TensorFlow's start-up chatter; the results are on stdout and in --out
        return run_batch(ex_ids, args.submissions, args.out, jobs=args.jobs, seed=seed, timeout=args.timeout,
                         memory_mb=args.memory, fmt=args.format, cluster=args.cluster, restart=args.restart,
                         lang=args.lang, similarity=args.similarity)


def run_batch(ex_ids: list[str], submissions: Path, out: Path, *, jobs: int = 1, seed: int = 0,
              timeout: float | None = None, memory_mb: int | None = None, fmt: str = "csv",
              cluster: str | None = None, restart: bool = False, lang: str | None = None, console=None,
              similarity: bool = False) -> int:
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)
    console = console or Console(stderr=False)
    submissions, out = submissions.resolve(), out.resolve()
    if out == submissions or submissions in out.parents:
        raise UsageError(_("--out must not be inside the submissions folder"))
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / "results.jsonl"
    if restart and results_path.exists():
        results_path.unlink()
    _check_run_file(out, seed, restart)
    tasks = discover(submissions, ex_ids, out / "work")
    done = read_results(results_path)
    pending = [t for t in tasks if (t.student, t.exercise) not in done]
    console.print(_("{n} (student, exercise) pairs in {submissions}: {done} already graded in {out}, {pending} to "
                    "grade with {jobs} job(s)").format(n=len(tasks), submissions=submissions,
                                                       done=len(tasks) - len(pending), out=out,
                                                       pending=len(pending), jobs=jobs)
                  + (_(" on {cluster}").format(cluster=cluster) if cluster else ""))
    hide = [str(submissions), str(out)]
    notes: list[str] = []
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    start = time.monotonic()
    with Progress(*columns, console=console, transient=False) as progress:
        bar = progress.add_task(_("grading"), total=len(pending), rate="")
        finished = 0

        def record(line: str) -> None:
            nonlocal finished
            _append(results_path, line)
            d = json.loads(line)
            done[(d["student"], d["exercise"])] = d
            finished += 1
            per_min = finished / max(time.monotonic() - start, 1e-9) * 60
            progress.update(bar, advance=1, rate=f"{per_min:.1f}/min",
                            description=f"{d['student']} {d['exercise']} {d['score']:g}/{d['max_score']:g}")
        if pending:
            if cluster:
                _run_dask(cluster, pending, seed, timeout, memory_mb, hide, lang, record)
            else:
                _run_local(pending, jobs, seed, timeout, memory_mb, hide, lang, record, notes)
    iso = {r.get("isolation") for r in done.values() if r.get("isolation")}
    if any("bubblewrap" not in i for i in iso):
        notes.append(_("some submissions were graded without bubblewrap: children ran in a scratch folder "
                       "but could read other files on the grading machine"))
    write_grades_csv(done, out / "grades.csv", ex_ids)
    write_feedback(done, out / "feedback")
    if fmt == "gradescope":
        write_gradescope(done, out / "gradescope")
    run = _record_run(out, jobs=jobs, cluster=cluster, wall=time.monotonic() - start, graded=len(pending))
    written_sim = []
    if similarity:
        from grader.front.similar import similar_for_results
        written_sim = similar_for_results(done, ex_ids, out / "similarity", console=console)
    from grader.front.report import write_report
    report_path = write_report(out, done, run)
    summary(done, console, notes)
    written = [str(out / "grades.csv"), str(results_path), f"{out / 'feedback'}/", str(report_path)]
    written += [f"{out / 'gradescope'}/"] if fmt == "gradescope" else []
    written += [str(p) for p in written_sim]
    console.print(_("wrote {files}").format(files=", ".join(written)), soft_wrap=True)  # paths stay whole, to copy
    return 0


def _record_run(out: Path, *, jobs: int, cluster: str | None, wall: float, graded: int) -> dict:
    """The facts of this run, kept in batch.json beside the seed's fingerprint (never the seed)."""
    import datetime as dt
    import platform

    from grader.core.engine import __version__
    meta = out / "batch.json"
    run = json.loads(meta.read_text()) if meta.exists() else {}
    if graded == 0 and run.get("wall_seconds") is not None:
        return run  # nothing graded now: keep the facts of the run that graded
    run.update({"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "jobs": jobs,
                "cluster": cluster, "wall_seconds": round(wall, 2), "graded": graded,
                "versions": {"grader": __version__, "python": platform.python_version()}})
    meta.write_text(json.dumps(run, indent=2))
    return run


def _needs_keras(tasks) -> bool:
    """Whether any of these tasks' exercises needs Keras in the child (a submission that imports it gets it
    all the same: ``LinuxBackend.warm_up``)."""
    from grader import checks
    return any(checks.get(ex).child_keras for ex in {t.exercise for t in tasks})


def _run_local(pending, jobs, seed, timeout, memory_mb, hide, lang, record, notes) -> None:
    """Worker processes that import Keras once each; a crashed worker loses only its task."""
    queue = list(pending)
    attempts: Counter = Counter()
    ctx = mp.get_context("spawn")
    while queue:
        with cf.ProcessPoolExecutor(max_workers=min(jobs, len(queue)), mp_context=ctx,
                                    initializer=_init_worker, initargs=(hide, lang, _needs_keras(queue))) as pool:
            futures = {pool.submit(grade_task, t, seed, timeout, memory_mb): t for t in queue}
            queue = []
            broken = False
            for fut in cf.as_completed(futures):
                task = futures[fut]
                try:
                    record(fut.result())
                except cf.process.BrokenProcessPool:
                    broken = True
                    attempts[(task.student, task.exercise)] += 1
                    if attempts[(task.student, task.exercise)] >= 2:
                        record(_crashed_line(task))
                    else:
                        queue.append(task)
                except Exception as e:  # noqa: BLE001 -- a grader bug on one task must not lose the batch
                    record(_crashed_line(task, f"{type(e).__name__}: {e}"))
            if broken:
                notes.append(_("a grading worker crashed; its submissions were graded again in a new worker"))


def _crashed_line(task: Task, why: str | None = None) -> str:
    from grader import checks
    from grader.core.outcome import Report, Status
    why = why or _("the grading worker crashed twice on this submission")
    report = Report.uniform(checks.get(task.exercise), Status.ERROR, _("could not be graded: {why}").format(why=why),
                            _("Tell your instructor."), notes=[why])
    return _line(task, report)


def _run_dask(address, pending, seed, timeout, memory_mb, hide, lang, record) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError(_("--cluster needs dask.distributed: pip install 'keras-course-grader[cluster]'")) \
            from None
    with Client(address) as client:
        futures = [client.submit(grade_task, t, seed, timeout, memory_mb, hide, lang, pure=False,
                                 key=f"grade-{t.student}-{t.exercise}-{i}") for i, t in enumerate(pending)]
        for fut in as_completed(futures):
            record(fut.result())
