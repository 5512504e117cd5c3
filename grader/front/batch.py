"""``grade batch``: grade a folder of submissions, resumably, in parallel -- the run: a local pool of worker
processes, or a Dask cluster.

    grade batch ex03 DOWNLOAD --out RESULTS [--jobs N] [--seed S] [--timeout SEC] [--memory MB]
                                            [--layout NAME] [--deadline WHEN] [--late-policy P] [--worksheet CSV]

What it grades is found by ``read_download`` (``grader/front/submission.py``): DOWNLOAD is a folder or the
.zip an LMS gave, laid out as Canvas, Moodle or GitHub Classroom lay out theirs, or one entry per student
(``alice.py``, a folder ``bob/``, ``carol.zip`` or ``dave.ipynb``), ``grader/front/layouts.py``; each result
is keyed by the LMS's id for the student and keeps the name it shows.  Every file it does not grade is
listed with the reason, in the summary and in ``batch.json``.  Late work is shown, and penalised only under
``--late-policy`` (``grader/front/lateness.py``).  Every (student, exercise) result is appended to ``results.jsonl`` as soon as it is known,
so an interrupted batch resumes where it stopped (``grader/front/results.py``); ``grades.csv``,
``feedback/`` (``grader/front/feedback.py``), ``report.html`` and the summary
(``grader/front/classreport.py``) are written from that file at the end.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing as mp
import os
import time
from collections import Counter
from pathlib import Path

from grader.core import startup
from grader.core.errors import UsageError
from grader.core.i18n import N_, _
from grader.front import lateness, options, results
from grader.front.commands import Command
from grader.front.feedback import write_feedback
from grader.front.layouts import BY_NAME
from grader.front.submission import Handin, Submission, read_download

COMMAND = Command("batch", usage="grade batch EX DOWNLOAD --out DIR",
                  summary=N_("grade a folder of submissions (instructors)"), order=10)


# ------------------------------------------------------------------ grading one task (in a worker)
_worker_ready = False


def _init_worker(hide: list[str], lang: str | None, keras: bool = True) -> None:
    """``keras=False``: every exercise of the batch is numpy-only (``Exercise.child_keras``), so the
    worker's child server goes without Keras until a submission that imports it needs it."""
    global _worker_ready
    startup.start(startup.WORKER, keras=keras, hide=hide, lang=lang)  # Keras once per worker (grader/core/startup.py)
    _worker_ready = True


def grade_task(task: Handin, seed: int, timeout: float | None, memory_mb: int | None,
               hide: list[str] | None = None, lang: str | None = None) -> str:
    """Grade one (student, exercise); returns the results.jsonl line (JSON text)."""
    if not _worker_ready:
        _init_worker(hide or [], lang)
    from grader import checks
    from grader.core import session
    start = time.monotonic()
    ex = checks.get(task.exercise)
    sub = Submission.load(task.source) if task.source else Submission.missing(task.student, task.problem)
    with session.quiet_stderr():
        # (each worker keeps a core busy: a check's training in a second child would only compete)
        report = sub.grade(ex, seed=seed, hidden=True, timeout=timeout, memory_mb=memory_mb, overlap=False)
    return results.line(task, report, start)


