"""``grade exNN --watch``: grade again every time the file is saved.

The grader stays in memory with its Keras-preloaded child server, so a
re-grade costs a fork and the checks, not an import of TensorFlow.  Every run
is an ordinary ``engine.grade_file`` (a fresh child per submission, the same
time and memory limits, the same isolation); a submission that kills its
child or the server costs that run only: the sandbox starts a fresh server,
and it is started again here, ahead of the next save.

Ctrl-C exits at once and leaves no process behind: a watchdog thread learns of
the signal through ``signal.set_wakeup_fd`` (written by the C-level handler,
so it arrives even while the main thread is inside a long TensorFlow call),
gives the main thread a moment to clean up the normal way, then kills every
descendant (psutil, on every platform) and exits.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Callable

from grader.core.i18n import _
from grader.core.outcome import Report

EXIT_INTERRUPTED = 130
GRACE_SECONDS = 1.0  # after Ctrl-C, time for the main thread to stop the child the normal way


def kill_descendants(timeout: float = 3.0) -> None:
    """Kill every process this one started (the child server, its children, bubblewrap) and wait until
    they are gone (a zombie counts as gone: its parent, killed too, can no longer reap it)."""
    import psutil
    me = psutil.Process()
    for _round in range(3):  # again: a process may have forked while the first list was taken
        try:
            procs = me.children(recursive=True)
        except psutil.Error:
            return
        if not procs:
            return
        for p in procs:
            with contextlib.suppress(psutil.Error):
                p.kill()
        deadline = time.monotonic() + timeout
        while procs and time.monotonic() < deadline:
            psutil.wait_procs([p for p in procs if _is_child(p, me)], timeout=0.05)  # reaps our own children
            procs = [p for p in procs if _alive(p)]


def _is_child(p, me) -> bool:
    try:
        return p.ppid() == me.pid
    except Exception:  # noqa: BLE001 -- gone
        return False


def _alive(p) -> bool:
    import psutil
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@contextlib.contextmanager
def exit_promptly(grace: float = GRACE_SECONDS):
    """Ctrl-C (or SIGTERM) ends the process within ``grace`` seconds, leaving no descendant,
    even when the main thread is busy inside native code and cannot raise KeyboardInterrupt."""
    receive, send = socket.socketpair()
    send.setblocking(False)
    done = threading.Event()
    stopping = (int(signal.SIGINT), int(signal.SIGTERM))

    def on_term(signum, frame):
        raise KeyboardInterrupt

    old_term = signal.signal(signal.SIGTERM, on_term)
    # Ctrl-C stops the watch even where the shell started it with SIGINT ignored (a background job)
    old_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    old_fd = signal.set_wakeup_fd(send.fileno(), warn_on_full_buffer=False)

    def watchdog() -> None:
        while True:
            try:
                data = receive.recv(64)
            except OSError:
                return
            if not data or done.is_set():
                return
            if any(b in stopping for b in data):
                break
        if done.wait(grace):
            return
        kill_descendants(timeout=1.0)
        from grader.core import tempdirs
        tempdirs.remove(ending=True)  # (no flush: the stuck main thread may hold the output's lock)
        os._exit(EXIT_INTERRUPTED)

    thread = threading.Thread(target=watchdog, name="grade-watch-interrupt", daemon=True)
    thread.start()
    try:
        yield
    finally:
        kill_descendants()
        done.set()
        signal.set_wakeup_fd(old_fd)
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)
        with contextlib.suppress(OSError):
            send.send(b"\0")  # wake the watchdog so it returns
        send.close()
        receive.close()


EMPTY = hashlib.sha256(b"").hexdigest()
MAX_STALE_RUNS = 3  # a file that changes during every grade is shown as graded after this many tries


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def watch(path: Path, grade: Callable[[], Report], show: Callable[[Report | None, Report, float], None],
          *, say: Callable[[str], None], rearm: Callable[[], None] | None = None,
          stop: threading.Event | None = None) -> int:
    """Grade ``path`` now and after every save until Ctrl-C (or ``stop``).

    ``grade()`` returns a report; ``show(previous, report, seconds)`` prints it;
    ``rearm()`` runs after each grade (the CLI restarts the child server there
    if the submission killed it).  A save that leaves the content unchanged is
    not graded again.  An empty file is not graded (an editor truncates the file
    before it writes the text: the grader may wake in between), and a report is
    shown only when the file still holds the text it graded (else it is graded
    again): a save caught half-way never reaches the student as a verdict.
    """
    import watchfiles

    path = path.resolve()
    folder = path.parent

    def is_ours(_change, changed: str) -> bool:
        return Path(changed).name == path.name and Path(changed).parent.resolve() == folder

    previous: Report | None = None
    graded: str | None = None

    def once() -> None:
        nonlocal previous, graded
        for attempt in range(MAX_STALE_RUNS + 1):
            graded = _digest(path)
            if graded == EMPTY:  # an editor's save truncates first, then writes: wait for the text
                say(_("{file} is empty: it is graded when it is saved with code").format(file=path.name))
                return
            t0 = time.monotonic()
            try:
                report = grade()
            except (OSError, UnicodeDecodeError) as e:  # the file vanished or was half written: wait for the next save
                say(_("could not read {file} ({error})").format(file=path.name, error=e))
                break
            if _digest(path) != graded and attempt < MAX_STALE_RUNS:
                # saved again while it was graded, or graded half-way through a save: that report is of a
                # text the file no longer holds, so grade what it holds now
                say(_("{file} changed while it was graded: grading it again").format(file=path.name))
                continue
            show(previous, report, time.monotonic() - t0)
            previous = report
            break
        if rearm is not None:
            rearm()  # a submission that killed the child server: start a fresh one now, not at the next save
        say(_("watching {file}: save it to grade again, Ctrl-C to stop").format(file=path.name))

    with exit_promptly():
        once()
        # The watcher starts on the first next(): a save made before that has no event, so every
        # wake-up (a change, or rust_timeout without one) compares the file with what was graded.
        for _changes in watchfiles.watch(folder, watch_filter=is_ours, debounce=1600, step=30,
                                         stop_event=stop, raise_interrupt=True, rust_timeout=500, recursive=False,
                                         yield_on_timeout=True):
            digest = _digest(path)
            if digest is None or digest == graded:  # moved away mid-save, saved unchanged, or no change
                continue
            once()
    return 0
