"""The portable backend: macOS, Windows, and Linux with ``--sandbox portable``.

No fork server, no rlimits, no namespaces -- only what every platform has:

* each child is a *spawned* interpreter that imports numpy and Keras before
  it is handed a submission, so that start-up is not the student's time; a
  spare child is kept ready where a process grades many submissions;
* time limits are deadlines kept by the judge (``grader.core.session``), which
  then kills the child's whole process tree (psutil);
* memory is the resident size of the child's process tree, watched by the
  judge every few tens of milliseconds (psutil), reported as OUT_OF_MEMORY;
* a child whose judge dies exits too: it holds the read end of a "lifeline"
  pipe whose write end only the judge has.

What this platform does not enforce is said in every report (``notes``).
Nothing here imports a Unix-only module.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import threading

from grader.core import tempdirs, wire
from grader.core.devices import cpu_only_environment
from grader.core.i18n import N_
from grader.core.isolation import PRELOAD, WITHOUT_KERAS, Backend, Child, OutputSink, _no_judge_ceiling, main_hidden, secrets_hidden

LACKS = N_("portable sandbox: time and memory are watched and the whole process tree is killed, but this platform "
           "does not isolate files or network and does not cap the number of processes (your code can read the "
           "files your user can read)")


class PortableBackend(Backend):
    name = "portable"
    rss_baseline = True

    def __init__(self):
        super().__init__()
        self.scratch_root = tempdirs.folder("grade-sandbox-")
        self.lacks.append(LACKS)
        self._ctx = mp.get_context("spawn")
        self._spare: "_Spawned | None" = None
        self._keep_warm = False
        self._live: list[PortableChild] = []
        self._lock = threading.Lock()

    def describe(self) -> str:
        return "portable (spawned child, psutil watch)"

    def keep_warm(self, keras: bool = True) -> None:
        """Keep a spare child with Keras ready for the next submission (``keras=False``: numpy-only work,
        whose children start in a fraction of a second: no spare)."""
        self._keep_warm = keras
        if keras:
            self.warm_up()

    def warm_up(self, keras: bool = True) -> None:
        if not keras:  # a numpy-only child starts in a fraction of a second when it is needed: no spare
            return
        with self._lock:
            if self._spare is None or not self._spare.proc.is_alive():
                self._spare = self._spawn()

    def _spawn(self, preload: "list[str] | None" = None) -> "_Spawned":
        from grader.core import startup
        startup.environment()  # what TensorFlow reads when it starts in the child: no start-up log
        parent, child = self._ctx.Pipe()
        out_r, out_w = self._ctx.Pipe(duplex=False) if os.name == "posix" else (None, None)
        life_r, life_w = self._ctx.Pipe(duplex=False)
        preload = PRELOAD if preload is None else preload
        proc = self._ctx.Process(target=_portable_entry, args=(child, out_w, life_r, preload), daemon=True)
        with main_hidden(), secrets_hidden(), cpu_only_environment(), _no_judge_ceiling():  # CPU only, no judge rlimit
            proc.start()
        for c in (child, out_w, life_r):
            if c is not None:
                c.close()
        return _Spawned(proc, parent, out_r, life_w)

    def start(self, job: dict) -> "PortableChild":
        if not job.get("keras", True):  # a numpy-only job: a child without Keras starts in a fraction of a second
            spawned = self._spawn(WITHOUT_KERAS)
        else:
            with self._lock:
                spawned = self._spare if self._spare is not None and self._spare.proc.is_alive() else self._spawn()
                self._spare = None
        chan = wire.ConnChannel(spawned.conn, threaded=True)
        out = None
        if spawned.out is not None:
            out = OutputSink(os.dup(spawned.out.fileno()))
            spawned.out.close()
        chan.send({"op": "job", **job})
        child = PortableChild(spawned, chan, out)
        self._live = [c for c in self._live if c.spawned.proc.is_alive()] + [child]
        return child

    def idle(self) -> None:
        """A submission is done: make the next spare now, so that its Keras import never
        competes with a submission's checks for the CPU."""
        if self._keep_warm:
            self.warm_up()

    def shutdown(self) -> None:
        with self._lock:
            spare, self._spare = self._spare, None
        for c in self._live + ([PortableChild(spare, None, None)] if spare else []):
            c.kill()
        self._live = []


class _Spawned:
    def __init__(self, proc, conn, out, lifeline):
        self.proc, self.conn, self.out, self.lifeline = proc, conn, out, lifeline


class PortableChild(Child):
    def __init__(self, spawned: _Spawned, channel, output):
        self.spawned, self.channel, self.output = spawned, channel, output
        self.pid = spawned.proc.pid

    def _tree(self):
        import psutil
        try:
            root = psutil.Process(self.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def rss(self) -> int:
        import psutil
        total = 0
        for p in self._tree():
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue
        return total

    def kill(self) -> None:
        import psutil
        for _i in range(5):  # again: a process may have started another while we killed
            tree = self._tree()
            if not tree:
                break
            for p in tree:
                try:
                    p.kill()
                except psutil.Error:
                    continue
            psutil.wait_procs(tree, timeout=2)
        self.spawned.proc.join(5)
        self.spawned.lifeline.close()

    def wait(self, timeout: float) -> int | None:
        self.spawned.proc.join(timeout)
        return self.spawned.proc.exitcode


def _watch_lifeline(lifeline) -> None:
    """Exit as soon as the judge is gone (its end of the lifeline closes)."""
    try:
        lifeline.recv_bytes()
    except (EOFError, OSError):
        pass
    os._exit(0)


def _portable_entry(conn, out, lifeline, preload) -> None:
    """In the spawned child: preload, wait for a job, then serve it."""
    from grader.core.heap import import_frozen
    threading.Thread(target=_watch_lifeline, args=(lifeline,), daemon=True).start()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # TensorFlow's start-up log is nobody's output
    except OSError:
        pass
    import_frozen(*preload)
    from grader.core.child import run_job
    chan = wire.ConnChannel(conn)
    try:
        job, _value = chan.recv()
    except (wire.WireError, OSError):
        os._exit(0)
    if hasattr(os, "setsid"):
        os.setsid()  # POSIX: its own process group, so killpg(0) cannot reach the grader
    if out is not None:  # POSIX: the judge drains a pipe
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        out.close()
    else:  # Windows: no pipe to the judge's sink; output goes nowhere, writes still succeed
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    try:
        run_job(chan, job, posix_limits=False)
    finally:
        sys.stdout.flush()
        os._exit(0)


BACKEND = PortableBackend