# ------------------------------------------------------------------ the command
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade batch", description="\n\n".join((
            _("Grade a folder of submissions (one entry per student: a .py file, a folder holding "
              "exercises/exNN_*.py, a .zip of either, or an .ipynb)."),
            _("An LMS's download works as it was downloaded, folder or .zip: Canvas's Download Submissions, "
              "Moodle's Download all submissions, a gh classroom clone student-repos folder; each student is "
              "keyed by the LMS's id, and every file not graded is listed with the reason."))),
        epilog=(_("from an LMS, the download as it is (--layout forces a layout):\n"
                 "  grade batch ex01 submissions.zip --out results/            Canvas\n"
                 "  grade batch ex01 moodle.zip --out results/ --worksheet Grades.csv \\\n"
                 "      --deadline 2025-04-01T23:59+09:00                      Moodle\n"
                 "  grade batch ex01 hw1-submissions/ --out results/ \\\n"
                 "      --deadline 2025-04-01T23:59+09:00                      GitHub Classroom\n"
                 "Late work is shown; --late-policy 10%/day takes points for it (by default\n"
                 "scores stay raw: the LMS applies its own late policy).")
        + "\n\n" + _("examples:\n  grade batch ex03 submissions/ --out results/\n"
                 "  GRADE_SEED=4711 grade batch all submissions/ --out results/ --jobs 4\n"
                 "  grade batch ex03 submissions/ --out results/ --format gradescope\n\n"
                 "Re-running with the same --out skips what is already graded. Prefer the GRADE_SEED environment "
                 "variable to --seed: a command line is visible to every process on the machine.")
        + "\n\n" + _("At the end it writes results/report.html, the class report (open it in a browser; "
                      "`grade report results/` writes it again), besides grades.csv, results.jsonl and feedback/.\n"
                      "  grade batch ex03 submissions/ --out results/ --similarity   also compare the submissions\n"
                      "  grade export canvas results/ --roster roster.csv --out canvas.csv   for the gradebook")
        + "\n" + _("  grade export moodle results/ --roster Grades.csv --out filled.csv   Moodle")),
        formatter_class=options.HelpFormatter)
    p.add_argument("exercise", help=_("an exercise id (ex03) or `all` (every exercise found in each entry)"))
    p.add_argument("submissions", type=Path, metavar="DOWNLOAD", help=_("the folder of submissions, or an LMS's download (folder or .zip)"))
    p.add_argument("--out", type=Path, required=True, help=_("results folder (created; reused to resume)"))
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help=_("parallel graders (default: cores)"))
    options.add_seed(p, _("seed of the hidden cases (default: $GRADE_SEED or 0)"))
    p.add_argument("--timeout", type=float, metavar="SEC", help=_("time limit per check"))
    p.add_argument("--memory", type=int, metavar="MB", help=_("memory limit of a submission"))
    p.add_argument("--format", choices=["csv", "gradescope"], default="csv",
                   help=_("gradescope: also write gradescope/STUDENT/results_EX.json"))
    p.add_argument("--cluster", metavar="ADDRESS", help=_("send the work to a Dask scheduler (tcp://host:8786)"))
    p.add_argument("--restart", action="store_true", help=_("discard earlier results in --out"))
    p.add_argument("--layout", choices=list(BY_NAME), help=_("how the download is laid out (default: recognised)"))
    p.add_argument("--deadline", metavar="WHEN", help=_("the deadline, 2025-04-01T23:59[+09:00]: work handed in "
                                                        "later is shown as late (Canvas marks late work itself)"))
    p.add_argument("--late-policy", metavar="POLICY", default="none",
                   help=_("none (default: raw scores, as both LMSs apply their own), P%%, P%%/day or P%%/hour: "
                          "the share of an exercise's points a late submission loses"))
    p.add_argument("--worksheet", type=Path, metavar="CSV",
                   help=_("Moodle's grading worksheet: its Last modified (submission) says when each student "
                          "handed in"))
    p.add_argument("--similarity", action="store_true",
                   help=_("also look for similar submissions (grade similar) and add them to report.html"))
    options.add_language(p)
    options.add_sandbox_option(p)
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
                         lang=args.lang, similarity=args.similarity, layout=args.layout,
                         deadline=args.deadline, late_policy=args.late_policy, worksheet=args.worksheet)


