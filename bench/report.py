"""Benchmark of the class insight tools, side by side with `grade batch`'s own summary.

    python bench/report.py [--students 1000] [--similar 200] [--histories 0.9]

1. A generated results.jsonl of 1,000 students x every exercise (13) (every outcome, named
   mistakes, crashes): the time of `grade batch`'s terminal summary over it, then of
   `grade report` (budget: < 10 s) and the size of report.html (budget: < 5 MB).
   With --histories SHARE (default 0.9; 0: off), the same results again with a learning-trail `history`
   field (issue #30) on that share of the lines -- a generated history of 1-25 attempts per line, read
   through grade batch's own safe reader, 1 in 20 with a bad line -- and `grade report` over them, printed
   beside the time without histories (target: within 2x).
2. `grade similar` over 200 generated ex02 submissions (--similar 0: skipped) (each a reworked copy of the
   reference or of the alternative solution, some with copied functions): budget < 60 s.
Exits 1 when a budget is exceeded (the 2x target included).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXERCISES = sorted({p.name[:4] for p in (ROOT / "exercises").glob("ex[0-9][0-9]_*.py")})  # every exercise
STATUS_WEIGHTS = [("PASS", 70), ("FAIL", 20), ("ERROR", 4), ("TIMEOUT", 2), ("OUT_OF_MEMORY", 1),
                  ("NOT_ATTEMPTED", 3)]
MISTAKES = ["forgot the + 1", "forgot the bias", "padded k // 2 on both sides",
            "n // stride rounds down; Keras 'same' gives ceil(n / stride)", "counted the channels twice",
            "the gates are in the wrong order", "softmax over the wrong axis"]


def make_results(n_students: int = 1000, exercises=EXERCISES, seed: int = 0) -> list[dict]:
    """Plausible results.jsonl lines: each exercise 6-10 checks, every status, named mistakes on most FAILs."""
    rng = random.Random(seed)
    checks = {ex: [(f"check_{k}", rng.choice([1, 1, 2, 3]), k == 0) for k in range(rng.randint(6, 10))]
              for ex in exercises}
    statuses, weights = zip(*STATUS_WEIGHTS)
    lines = []
    for i in range(n_students):
        student = f"student{i:04d}"
        skill = rng.random()
        for ex in exercises:
            cs = []
            for name, points, hidden in checks[ex]:
                status = "PASS" if rng.random() < 0.35 + 0.6 * skill else rng.choices(statuses[1:], weights[1:])[0]
                c = {"name": name, "status": status, "points": points if status == "PASS" else 0,
                     "max_points": points, "message": "ok" if status == "PASS" else
                     f"{name}(3, 4) returned {rng.randint(0, 9)}, expected 5", "hint": "look again",
                     "hidden": hidden}
                if status == "FAIL" and rng.random() < 0.7:
                    c["mistake"] = rng.choice(MISTAKES[:3] if name.endswith(("0", "1")) else MISTAKES)
                cs.append(c)
            lines.append({"student": student, "exercise": ex, "title": f"Exercise {ex}", "source": f"{student}.py",
                          "score": sum(c["points"] for c in cs), "max_score": sum(c["max_points"] for c in cs),
                          "checks": cs, "hidden_not_run": 0, "versions": {"grader": "0.1.0", "keras": "3.10.0"},
                          "notes": [], "seconds": round(rng.uniform(1, 4), 2),
                          "isolation": "bubblewrap namespaces"})
    return lines


def make_trail(rng: random.Random, ex: str, checks: list[dict], start: float) -> list[dict]:
    """A plausible learning-trail history of one exercise (the lines `grade` records): the student's attempts
    until each check's final status, a named mistake on most FAILs before the check is fixed."""
    import datetime as dt
    n = rng.randint(1, 25)
    fixed = {c["name"]: (rng.randint(1, n) if c["status"] == "PASS" else None) for c in checks}
    mistake = {c["name"]: c.get("mistake") or (rng.choice(MISTAKES) if rng.random() < 0.6 else None)
               for c in checks}
    entries, t = [], start
    for i in range(1, n + 1):
        t += rng.uniform(30, 900)
        when = dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        cs = []
        for c in checks:
            ok = fixed[c["name"]] is not None and i >= fixed[c["name"]]
            status = "PASS" if ok else (c["status"] if i == n else "FAIL")
            d = {"name": c["name"], "status": status}
            if status == "FAIL" and mistake[c["name"]]:
                d["mistake"] = mistake[c["name"]]
            cs.append(d)
        entries.append({"v": 1, "time": when, "exercise": ex, "grader": "0.1.0",
                        "seconds": round(rng.uniform(0.5, 3), 2), "via": rng.choice(["grade", "watch", "check"]),
                        "checks": cs})
    return entries


def add_histories(lines: list[dict], seed: int = 0, share: float = 0.9) -> list[dict]:
    """The `history` field `grade batch` writes (trail.carried_history) on ``share`` of the lines: each read
    through the same safe parser as a handed-in history.jsonl (some with a bad line or two)."""
    import json as _json

    from grader.front import trail
    rng = random.Random(seed)
    start = 1_796_000_000.0
    for d in lines:
        if rng.random() >= share:
            continue
        public = [c for c in d["checks"] if not c.get("hidden")]
        entries = make_trail(rng, d["exercise"], public, start + rng.uniform(0, 7 * 86_400))
        text = "".join(_json.dumps(e) + "\n" for e in entries)
        if rng.random() < 0.05:
            text += "{broken\n"
        d["history"] = trail.carried_history(trail.parse(text.encode(), exercise=d["exercise"]), d["exercise"],
                                             "file")
    return lines


