"""Every exercise, cold, public and hidden checks, beside `python -c "import keras"` in the same run.

For each exercise the reference solution is graded as an instructor does (`grade exNN --solution
--hidden`), in a fresh process each time, so every run pays TensorFlow's import like a student's first
`grade`.  The table gives, medians over the runs:

- cold s: the whole command, from start to exit;
- public s / hidden s: the time the engine spent in the public and in the hidden checks;
- judge MB: the peak resident memory of the grading process (VmHWM);
- child MB: the peak resident memory of the processes it started (fork server, sandboxed children);
- ratio: cold s / the median of `python -c "import keras"`.

Target (issue #13): ratio <= 2.0 for every exercise, on 2 cores.  Exit status 1 when one is over.
The runs alternate between the exercises and the Keras import so that load affects them alike.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

TARGET = 2.0
ROOT = Path(__file__).resolve().parent.parent

# The timed command for one exercise: what `grade exNN --solution --hidden --json` runs (the console
# script calls grader.front.cli.main, which calls run and exits with os._exit), with the engine's per-check seconds written to a side file.
DRIVER = r"""
import json, os, sys
from grader.core import engine
from grader.front import cli
seconds = {"public": 0.0, "hidden": 0.0, "statuses": []}
real = engine.grade_file
def grade_file(*args, on_check=None, **kwargs):
    report = real(*args, on_check=on_check, **kwargs)
    for r in report.checks:
        seconds["hidden" if r.hidden else "public"] += r.seconds
        seconds["statuses"].append(r.status.value)
    return report
engine.grade_file = grade_file
code = cli.run([sys.argv[1], "--solution", "--hidden", "--json"])  # cli.main without its os._exit
with open(sys.argv[2], "w") as f:
    json.dump(seconds, f)
sys.stdout.flush()
os._exit(code)
"""


def _hwm_kb(pid: int) -> int:
    """The peak resident set (VmHWM) of a process, in kB; 0 once it is gone or where /proc has none."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakWatch(threading.Thread):
    """Samples the peak memory of a process and of every process below it until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.judge_kb, self.child_kb = pid, 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.is_set():
            try:
                self.judge_kb = max(self.judge_kb, _hwm_kb(self.pid) or root.memory_info().rss // 1024)
                for p in root.children(recursive=True):
                    self.child_kb = max(self.child_kb, _hwm_kb(p.pid) or p.memory_info().rss // 1024)
            except psutil.Error:
                pass
            self._stop_event.wait(0.05)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# Cold means in this process: not through the warm grading server, which the plain command would otherwise
# start and ask (issue #29; bench/startup.py measures that path).
COLD_ENV = {**os.environ, "GRADE_DAEMON": "0"}


def run_exercise(ex: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        side = os.path.join(tmp, "seconds.json")
        start = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-c", DRIVER, ex, side], cwd=ROOT, env=COLD_ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        watch = PeakWatch(p.pid)
        watch.start()
        out, _ = p.communicate()
        cold = time.perf_counter() - start
        watch.stop()
        with open(side) as f:
            seconds = json.load(f)
    if p.returncode != 0:
        statuses = ", ".join(sorted(set(seconds["statuses"])))
        sys.exit(f"grade {ex} --solution --hidden exited with {p.returncode} (statuses: {statuses}): "
                 "the reference must score full marks")
    return {"cold": cold, "public": seconds["public"], "hidden": seconds["hidden"],
            "judge_mb": watch.judge_kb / 1024, "child_mb": watch.child_kb / 1024}


def import_keras() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import keras"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def exercise_ids() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from grader import checks
    return list(checks.module_names())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="cold runs per exercise (default 3; medians)")
    ap.add_argument("exercises", nargs="*", help="exercise ids (default: all)")
    args = ap.parse_args(argv)
    ids = args.exercises or exercise_ids()
    import_keras()  # warm the page cache once
    keras_s: list[float] = []
    rows: dict[str, list[dict]] = {ex: [] for ex in ids}
    for i in range(args.runs):
        for ex in ids:
            keras_s.append(import_keras())
            rows[ex].append(run_exercise(ex))
            print(f"run {i + 1}/{args.runs} {ex}: {rows[ex][-1]['cold']:.1f} s", file=sys.stderr, flush=True)
    base = statistics.median(keras_s)
    print(f"cores: {os.cpu_count()}   load average at the end: {os.getloadavg()[0]:.1f}   runs: {args.runs}")
    print(f'python -c "import keras": median {base:.2f} s (min {min(keras_s):.2f}, max {max(keras_s):.2f}, '
          f"{len(keras_s)} runs)")
    head = f"{'exercise':8} {'cold s':>7} {'public s':>9} {'hidden s':>9} {'judge MB':>9} {'child MB':>9} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    over = []
    for ex in ids:
        med = {k: statistics.median(r[k] for r in rows[ex]) for k in rows[ex][0]}
        ratio = med["cold"] / base
        flag = "" if ratio <= TARGET else "  OVER"
        if flag:
            over.append(ex)
        print(f"{ex:8} {med['cold']:7.2f} {med['public']:9.2f} {med['hidden']:9.2f} {med['judge_mb']:9.0f} "
              f"{med['child_mb']:9.0f} {ratio:6.2f}{flag}")
    print(f"target: ratio <= {TARGET} for every exercise; "
          + ("all within it" if not over else f"over it: {', '.join(over)}"))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