def run_batch(ex_ids: list[str], submissions: Path, out: Path, *, jobs: int = 1, seed: int = 0,
              timeout: float | None = None, memory_mb: int | None = None, fmt: str = "csv",
              cluster: str | None = None, restart: bool = False, lang: str | None = None, console=None,
              similarity: bool = False, layout: str | None = None, deadline: str | None = None,
              late_policy: str | None = None, worksheet: Path | None = None) -> int:
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)
    console = console or Console(stderr=False)
    submissions, out = submissions.resolve(), out.resolve()
    if out == submissions or submissions in out.parents:
        raise UsageError(_("--out must not be inside the submissions folder"))
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / results.RESULTS
    if restart and results_path.exists():
        results_path.unlink()
    policy = lateness.parse_policy(late_policy)
    when = lateness.parse_deadline(deadline) if deadline else None
    results.check_seed(out, seed, restart, {"deadline": when.isoformat(timespec="minutes") if when else None,
                                            "late_policy": str(policy) if policy else None})
    download = read_download(submissions, ex_ids, out / "work", BY_NAME[layout] if layout else None,
                             deadline=when, worksheet=worksheet)
    tasks = download.handins
    _check_policy(policy, tasks)
    console.print(download_line(download), soft_wrap=True)
    for note in download.notes:
        console.print(f"[bold]{_('note:')}[/] {note}", soft_wrap=True)
    done = results.read_results(results_path)
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
            d = lateness.apply(json.loads(line), policy)  # a penalty only under --late-policy
            results.append(results_path, json.dumps(d))
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
    results.write_grades_csv(done, out / results.GRADES, ex_ids)
    write_feedback(done, out / "feedback")
    if fmt == "gradescope":
        results.write_gradescope(done, out / "gradescope")
    run = results.record_run(out, jobs=jobs, cluster=cluster, wall=time.monotonic() - start, graded=len(pending),
                             download=download.to_dict())
    written_sim = []
    if similarity:
        from grader.front.similarity import similar_for_results
        written_sim = similar_for_results(done, ex_ids, out / "similarity", console=console)
    from grader.front.classreport import summary, write_report
    report_path = write_report(out, done, run)
    summary(done, console, notes, download.to_dict())
    written = [str(out / results.GRADES), str(results_path), f"{out / 'feedback'}/", str(report_path)]
    written += [f"{out / 'gradescope'}/"] if fmt == "gradescope" else []
    written += [str(p) for p in written_sim]
    console.print(_("wrote {files}").format(files=", ".join(written)), soft_wrap=True)  # paths stay whole, to copy
    return 0


def download_line(download) -> str:
    """What was read: ``submissions.zip: a canvas download, 5 students; 2 files ignored, 1 refused (listed at
    the end)``."""
    line = _("{given}: a {layout} download, {n} student(s)").format(given=download.given.name or download.given,
                                                                   layout=download.layout, n=download.students)
    if download.refused:
        line += "; " + _("{ignored} file(s) ignored, {refused} refused (listed at the end, and in batch.json)").format(
            ignored=len(download.ignored), refused=len(download.refused))
    elif download.ignored:
        line += "; " + _("{ignored} file(s) ignored (listed at the end, and in batch.json)").format(
            ignored=len(download.ignored))
    return line


def _check_policy(policy, tasks) -> None:
    """A policy that counts days or hours late needs to know how late: Canvas's LATE_ does not say."""
    if policy is None or not policy.per:
        return
    unknown = sorted({t.student for t in tasks if t.late and t.late.get("late") and t.late.get("by_seconds") is None})
    if unknown:
        raise UsageError(_("--late-policy {policy} counts how late work is, and that is not known for {n} late "
                           "student(s) ({students}): the download marks them late without a time. Use a flat "
                           "policy such as {flat}.").format(policy=policy, n=len(unknown),
                                                            students=", ".join(unknown[:10]),
                                                            flat=f"{policy.percent:g}%"))


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


def _crashed_line(task: Handin, why: str | None = None) -> str:
    from grader import checks
    from grader.core.outcome import Report, Status
    why = why or _("the grading worker crashed twice on this submission")
    report = Report.uniform(checks.get(task.exercise), Status.ERROR, _("could not be graded: {why}").format(why=why),
                            _("Tell your instructor."), notes=[why])
    return results.line(task, report)


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
