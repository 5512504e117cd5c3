"""What else the machine was doing while a test ran: for the message of a test whose verdicts depend on
time (a memory bomb that must reach its budget within a time limit), so that a failure on a loaded CI
machine says how loaded it was.  Linux's /proc only; elsewhere it says nothing was measured."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from grader.core import isolation


def _read() -> dict[str, float]:
    out: dict[str, float] = {}
    if Path("/proc/stat").exists():
        out["steal"] = isolation.stolen()
    for kind in ("cpu", "memory", "io"):
        try:  # "some ... total=MICROSECONDS": time at least one task waited for this resource
            line = Path(f"/proc/pressure/{kind}").read_text().split("\n", 1)[0]
            out[kind] = int(line.rsplit("total=", 1)[1]) / 1e6
        except (OSError, ValueError, IndexError):
            pass
    try:
        out["processes"] = sum(1 for p in os.listdir("/proc") if p.isdigit())
        out["load"] = os.getloadavg()[0]
    except (OSError, AttributeError):  # (Windows has no getloadavg)
        pass
    return out


class MachineLoad:
    """``with MachineLoad() as load: ...``, then ``str(load)``."""

    def __init__(self, every: float = 0.5):
        self.every, self.first, self.last, self.most = every, {}, {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="machine-load", daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(self.every):
            now = _read()
            for k in ("processes", "load"):
                if k in now:
                    self.most[k] = max(self.most.get(k, 0), now[k])

    def __enter__(self) -> "MachineLoad":
        self.t0, self.first = time.monotonic(), _read()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.seconds, self.last = time.monotonic() - self.t0, _read()

    def __str__(self) -> str:
        if not self.first:
            return "machine load: not measured on this platform"
        grown = {k: self.last[k] - self.first[k] for k in ("steal", "cpu", "memory", "io")
                 if k in self.first and k in self.last}
        parts = [f"{k} pressure {v:.1f} s" if k != "steal" else f"stolen by the hypervisor {v:.1f} s per CPU"
                 for k, v in grown.items()]
        parts += [f"most {k} {v:g}" for k, v in self.most.items()]
        return f"machine load over {self.seconds:.0f} s: " + ", ".join(parts)
