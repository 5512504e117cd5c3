"""Batch grading throughput: `grade batch` against grading the same files one
`grade` call at a time (and against nbgrader, when bench/nbgrader-venv exists).

    python bench/batch.py [--n 100] [--jobs 2] [--no-sequential] [--no-nbgrader | --nbgrader-only] [--per-exercise]

Builds a corpus of N submissions for ex01-ex03 (references, alternative
solutions, mutants and broken files, cycled), grades it each way on this
machine -- `grade` with one `grade batch all` (one set of warm workers for
every (student, exercise) pair; `--per-exercise` adds one `grade batch exNN`
per exercise beside it) --
machine, and prints submissions per minute and the peak resident memory of
the largest process of each approach, side by side.  The nbgrader row
(bench/nbgrader_baseline.py) autogrades the same files as notebooks with
nbgrader from bench/nbgrader-venv (`make bench-nbgrader`); it is skipped when
that environment is missing.  Try it on a small corpus first:
`python bench/batch.py --n 12 --nbgrader-only`.
Targets: `grade batch` at least 3x the one-call-per-file rate (and 10x
nbgrader's); peak memory under 1 GB per job.
"""
from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODULES = {"ex01": "ex01_conv_arithmetic", "ex02": "ex02_padding_stride", "ex03": "ex03_conv_stack"}
SHARE = {"ex01": 0.4, "ex02": 0.4, "ex03": 0.2}


def corpus(n: int, folder: Path) -> dict[str, Path]:
    """folder/exNN/studentK.py for N students spread over the exercises."""
    out = {}
    for ex, module in MODULES.items():
        pool = [ROOT / "solutions" / f"{module}.py", ROOT / "exercises" / f"{module}.py"]
        pool += sorted((ROOT / "tests" / "submissions" / ex).glob("*.py"))
        if ex == "ex01":
            pool += [ROOT / "tests" / "hostile" / "syntax_error.py", ROOT / "tests" / "hostile" / "infinite_loop.py"]
        d = folder / ex
        d.mkdir(parents=True)
        for i, src in zip(range(round(n * SHARE[ex])), itertools.cycle(pool)):
            shutil.copy(src, d / f"student{i:03d}.py")
        out[ex] = d
    return out


def _peak_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_batch(folders: dict[str, Path], out: Path, jobs: int) -> tuple[float, int]:
    """One `grade batch all` over every (student, exercise) pair: one set of warm workers for all of them."""
    flat = out.parent / "all-submissions"
    flat.mkdir(parents=True, exist_ok=True)
    count = 0
    for ex, d in folders.items():
        for f in sorted(d.glob("*.py")):
            shutil.copy(f, flat / f"{f.stem}_{ex}.py")  # student007_ex02.py: student007's ex02
            count += 1
    start = time.perf_counter()
    subprocess.run([str(BIN / "grade"), "batch", "all", str(flat), "--out", str(out), "--jobs", str(jobs),
                    "--timeout", "5"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "GRADE_SEED": "11"}, cwd=ROOT)
    return time.perf_counter() - start, count


def run_batch_per_exercise(folders: dict[str, Path], out: Path, jobs: int) -> tuple[float, int]:
    """One `grade batch exNN` per exercise (workers started again for each), for comparison."""
    start, count = time.perf_counter(), 0
    for ex, d in folders.items():
        subprocess.run([str(BIN / "grade"), "batch", ex, str(d), "--out", str(out / ex), "--jobs", str(jobs),
                        "--timeout", "5"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "GRADE_SEED": "11"}, cwd=ROOT)
        count += len(list(d.glob("*.py")))
    return time.perf_counter() - start, count


def run_sequential(folders: dict[str, Path]) -> tuple[float, int]:
    start, count = time.perf_counter(), 0
    for ex, d in folders.items():
        for f in sorted(d.glob("*.py")):
            subprocess.run([str(BIN / "grade"), ex, "--file", str(f), "--json", "--timeout", "5"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "GRADE_SEED": "11"})
            count += 1
    return time.perf_counter() - start, count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="number of submissions (default 100)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-sequential", action="store_true", help="skip the slow one-call-per-file baseline")
    ap.add_argument("--no-nbgrader", action="store_true", help="skip the nbgrader baseline")
    ap.add_argument("--per-exercise", action="store_true",
                    help="also time one `grade batch exNN` per exercise (workers started again for each)")
    ap.add_argument("--nbgrader-only", action="store_true", help="only the nbgrader baseline (no grade rows)")
    ap.add_argument("--cell-timeout", type=int, default=60, help="nbgrader: seconds per notebook cell (default 60)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import nbgrader_baseline
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        folders = corpus(args.n, tmp / "subs")
        rows = []
        if not args.nbgrader_only:
            secs, n = run_batch(folders, tmp / "out", args.jobs)
            rows.append((f"grade batch all --jobs {args.jobs}", n, secs, _peak_children_mb()))
            if not args.no_sequential:
                secs, n = run_sequential(folders)
                rows.append(("grade per file, in sequence", n, secs, _peak_children_mb()))
            if args.per_exercise:
                secs, n = run_batch_per_exercise(folders, tmp / "out-per-exercise", args.jobs)
                rows.append((f"grade batch exNN x{len(folders)} --jobs {args.jobs}", n, secs, _peak_children_mb()))
        nb_row = None
        if args.no_nbgrader:
            pass
        elif not nbgrader_baseline.available():
            print("(nbgrader baseline skipped: bench/nbgrader-venv is not installed; `make bench-nbgrader` "
                  "creates it)")
        else:
            secs, n, peak = nbgrader_baseline.run_autograde(folders, args.cell_timeout)
            nb_row = ("nbgrader autograde (notebooks)", n, secs, peak)
        print(f"{'approach':32} {'subs':>5} {'seconds':>8} {'subs/min':>9} {'peak MB*':>9}")
        for name, n, secs, peak in rows:
            print(f"{name:32} {n:5d} {secs:8.1f} {n / secs * 60:9.1f} {peak:9.0f}")
        if nb_row is not None:
            name, n, secs, peak = nb_row
            print(f"{name:32} {n:5d} {secs:8.1f} {n / secs * 60:9.1f} {peak:8.0f}**")
        print("* peak resident memory of the largest process so far (cumulative over the rows above it)")
        if nb_row is not None:
            print(f"** largest process below nbgrader alone (nbgrader or one kernel); cell timeout "
                  f"{args.cell_timeout} s, autograde only (building the notebooks is not timed)")
        for name, n, secs, _peak in rows[1:]:
            ratio = (rows[0][1] / rows[0][2]) / (n / secs)
            what = "one call per file" if name.startswith("grade per file") else name
            print(f"speed-up of grade batch all over {what}: {ratio:.1f}x"
                  + (" (target >= 3x)" if what == "one call per file" else ""))
        if rows and nb_row is not None:
            ratio = (rows[0][1] / rows[0][2]) / (nb_row[1] / nb_row[2])
            print(f"speed-up of grade batch over nbgrader autograde: {ratio:.1f}x (target >= 10x)")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
