"""Where `make test`'s time goes: its wall time beside the 6-minute target, and its CPU time by kind of process.

Runs the fast suite as `make test` does (pytest-xdist, `-m "not slow"`), samples every process's CPU time
(user + system, /proc) every 0.3 s, and prints:

* the wall time beside the target (6 min) and the time before the speed issue (9.5 min idle, 2 cores);
* how busy the CPUs were (a suite that keeps every core busy is work, not waiting: more workers do not help);
* the CPU seconds by kind of process: pytest's workers (in-process grading), fork servers (each imports
  Keras, unless it serves numpy-only work), the children they fork (the grading itself), spawned Pythons (batch workers, portable
  children), `grade` on the command line, Jupyter kernels, pip, Chromium.

Linux only (/proc).  Run it on an idle machine: the CPU share is the machine's.  A process that lives less
than 0.3 s may be missed; its CPU time is small.
Extra arguments go to pytest: `python bench/suite.py -- tests/test_quiz.py` measures one file.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 6 * 60
BEFORE_S = 9.5 * 60  # the figure for an idle 2-core machine


def _cpu_times() -> list[int]:
    with open("/proc/stat") as f:
        return [int(x) for x in f.readline().split()[1:9]]


def _kind(cmdline: str, name: str, forked: bool) -> str:
    """``forked``: its parent is a fork server (a forked child keeps the server's command line)."""
    if "exec(eval(sys.stdin" in cmdline or "xdist" in cmdline:
        return "pytest workers (the judges of in-process grading)"
    if name == "bwrap":
        return "other (bubblewrap, shells, short helpers)"  # (bubblewrap's command line holds the server's)
    if "forkserver" in cmdline:
        return ("children forked from a fork server (the grading itself)" if forked else
                "fork servers (their imports: Keras unless numpy-only)")
    if "spawn_main" in cmdline:
        return "spawned Pythons (batch workers, portable children)"
    if "ipykernel" in cmdline:
        return "Jupyter kernels"
    if "/bin/grade" in cmdline:
        return "`grade` on the command line"
    if " pip " in f" {cmdline} " or "/pip" in cmdline or "-m pip" in cmdline:
        return "pip"
    if "chrom" in name or "chrom" in cmdline:
        return "Chromium"
    if "pytest" in cmdline:
        return "pytest (main)"
    return "other (bubblewrap, shells, short helpers)"


def _test_of(pid: str) -> str:
    """The test a process was started under: pytest sets PYTEST_CURRENT_TEST while a test runs, and a
    process started then inherits it (a pytest worker's own entry is from before its first test)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            for item in f.read().split(b"\0"):
                if item.startswith(b"PYTEST_CURRENT_TEST="):
                    return item.split(b"=", 1)[1].decode(errors="replace").rsplit(" (", 1)[0]
    except OSError:
        pass
    return ""


def run(pytest_args: list[str], every: float) -> tuple[float, list[int], dict, dict, int]:
    tck = os.sysconf("SC_CLK_TCK")
    cpu: dict[tuple[str, str], float] = {}
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}
    started: dict[tuple[str, str], str] = {}  # the test that was running when the process started
    stat0, t0 = _cpu_times(), time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT)
    ours = {str(proc.pid)}  # pytest and what descends from it, not what else runs on the machine
    while proc.poll() is None:
        for pid in sorted((p for p in os.listdir("/proc") if p.isdigit()), key=int):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
                name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat.rsplit(")", 1)[1].split()
                if pid not in ours:
                    if rest[1] not in ours:  # its parent
                        continue
                    ours.add(pid)
                key = (pid, rest[19])  # the pid and its start time: a reused pid is another process
                cpu[key] = (int(rest[11]) + int(rest[12])) / tck
                if key not in seen:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        seen[key] = (f.read().replace(b"\0", b" ").decode(errors="replace"), name, rest[1])
                    started[key] = _test_of(pid)
            except (OSError, ValueError, IndexError):
                continue
        time.sleep(every)
    wall = time.monotonic() - t0
    used = [b - a for a, b in zip(stat0, _cpu_times())]
    kinds: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    tests: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    servers = {key[0] for key, (cmdline, name, _ppid) in seen.items() if "forkserver" in cmdline and name != "bwrap"}
    for key, seconds in cpu.items():
        cmdline, name, ppid = seen.get(key, ("", "", ""))
        k = kinds[_kind(cmdline, name, ppid in servers)]
        k[0] += 1
        k[1] += seconds
        # (a child forked from a fork server carries the environment of the test that started the server)
        if started.get(key) and "xdist" not in cmdline and ppid not in servers:
            t = tests[started[key]]
            t[0] += 1
            t[1] += seconds
    return wall, used, kinds, tests, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    jobs = len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else 3
    ap.add_argument("--jobs", type=int, default=jobs, help=f"pytest-xdist workers (default {jobs}, as make test)")
    ap.add_argument("--every", type=float, default=0.3, help="seconds between samples (default 0.3)")
    ap.add_argument("--by-test", type=int, default=0, metavar="N",
                    help="also list the N tests whose processes used the most CPU (default: none)")
    ap.add_argument("pytest_args", nargs="*", help="after --: what pytest gets instead of the whole fast suite")
    args = ap.parse_args()
    if not Path("/proc/stat").exists():
        sys.exit("bench/suite.py reads /proc: Linux only")
    from rich.console import Console
    from rich.table import Table

    pytest_args = ["-m", "not slow", "-n", str(args.jobs), "--maxprocesses", "4", "--dist", "loadgroup", "-q",
                   "-p", "no:cacheprovider", *args.pytest_args]
    wall, used, kinds, tests, code = run(pytest_args, args.every)
    console = Console()
    total = sum(used) or 1
    names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    share = dict(zip(names, (100 * u / total for u in used)))
    t = Table(title="make test: wall time")
    for col in ("", "seconds", "minutes"):
        t.add_column(col, justify="right" if col else "left")
    for label, s in (("this run", wall), ("target", TARGET_S), ("before the speed issue", BEFORE_S)):
        t.add_row(label, f"{s:.0f}", f"{s / 60:.1f}")
    console.print(t)
    console.print(f"CPUs busy {100 - share['idle'] - share['iowait']:.1f}% (user {share['user']:.1f}, system "
                  f"{share['system']:.1f}, stolen by the hypervisor {share['steal']:.1f}, idle {share['idle']:.1f}, "
                  f"waiting for disks {share['iowait']:.1f}); ratio to the target {wall / TARGET_S:.2f}")
    k = Table(title="CPU seconds by kind of process (pytest and what it started)")
    k.add_column("processes")
    k.add_column("count", justify="right")
    k.add_column("CPU s", justify="right")
    for name, (count, seconds) in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
        k.add_row(name, str(count), f"{seconds:.0f}")
    k.add_row("all", str(sum(c for c, _s in kinds.values())), f"{sum(s for _c, s in kinds.values()):.0f}")
    console.print(k)
    if args.by_test:
        b = Table(title=f"the {args.by_test} tests whose processes used the most CPU (not counted: pytest's "
                  "workers, and the children of fork servers, which are counted under no test)")
        b.add_column("test (parameters folded)")
        b.add_column("processes", justify="right")
        b.add_column("CPU s", justify="right")
        folded: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for name, (count, seconds) in tests.items():
            f = folded[name.split("[", 1)[0]]
            f[0] += count
            f[1] += seconds
        for name, (count, seconds) in sorted(folded.items(), key=lambda kv: -kv[1][1])[:args.by_test]:
            b.add_row(name, str(count), f"{seconds:.0f}")
        console.print(b)
    if code:
        console.print(f"[red]pytest exited with {code}: the figures are of a failing run[/red]")
    return code


if __name__ == "__main__":
    sys.exit(main())
