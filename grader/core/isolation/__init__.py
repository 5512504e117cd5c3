"""How a child process is isolated: one backend per kind of platform.

The session (``grader.core.session``) asks a backend for a child that has loaded a
submission, talks to it over a channel (``grader.core.wire``), watches its memory
and kills its process tree; the backend decides how that child is made and
what walls it stands behind:

* ``linux`` (``grader.core.isolation.linux``): children forked from a
  multiprocessing fork server that preloaded Keras, inside bubblewrap
  namespaces where available, in a pids cgroup, as user nobody, with rlimits.
* ``portable`` (``grader.core.isolation.portable``): for macOS and Windows (and
  forced on Linux with ``--sandbox portable``): a spawned child that preloads
  Keras before it is handed a submission (that start-up is not the student's
  time), time limits by deadline, memory by watching the process tree's
  resident size (psutil), the whole tree killed at the end.

The backend is chosen by platform, or by ``GRADER_SANDBOX`` (``choose()``
sets it, so worker processes inherit the choice).  Nothing Unix-only is
imported here or on the portable path at module load.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
from typing import Any

ENV = "GRADER_SANDBOX"
NAMES = ("linux", "portable")
SECRET_ENV = ("GRADE_SEED",)
PRELOAD = ["numpy", "grader.core.child", "grader.core.wire", "keras"]
WITHOUT_KERAS = [m for m in PRELOAD if m != "keras"]  # a child for numpy-only work: no second copy of TensorFlow
STARTUP_TIMEOUT = 300.0  # seconds for a server/child to import Keras (not the student's time)

_backends: "dict[str, Backend]" = {}
_hidden_paths: list[str] = []


def default_name() -> str:
    """``linux`` where fork and the Linux walls exist, ``portable`` elsewhere."""
    return "linux" if sys.platform.startswith("linux") and hasattr(os, "fork") else "portable"


def choose(name: str | None) -> None:
    """Use backend ``name`` (None: the platform's default) in this process and its workers."""
    if name is not None and name not in NAMES:
        raise ValueError(f"unknown sandbox backend {name!r} (choose from {', '.join(NAMES)})")
    if name is None:
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = name


def current_name() -> str:
    name = os.environ.get(ENV) or default_name()
    return name if name in NAMES else default_name()


def backend() -> "Backend":
    """The backend in use in this process (each is made once)."""
    name = current_name()
    if name not in _backends:
        _backends[name] = importlib.import_module(f"grader.core.isolation.{name}").BACKEND()
    return _backends[name]


def hide(*paths: str) -> None:
    """Folders children must not see (call before the first child starts)."""
    _hidden_paths.extend(os.path.abspath(p) for p in paths if p)


def hidden_paths() -> list[str]:
    return list(_hidden_paths)


class Backend:
    """What the session needs from an isolation backend."""

    name = "?"
    scratch_root: str
    drop_uid = False
    rss_baseline = False  # budget on top of a fresh child's own resident size (a spawned child holds Keras)
    forks_cheaply = False  # a second child for the same submission costs a fork, not a Keras import
    # With ``keep_both_kinds``: every child from the server that preloads Keras, as in a process whose one
    # server has Keras (``check()``, a notebook file), rather than each from the server of its own kind
    all_from_keras = False

    def __init__(self):
        self.lacks: list[str] = []  # protections this platform lacks (msgids, N_), said in every report

    @property
    def notes(self) -> list[str]:
        """What ``lacks`` says, in the language of the report being written (a process that grades in more
        than one language, the warm grader's server, says it in each)."""
        from grader.core.i18n import _
        return [_(m) for m in self.lacks]

    def describe(self) -> str:
        raise NotImplementedError

    def warm_up(self, keras: bool = True) -> None:
        """Start what children are made from, so its imports overlap the judge's.  ``keras=False``: the
        children to come need no Keras (a numpy-only exercise, ``Exercise.child_keras``), so what they
        are made from may go without it."""

    def make_scratch(self) -> str:
        """A fresh scratch folder for one submission, writable by its children."""
        import tempfile
        return tempfile.mkdtemp(prefix="grade-", dir=self.scratch_root)

    def start(self, job: dict) -> "Child":
        """A child that will load ``job["source_text"]`` and serve requests."""
        raise NotImplementedError

    def keep_both_kinds(self) -> None:
        """Make children that need Keras and children that do not each as a one-shot ``grade`` would, for a
        process that grades both kinds for a long time (a no-op where each child is made afresh anyway)."""

    def keep_warm(self, keras: bool = True) -> None:
        """Keep a spare child ready (batch workers, watch loops); a no-op where forking is cheap (``keras``:
        whether the children to come need Keras)."""

    def idle(self) -> None:
        """Called when a submission is done (a moment when starting work costs no one's time limit)."""

    def shutdown(self) -> None:
        """Stop every server and spare this backend started."""


class Child:
    """A running child as the session sees it."""

    pid: int  # as this process sees it (-1: lost track of it)
    channel: Any  # wire.FdChannel or wire.ConnChannel
    output: "OutputSink | None"

    def rss(self) -> int:
        raise NotImplementedError

    def queued(self) -> float:
        """Seconds its main thread has so far spent ready to run but waiting for a CPU (0.0 where the
        platform does not say).  A busy machine's time is not the student's: the session adds what
        grows during a request to that request's deadline (``session.MAX_QUEUED_CREDIT``)."""
        return run_queue_wait(self.pid)

    def ran(self) -> float:
        """Seconds its main thread has so far run on a CPU (0.0 where the platform does not say)."""
        return schedstat(self.pid)[0]

    def kill(self) -> None:
        raise NotImplementedError

    def wait(self, timeout: float) -> int | None:
        """The exit code once it ended (negative: killed by that signal), None while it runs."""
        raise NotImplementedError


def schedstat(pid: int) -> tuple[float, float]:
    """Linux's count of the seconds a thread has run on a CPU and has waited, runnable, for one
    (``/proc/PID/schedstat``, first two fields, in nanoseconds); zeros on other platforms or once the
    process is gone."""
    if pid <= 1:
        return 0.0, 0.0
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as f:
            fields = f.read().split()
        return int(fields[0]) / 1e9, int(fields[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0


def run_queue_wait(pid: int) -> float:
    """The seconds a thread was runnable but not running (``schedstat``)."""
    return schedstat(pid)[1]


def stolen() -> float:
    """Seconds per CPU that a hypervisor gave this machine's CPUs to other machines since boot (the
    ``steal`` column of ``/proc/stat``; a virtual machine on a busy host); 0.0 where not reported."""
    try:
        with open("/proc/stat", "rb") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK") / (os.cpu_count() or 1)
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


class OutputSink:
    """What a child prints, captured by the judge: the first and the last
    ``keep`` bytes are kept, the rest is counted and dropped, and the child's
    writes always succeed (a thread drains the pipe as fast as it fills)."""

    def __init__(self, fd: int, keep: int = 64 * 1024):
        self.fd, self.keep = fd, keep
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0
        self._thread = threading.Thread(target=self._drain, name="grader-output", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            self.total += len(chunk)
            room = self.keep - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            if chunk:
                self.tail += chunk
                if len(self.tail) > 2 * self.keep:
                    del self.tail[:len(self.tail) - self.keep]
        try:
            os.close(self.fd)
        except OSError:
            pass

    def close(self, timeout: float = 2.0) -> None:
        self._thread.join(timeout)

    @property
    def dropped(self) -> int:
        return max(0, self.total - len(self.head) - min(len(self.tail), self.keep))

    def text(self) -> str:
        tail = bytes(self.tail[-self.keep:])
        sep = b"\n...\n" if self.dropped else b""
        return (bytes(self.head) + sep + tail).decode("utf-8", errors="replace")


def exit_with_parent(interval: float = 0.5) -> None:
    """End this process (and what its backends started) soon after its parent dies,
    however the parent dies (kill -9, a closed terminal, the OOM killer): a daemon
    thread watches the parent's pid and its start time (pids are reused)."""
    import psutil
    try:
        parent = psutil.Process(os.getppid())
        born = parent.create_time()
    except psutil.Error:
        return

    def watch() -> None:
        import time
        while True:
            time.sleep(interval)
            try:
                alive = parent.is_running() and parent.create_time() == born and parent.status() != "zombie"
            except psutil.Error:
                alive = False
            if not alive:
                for b in list(_backends.values()):
                    try:
                        b.shutdown()
                    except Exception:  # noqa: BLE001 -- exiting anyway
                        pass
                os._exit(1)
    threading.Thread(target=watch, name="grader-parent-watch", daemon=True).start()


def _no_judge_ceiling():
    """A process started now must not inherit the judge's own memory ceiling (grader.core.guard)."""
    from grader.core.guard import lifted
    return lifted()


@contextlib.contextmanager
def secrets_hidden():
    """A server or child starts without the instructor's secrets in its environment."""
    saved = {k: os.environ.pop(k) for k in SECRET_ENV if k in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


@contextlib.contextmanager
def main_hidden():
    """multiprocessing makes a spawned server or child re-import the __main__
    script (a test runner, a user's script); children need only the preloaded
    modules, so hide the script while starting them."""
    main = sys.modules.get("__main__")
    main_file = main.__dict__.pop("__file__", None) if main is not None else None
    try:
        yield
    finally:
        if main_file is not None:
            main.__file__ = main_file


@contextlib.contextmanager
def quiet_stderr():
    """Send file descriptor 2 (TensorFlow's C++ logging) to the null device for a while."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 (a GUI interpreter on Windows)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
