"""The student loop: edit, save, read the verdict.

For ex01 and ex02 this times, on the reference solution (a comment added
before every save so the text changes):

* cold: ``grade exNN --file F`` from start to exit (import Keras, start the
  child server, grade, print);
* watch: a running ``grade exNN --file F --watch``, from the moment the file
  is written to the moment the verdict is printed (the "watching ..." line
  that ends each run);
* notebook: in a Jupyter kernel (jupyter_client, the .venv's ipykernel), the
  setup cell (``from grader.notebook import check`` starts the child server
  and imports Keras), then ``check("exNN")``: the first call, right after the
  setup cell, and the calls after it (the kernel keeps the Keras-preloaded
  child server).

Medians of ``--runs`` runs (at least 5).  Goal: watch <= 1 s and >= 5x faster
than cold.  The load average is printed: on a shared machine every figure
moves with it.
"""
from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXERCISES = {"ex01": "ex01_conv_arithmetic", "ex02": "ex02_padding_stride"}
MARKER = "save it to grade again, Ctrl-C to stop"
GOAL_SECONDS, GOAL_SPEEDUP = 1.0, 5.0


def env() -> dict[str, str]:
    e = {**os.environ, "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "3", "COLUMNS": "100"}
    e.pop("GRADE_SEED", None)
    return e


def reference(module: str) -> str:
    return (ROOT / "solutions" / f"{module}.py").read_text()


def cold(ex: str, path: Path) -> float:
    t0 = time.perf_counter()
    p = subprocess.run([str(BIN / "grade"), ex, "--file", str(path), "--lang", "en"], cwd=ROOT, env=env(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    took = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"grade {ex} exited with {p.returncode}:\n{p.stdout}")
    return took


class Watch:
    def __init__(self, ex: str, path: Path):
        self.proc = subprocess.Popen([str(BIN / "grade"), ex, "--file", str(path), "--watch", "--lang", "en"],
                                     cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line))
        self.lines.put((time.perf_counter(), None))

    def verdict(self, timeout: float) -> tuple[float, str]:
        """Wait for the end of the next run; the time its last line arrived, and its text."""
        text = []
        deadline = time.monotonic() + timeout
        while True:
            at, line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                sys.exit("grade --watch ended:\n" + "".join(text))
            text.append(line)
            if MARKER in line:
                return at, "".join(text)

    def stop(self) -> None:
        self.proc.send_signal(2)  # SIGINT, what Ctrl-C sends
        self.proc.wait(20)


def loop(ex: str, runs: int, folder: Path) -> tuple[list[float], list[float]]:
    module = EXERCISES[ex]
    path = folder / f"{module}.py"
    text = reference(module)
    path.write_text(text)
    cold_s = [cold(ex, path)]  # first cold run warms the page cache; kept out of the median below
    w = Watch(ex, path)
    try:
        w.verdict(600)
        watch_s = []
        for i in range(runs):
            time.sleep(0.3)
            t0 = time.perf_counter()
            path.write_text(text + f"\n# edit {i}\n")  # the student saves
            at, out = w.verdict(300)
            if "All checks passed." not in out:
                sys.exit(f"unexpected verdict for {ex}:\n{out}")
            watch_s.append(at - t0)
    finally:
        w.stop()
    for _ in range(runs):
        cold_s.append(cold(ex, path))
    return cold_s[1:], watch_s


NOTEBOOK_SETUP = """
import os, time
os.chdir({root!r})
from grader.notebook import check
"""
TIMED_CHECK = """
_t0 = time.perf_counter()
check({ex!r})
print("CHECK_SECONDS", time.perf_counter() - _t0)
"""


def notebook(ex: str, runs: int) -> tuple[float, list[float]]:
    """Seconds in one kernel: of the setup cell (``from grader.notebook import check``, which starts the
    child server and imports Keras), then of check(ex): the first call, then ``runs`` more."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT), env=env(), stderr=subprocess.DEVNULL)
    try:
        def run(code: str) -> str:
            out = []

            def hook(msg):
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    out.append("\n".join(msg["content"]["traceback"]))
            reply = kc.execute_interactive(code, timeout=900, output_hook=hook)
            if reply["content"]["status"] != "ok":
                sys.exit("kernel error:\n" + "".join(out))
            return "".join(out)
        t0 = time.perf_counter()
        run(NOTEBOOK_SETUP.format(root=str(ROOT)))
        setup = time.perf_counter() - t0
        run(reference(EXERCISES[ex]))  # the student's cell: the functions as the notebook defines them
        seconds = []
        for _ in range(runs + 1):
            out = run(TIMED_CHECK.format(ex=ex))
            seconds.append(float(out.rsplit("CHECK_SECONDS", 1)[1].split()[0]))
        return setup, seconds
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--exercises", nargs="+", default=list(EXERCISES), choices=list(EXERCISES))
    ap.add_argument("--no-notebook", action="store_true", help="skip the Jupyter kernel measurement")
    args = ap.parse_args()
    runs = max(args.runs, 5)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    ok = True
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        for ex in args.exercises:
            c, w = loop(ex, runs, Path(tmp))
            rows.append((ex, c, w))
    print(f"\nthe student loop: seconds from the save to the verdict printed, medians of {runs} runs"
          + (f" (load average {load[0]:.1f} on {os.cpu_count()} cores)" if load else ""))
    print(f"{'exercise':10} {'cold grade':>11} {'--watch':>9} {'min..max watch':>16} {'speed-up':>9}   "
          f"goal <= {GOAL_SECONDS:g} s and >= {GOAL_SPEEDUP:g}x")
    for ex, c, w in rows:
        mc, mw = statistics.median(c), statistics.median(w)
        good = mw <= GOAL_SECONDS and mc / mw >= GOAL_SPEEDUP
        ok &= good
        print(f"{ex:10} {mc:10.2f}s {mw:8.2f}s {min(w):7.2f}..{max(w):.2f}s {mc / mw:8.1f}x   "
              f"{'OK' if good else 'MISSED'}")
    if not args.no_notebook:
        print(f"\ncheck() in a Jupyter kernel: the setup cell, the first call right after it, then the next ones "
              f"(median of {runs}); speed-up: setup and first call together, against a next call")
        print(f"{'exercise':10} {'setup cell':>11} {'1st check()':>12} {'next check()':>13} {'min..max next':>15} "
              f"{'speed-up':>9}")
        for ex in args.exercises:
            setup, s = notebook(ex, runs)
            first, rest = s[0], statistics.median(s[1:])
            good = rest <= GOAL_SECONDS and (setup + first) / rest >= GOAL_SPEEDUP
            ok &= good
            print(f"{ex:10} {setup:10.2f}s {first:11.2f}s {rest:12.2f}s {min(s[1:]):7.2f}..{max(s[1:]):.2f}s "
                  f"{(setup + first) / rest:8.1f}x   {'OK' if good else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
