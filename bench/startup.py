"""How much does `grade ex01 --solution` cost beyond importing Keras once?

Times both commands several times on this machine, alternating them so that
disk caches and load affect both alike, and prints the medians side by side.
Target: ratio <= 1.5 (the grader pays for TensorFlow's import about once).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c 'import keras'": [sys.executable, "-c", "import keras"],
    "grade ex01 --solution": [str(BIN / "grade"), "ex01", "--solution", "--json"],
}
TARGET = 1.5


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if p.returncode not in (0,):
        sys.exit(f"{' '.join(cmd)} exited with {p.returncode}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    for cmd in COMMANDS.values():  # warm the page cache once
        timed(cmd)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, cmd in COMMANDS.items():
            samples[name].append(timed(cmd))
    base_name, grade_name = list(COMMANDS)
    base, grade = statistics.median(samples[base_name]), statistics.median(samples[grade_name])
    print(f"{'command':32} {'median s':>9} {'min s':>7} {'max s':>7}   ({args.runs} runs each)")
    for name in COMMANDS:
        s = samples[name]
        print(f"{name:32} {statistics.median(s):9.2f} {min(s):7.2f} {max(s):7.2f}")
    ratio = grade / base
    print(f"ratio grade / import keras: {ratio:.2f}  (target <= {TARGET})  {'OK' if ratio <= TARGET else 'OVER TARGET'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