def write_results(folder: Path, lines: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "results.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for d in lines:
            f.write(json.dumps(d) + "\n")
    (folder / "batch.json").write_text(json.dumps({"seed_fingerprint": "0123456789abcdef", "jobs": 8,
                                                   "wall_seconds": 1234.5, "graded": len(lines),
                                                   "date": "2026-12-01 12:00 UTC"}))
    return path


def make_submissions(folder: Path, n: int, seed: int = 0) -> Path:
    """n ex02 submissions: renamed / reordered / recommented versions of two correct solutions."""
    sys.path.insert(0, str(ROOT / "tests"))
    from similarity_corpus import variants
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n):
        (folder / f"s{i:03d}.py").write_text(variants("ex02", rng), encoding="utf-8")
    return folder


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=1000)
    p.add_argument("--similar", type=int, default=200)
    p.add_argument("--histories", type=float, default=0.9,
                   help="share of the results carrying a learning-trail history (0: no comparison)")
    args = p.parse_args()
    from rich.console import Console

    from grader.front import classreport, results as results_file
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "results"
        lines = make_results(args.students)
        write_results(out, lines)
        def timed(fn):
            t0, c0 = time.perf_counter(), time.process_time()
            value = fn()
            return value, time.perf_counter() - t0, time.process_time() - c0
        results, t_read, c_read = timed(lambda: results_file.read_results(out / "results.jsonl"))
        _none, t_summary, c_summary = timed(lambda: classreport.summary(results, Console(file=io.StringIO(), width=100),
                                                                       []))
        path, t_report, c_report = timed(lambda: classreport.write_report(out))
        size = path.stat().st_size
        rows = [("read results.jsonl", f"{len(results)} lines", t_read, c_read, "")]
        rows.append(("grade batch's terminal summary", f"{args.students} x {len(EXERCISES)}", t_summary, c_summary,
                     ""))
        ok_r = t_report < 10 and size < 5 * 2**20
        rows.append(("grade report -> report.html", f"{size / 2**20:.2f} MB (< 5 MB)", t_report, c_report,
                     "ok (< 10 s)" if ok_r else "OVER BUDGET"))
        ok_h = True
        if args.histories > 0:
            with_h = tmp / "results-histories"
            lines = add_histories(lines, share=args.histories)
            carried = sum(1 for d in lines if "history" in d)
            write_results(with_h, lines)
            mb = (with_h / "results.jsonl").stat().st_size / 2**20
            _r, t_read_h, c_read_h = timed(lambda: results_file.read_results(with_h / "results.jsonl"))
            # side by side, both warm (the first report above also paid for importing matplotlib and Jinja2), each
            # the best of two runs, compared by CPU time: on a shared machine the wall time also counts the waits
            # for a core (both are printed)
            def best(folder):
                runs = [timed(lambda: classreport.write_report(folder)) for _ in range(2)]
                return runs[0][0], min(r[1] for r in runs), min(r[2] for r in runs)
            _p, t_report_w, c_report_w = best(out)
            rows.append(("grade report again (warm, best of 2)", "no histories", t_report_w, c_report_w, ""))
            path_h, t_report_h, c_report_h = best(with_h)
            size_h = path_h.stat().st_size
            ratio = c_report_h / c_report_w
            ok_h = ratio <= 2 and size_h < 5 * 2**20
            rows.append(("read results.jsonl with histories", f"{carried} histories, {mb:.1f} MB", t_read_h,
                         c_read_h, ""))
            rows.append(("grade report, with histories", f"{size_h / 2**20:.2f} MB (< 5 MB)", t_report_h,
                         c_report_h, f"CPU {ratio:.2f}x, wall {t_report_h / t_report_w:.2f}x the warm one: "
                         + ("ok (<= 2x)" if ok_h else "OVER 2x")))
        ok_s = True
        if args.similar > 0:
            subs = make_submissions(tmp / "subs", args.similar)
            from grader.front import similarity
            pairs, t_sim, c_sim = timed(lambda: similarity.run_similar("ex02", subs, tmp / "sim"))
            ok_s = t_sim < 60
            rows.append(("grade similar ex02", f"{args.similar} submissions, {len(pairs)} pairs", t_sim, c_sim,
                         "ok (< 60 s)" if ok_s else "OVER BUDGET"))
        ok = ok_r and ok_s and ok_h
    print(f"{'step':37} {'size':32} {'wall s':>8} {'CPU s':>8}  budget")
    for name, what, secs, cpu, verdict in rows:
        print(f"{name:37} {what:32} {secs:8.2f} {cpu:8.2f}  {verdict}")
    try:
        load = os.getloadavg()[0]
        print(f"load average {load:.1f} on {os.cpu_count()} cores: wall time above CPU time is waiting for a core")
    except (AttributeError, OSError):
        pass
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
