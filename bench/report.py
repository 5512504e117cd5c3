"""Benchmark of the class insight tools, side by side with `grade batch`'s own summary.

    python bench/report.py [--students 1000] [--similar 200]

1. A generated results.jsonl of 1,000 students x every exercise (13) (every outcome, named
   mistakes, crashes): the time of `grade batch`'s terminal summary over it, then of
   `grade report` (budget: < 10 s) and the size of report.html (budget: < 5 MB).
2. `grade similar` over 200 generated ex02 submissions (each a reworked copy of the
   reference or of the alternative solution, some with copied functions): budget < 60 s.
Exits 1 when a budget is exceeded.
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
    args = p.parse_args()
    from rich.console import Console

    from grader.front import classreport, results as results_file
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "results"
        write_results(out, make_results(args.students))
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
        subs = make_submissions(tmp / "subs", args.similar)
        from grader.front import similarity
        pairs, t_sim, c_sim = timed(lambda: similarity.run_similar("ex02", subs, tmp / "sim"))
        ok_s = t_sim < 60
        rows.append(("grade similar ex02", f"{args.similar} submissions, {len(pairs)} pairs", t_sim, c_sim,
                     "ok (< 60 s)" if ok_s else "OVER BUDGET"))
        ok = ok_r and ok_s
    print(f"{'step':34} {'size':32} {'wall s':>8} {'CPU s':>8}  budget (wall)")
    for name, what, secs, cpu, verdict in rows:
        print(f"{name:34} {what:32} {secs:8.2f} {cpu:8.2f}  {verdict}")
    try:
        load = os.getloadavg()[0]
        print(f"load average {load:.1f} on {os.cpu_count()} cores: wall time above CPU time is waiting for a core")
    except (AttributeError, OSError):
        pass
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
