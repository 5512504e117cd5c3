"""The warm grader: ``grade exNN`` answered by a background server that keeps Keras, its child servers and
the judge's memos between grades (the link -- where it listens, who may talk to it -- is
``grader/front/serverlink.py``; ``grade daemon status|stop`` is ``grader/front/daemon.py``).

The client (``grade exNN``, ``grade exNN --file F``, ``check()`` outside a notebook kernel) imports no Keras: it
sends the request, shows the progress as each check ends, and prints the report with the same code as a
grade in its own process (``grader/front/render.py``), so the output and the exit status are those of a cold
run.  The first ``grade`` starts the server and grades through it.  Whatever goes wrong with the server --
none can be started, it dies or falls silent during a grade, it finds its own state changed -- the grade is
answered in the client's own process, as with ``--no-daemon``, and the server is replaced.

The server (``serve_main``; ``grader/core/startup.py``'s SERVER role) runs every grade as ``grade`` would:
the same ``Submission.load(...).grade(...)`` of the engine, the same limits, the same isolation backend,
children made by the same kind of child server (``Backend.keep_both_kinds``).  Grades run one at a time in
its main thread (Keras's state belongs to a process); two terminals are answered in turn.  It ends

* after ``IDLE_SECONDS`` (10 minutes) without a request;
* when every terminal session that used it has ended (the client's session leader; on Windows its parent
  process), and with the boot (its rendezvous names the boot it was written in);
* when ``grade daemon stop`` asks, or its files disappear (a logout that empties ``$XDG_RUNTIME_DIR``).

It replaces itself by a fresh server when the course's files, the grader's code or the Python environment
change (``fingerprint``), when its resident memory passes ``MAX_RSS_MB`` after a grade, and when a grade
leaves its state other than it was (``State``; that grade is answered cold).
"""
from __future__ import annotations

import collections
import dataclasses
import hashlib
import json
import os
import queue
import select
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from grader.core.errors import UsageError
from grader.front import serverlink
from grader.front.serverlink import Identity, Link, Lock, Unreachable

ENV = "GRADE_DAEMON"  # 0 (or false, no, off): grade in this process, as --no-daemon
IDLE_SECONDS = float(os.environ.get("GRADE_DAEMON_IDLE", 600))  # a server exits after this long without a request
# A server whose own resident memory passes this after a grade is replaced by a fresh one (the bound is stated
# and measured in tests/test_daemon.py and the README: a server settles well below it).
MAX_RSS_MB = float(os.environ.get("GRADE_DAEMON_MAX_MB", 2500))
# A file graded again as it was, with the same options, is answered from the report of its last grade (up to this
# many kept): see Server._report_key for what "as it was" covers.
REPORTS = 64
# The statuses a grade of the same text would give again: a TIMEOUT or OUT_OF_MEMORY may be the machine's load
# (a report with one is not kept, so the next grade runs the code again).
REPEATABLE = {"PASS", "FAIL", "ERROR", "NOT_ATTEMPTED"}
START_SECONDS = 120.0  # for a new server to listen (it listens before it imports Keras)
HEARTBEAT_SECONDS = 2.0  # a server says it is alive this often while a request waits or runs
SILENCE_SECONDS = 60.0  # a client gives up on a server silent for this long (and ends it)
WATCH_SECONDS = 2.0  # how often an idle server looks at its sessions, its files and the course's
PATH_ENV = "GRADE_DAEMON_PATH"  # the client's sys.path, handed to the server it starts
BOOTSTRAP = ("import json, os, sys; sys.path[:] = json.loads(os.environ.pop('GRADE_DAEMON_PATH')); "
             "from grader.front.warm import serve_main; serve_main(sys.argv[1:])")


class Unavailable(Exception):
    """No answer from a server: the caller grades in its own process."""


class Refused(Exception):
    """The grade is a usage error (what a grade in the client's own process would say, exit status 2)."""


def enabled(no_daemon: bool = False) -> bool:
    """Whether ``grade`` goes through the server (``--no-daemon`` or ``GRADE_DAEMON=0``: no)."""
    return not no_daemon and os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


# ------------------------------------------------------------------ reports on the wire
def check_to_wire(c) -> dict:
    return {**c.to_dict(), "seconds": c.seconds}


def check_from_wire(d: dict):
    from grader.core.outcome import CheckResult
    c = CheckResult.from_dict(d)
    c.seconds = float(d.get("seconds", 0.0))
    return c


def report_to_wire(report) -> dict:
    return {"exercise": report.exercise, "title": report.title, "checks": [check_to_wire(c) for c in report.checks],
            "hidden_not_run": report.hidden_not_run, "versions": report.versions, "notes": report.notes}


def report_from_wire(d: dict):
    from grader.core.outcome import Report
    return Report(d["exercise"], d["title"], [check_from_wire(c) for c in d["checks"]],
                  hidden_not_run=d["hidden_not_run"], versions=dict(d["versions"]), notes=list(d["notes"]))


@dataclasses.dataclass
class CheckInfo:
    """A check as a client without Keras sees it (``describe``)."""
    name: str
    hidden: bool
    uses: tuple[str, ...]
    points: float


@dataclasses.dataclass
class ExerciseInfo:
    """An exercise as a client without Keras sees it: what ``grader.core.lookup``'s ``checks_using`` and
    ``functions_of_checks`` read of an ``Exercise``."""
    id: str
    module: str
    title: str
    checks: list[CheckInfo]

    def checks_using(self, function: str) -> list[CheckInfo]:
        return [c for c in self.checks if function in c.uses]


# ------------------------------------------------------------------ the client
def anchor_pid() -> int:
    """The process whose end ends the session this client runs in: its session leader (the terminal's
    shell), or, where there is none to see (Windows, a leader outside this PID namespace), its parent."""
    if os.name != "nt":
        try:
            sid = os.getsid(0)
        except OSError:
            sid = 0
        if sid > 1:
            return sid
    return os.getppid()


_spawned: list[subprocess.Popen] = []  # servers this process started (reaped once they end)


def spawn(ident: Identity, keras: bool = True) -> subprocess.Popen:
    """Start a server for ``ident`` in the background, in a session of its own, its output in its log file.
    It inherits this environment (without the instructor's seed) and this ``sys.path``."""
    for p in list(_spawned):
        if p.poll() is not None:
            _spawned.remove(p)
    env = {k: v for k, v in os.environ.items() if k != "GRADE_SEED"}
    env[PATH_ENV] = json.dumps(sys.path)
    args = [sys.executable, "-c", BOOTSTRAP, "--key", ident.key, "--sandbox", ident.sandbox,
            "--keras", "1" if keras else "0", "--anchor", str(anchor_pid())]
    kwargs: dict[str, Any] = {}
    if os.name == "nt":
        kwargs["creationflags"] = (getattr(subprocess, "DETACHED_PROCESS", 0x8)
                                   | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200))
    else:
        kwargs["start_new_session"] = True  # no terminal: Ctrl-C and a closed terminal reach the client only
    with _open_log(ident, truncate=True) as log:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, close_fds=True,
                                cwd=os.getcwd(), **kwargs)
    _spawned.append(proc)
    return proc


MAX_LOG_BYTES = 2**20  # a new server starts its log afresh past this size


def _open_log(ident: Identity, truncate: bool):
    """The server's log file, readable by this user only (it names the files graded), written at its end (a
    server that loses the race for the lock must not cut the winner's log short); afresh when it grew past
    ``MAX_LOG_BYTES`` (``truncate``: a new server, not a successor)."""
    try:
        big = truncate and os.path.getsize(ident.log) > MAX_LOG_BYTES
    except OSError:
        big = False
    fd = os.open(ident.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if big else 0), 0o600)
    return os.fdopen(fd, "wb")


def reach(ident: Identity, keras: bool = True, successor: bool = False) -> Link:
    """A proven link to the server of ``ident``, started first when none runs (``Unavailable`` when none
    answers within ``START_SECONDS``).  ``successor``: the server just replaced itself, and its successor
    takes the lock in a moment: none is started unless it does not."""
    try:
        return serverlink.connect(ident)
    except Unreachable:
        pass
    if successor:
        deadline = time.monotonic() + 5.0
        while not Lock.held(ident.lock) and time.monotonic() < deadline:
            time.sleep(0.02)
    proc = spawn(ident, keras) if not Lock.held(ident.lock) else None
    deadline = time.monotonic() + START_SECONDS
    pause = 0.01
    while time.monotonic() < deadline:
        try:
            return serverlink.connect(ident)
        except Unreachable:
            pass
        if proc is not None and proc.poll() is not None and not Lock.held(ident.lock):
            raise Unavailable("the server ended before it listened")
        if proc is None and not Lock.held(ident.lock):
            proc = spawn(ident, keras)  # the one that held the lock ended without listening
        time.sleep(pause)
        pause = min(pause * 1.5, 0.1)
    raise Unavailable("no server listened")


def ensure_started(sandbox: str | None = None, keras: bool = True) -> None:
    """A server for this checkout from now on, without waiting for it (nothing when one runs)."""
    try:
        ident = serverlink.identity(sandbox)
        if not Lock.held(ident.lock):
            spawn(ident, keras)
    except (Unreachable, OSError):
        pass


class Run:
    """One request and the server's answer, event by event."""

    def __init__(self, link: Link, ident: Identity):
        self.link, self.ident = link, ident
        self.first: dict = {}

    def next(self) -> dict:
        while True:
            try:
                message = self.link.recv(SILENCE_SECONDS)
            except socket.timeout:
                self.link.close()
                _end_silent(self.ident)
                raise Unavailable("the server fell silent") from None
            except (ConnectionError, OSError, ValueError) as e:
                self.link.close()
                raise Unavailable(f"the server is gone ({e})") from None
            if message.get("event") != "alive":
                return message

    @property
    def title(self) -> str:
        return self.first["title"]

    @property
    def n(self) -> int:
        return self.first["n"]

    def report(self, on_check: Callable | None = None):
        """The report (``on_check(result)`` as each check ends); ``Unavailable`` when the server cannot give it."""
        while True:
            message = self.next()
            event = message.get("event")
            if event == "check":
                if on_check is not None:
                    on_check(check_from_wire(message["check"]))
            elif event == "report":
                self.link.close()
                return report_from_wire(message["report"])
            elif event == "usage":
                self.link.close()
                raise Refused(message.get("message", ""))
            else:  # "cold": the server found its state changed and is being replaced
                self.link.close()
                raise Unavailable(f"the server answered {event}: {message.get('reason', '')}")


def _end_silent(ident: Identity) -> None:
    """A server that said nothing for ``SILENCE_SECONDS`` (stopped, or stuck): end it, so it is replaced."""
    info = serverlink.read_rendezvous(ident)
    pid = info.get("pid") if info else None
    if isinstance(pid, int) and pid > 1:
        try:
            import psutil
            proc = psutil.Process(pid)
            if info.get("created") and abs(proc.create_time() - info["created"]) < 1:
                proc.kill()
        except Exception:  # noqa: BLE001 -- gone already
            pass


def open_run(request: dict, *, sandbox: str | None = None, server_keras: bool = True) -> Run:
    """Send ``request`` to this checkout's server (starting one when none runs) and wait for its first event
    (``start``: the exercise's title and how many checks run; ``describe``); ``Unavailable`` otherwise."""
    try:
        ident = serverlink.identity(sandbox)
    except (Unreachable, OSError) as e:
        raise Unavailable(str(e)) from None
    request = {**request, "key": ident.key, "root": ident.root, "anchor": anchor_pid(), "cwd": os.getcwd()}
    restarted = False
    for _attempt in range(3):
        link = reach(ident, server_keras, successor=restarted)
        before = serverlink.read_rendezvous(ident)  # the server this link reached (its token)
        run = Run(link, ident)
        try:
            link.send(request)
        except OSError as e:
            link.close()
            raise Unavailable(str(e)) from None
        first = run.next()
        if first.get("event") == "restart":  # it saw the course or the environment change: its successor answers
            link.close()
            restarted = True
            _wait_for_successor(ident, before)
            continue
        if first.get("event") not in ("start", "describe"):
            link.close()
            raise Unavailable(f"the server answered {first.get('event')}: {first.get('reason', '')}")
        run.first = first
        return run
    raise Unavailable("the server kept restarting")


def _wait_for_successor(ident: Identity, before: dict | None) -> None:
    """After a ``restart``: until the server that said it has left its rendezvous (its successor's, or none,
    is there), so that the next connection cannot reach the server that is ending (which closes it)."""
    token = before.get("token") if before else None
    deadline = time.monotonic() + START_SECONDS
    while token is not None and time.monotonic() < deadline:
        now = serverlink.read_rendezvous(ident)
        if now is None or now.get("token") != token:
            return
        time.sleep(0.02)


def grade_request(exercise: str, *, path: str | None = None, text: str | None = None, name: str = "",
                  notes: list[str] | None = None, seed: int = 0, hidden: bool = False, timeout: float | None = None,
                  memory_mb: int | None = None, block_solutions: bool = True, only: list[str] | None = None,
                  server_keras: bool = True, progress: bool = True) -> dict:
    """What the server needs to grade as ``grade`` (a ``path``) or ``check()`` (module ``text``) would.
    ``server_keras``: whether a grade in this process would start its child server with Keras."""
    from grader.core.i18n import get_language
    return {"op": "grade", "exercise": exercise, "path": path, "text": text, "name": name, "notes": list(notes or []),
            "seed": seed, "hidden": hidden, "timeout": timeout, "memory_mb": memory_mb,
            "block_solutions": block_solutions, "only": only, "server_keras": server_keras, "lang": get_language(),
            "progress": progress}


def describe(exercise: str, sandbox: str | None = None) -> ExerciseInfo:
    """The exercise's checks as its module declares them (``Unavailable`` without a server)."""
    from grader.core.i18n import get_language
    run = open_run({"op": "describe", "exercise": exercise, "lang": get_language()}, sandbox=sandbox)
    run.link.close()
    d = run.first["exercise"]
    return ExerciseInfo(d["id"], d["module"], d["title"],
                        [CheckInfo(c["name"], c["hidden"], tuple(c["uses"]), c["points"]) for c in d["checks"]])


def ask(ident: Identity, op: str, timeout: float = 10.0) -> dict:
    """``status`` or ``stop`` of a running server (``Unreachable`` when none answers)."""
    link = serverlink.connect(ident)
    try:
        link.send({"op": op})
        return link.recv(timeout)
    except (OSError, ConnectionError, ValueError) as e:
        raise Unreachable(str(e)) from None
    finally:
        link.close()


# ------------------------------------------------------------------ the server
def fingerprint(root: str) -> str:
    """What the server was made from: every file of the grader, the reference solutions and the datasets
    (name, size, time of change), the folders of ``sys.path`` outside the checkout (a package installed,
    upgraded or removed changes its folder) and the interpreter.  A different value: a different server."""
    h = hashlib.sha256()
    rootp = Path(root)
    _hash_files(h, root, ("grader", "solutions", "datasets"))
    checkout = (rootp / "pyproject.toml").exists()
    for entry in [*sys.path, sys.executable]:
        if not entry:
            continue
        real = os.path.realpath(entry)
        if checkout and real == str(rootp):
            continue  # the checkout itself (on sys.path under python -c): its grader files are listed above
        if entry != sys.executable and not _install_folder(real):
            continue  # a script's own folder (/tmp, a home folder) changes all the time: not an environment
        try:
            st = os.stat(real)
        except OSError:
            continue
        h.update(f"{real}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _hash_files(h, root: str, tops: tuple[str, ...]) -> None:
    """Each file under the folders ``tops`` of ``root`` (its name, size and time of change) into ``h``."""
    for top in tops:
        for folder, subs, files in os.walk(os.path.join(root, top)):
            subs[:] = sorted(s for s in subs if s != "__pycache__" and not s.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or name.endswith(("~", ".pyc")):
                    continue
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                h.update(f"{os.path.relpath(os.path.join(folder, name), root)}\0{st.st_size}\0{st.st_mtime_ns}\n"
                         .encode())


def _log(text: str) -> None:
    """A line of the server's log file (its stdout; English, for whoever debugs it, not a user's message)."""
    sys.stdout.write(f"{time.strftime('%H:%M:%S')} [{os.getpid()}] {text}\n")
    sys.stdout.flush()


def _install_folder(path: str) -> bool:
    """Whether a folder of ``sys.path`` is where packages are installed (the interpreter's, a virtualenv's, the
    user's site-packages), whose time of change says that a package was installed, upgraded or removed."""
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    name = os.path.basename(path)
    return name in ("site-packages", "dist-packages") or any(
        path == p or path.startswith(p + os.sep) for p in prefixes)


class ClientGone(Exception):
    """The client of the running grade closed its end (Ctrl-C): the grade stops at its next check."""


class Job:
    def __init__(self, link: Link, request: dict):
        self.link, self.request = link, request
        self.events: "queue.Queue[dict]" = queue.Queue()
        self.relayed = threading.Event()  # the relay sent its last event (or found the client gone)
        self.gone = False

    def emit(self, event: dict) -> None:
        self.events.put(event)


FINAL = ("report", "cold", "restart", "refused", "describe", "usage")


class State:
    """What a grade must leave as it found it in the server: a grade that changes any of it is answered
    cold, and the server is replaced."""

    @staticmethod
    def now() -> dict:
        import gc
        state: dict[str, Any] = {"cwd": os.getcwd(), "environ": dict(os.environ), "path": list(sys.path),
                                 "gc": gc.isenabled(), "meta_path": len(sys.meta_path),
                                 "student_code": sorted(m for m in sys.modules if m.split(".")[0] == "exercises")}
        keras = sys.modules.get("keras")
        if keras is not None:
            cfg = keras.config
            state["keras"] = [cfg.floatx(), cfg.epsilon(), cfg.image_data_format(), cfg.backend(),
                              str(getattr(cfg.dtype_policy(), "name", "")) if hasattr(cfg, "dtype_policy") else ""]
        np = sys.modules.get("numpy")
        if np is not None:
            state["numpy"] = sorted(np.geterr().items())
        try:
            import resource
            state["rlimits"] = [resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_DATA,
                                                                  resource.RLIMIT_NOFILE)]
        except (ImportError, AttributeError, OSError, ValueError):
            pass
        return state

    @staticmethod
    def differences(before: dict, after: dict) -> list[str]:
        return [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]


class Server:
    def __init__(self, ident: Identity, keras: bool, anchor: int | None):
        self.ident, self.keras = ident, keras
        self.lock = Lock(ident.lock)
        self.jobs: "queue.Queue[Job]" = queue.Queue()
        self.anchors: dict[int, float] = {}
        self.anchored = False
        self.stopping: str | None = None
        self.ready = threading.Event()
        self.started = time.time()
        self.last_active = time.monotonic()
        self.grades = 0
        self.reports: "collections.OrderedDict[str, dict]" = collections.OrderedDict()  # key -> report (wire form)
        self.token = b""
        self.listener: serverlink.Listener | None = None
        self.print_lock = threading.Lock()
        # what a successor starts with: this server's environment and sys.path before its start-up changed them
        # (devices.hide_gpus sets CUDA_VISIBLE_DEVICES, which is part of the key: a successor started with it
        # would serve another key, and refuse)
        self.start_env = {k: v for k, v in os.environ.items() if k != PATH_ENV}
        self.start_path = list(sys.path)
        self.start_cwd = os.getcwd()
        if anchor:
            self._anchor(anchor)

    # -------------------------------------------------------------- log
    def log(self, text: str) -> None:
        with self.print_lock:
            _log(text)

    # -------------------------------------------------------------- the whole life
    def run(self) -> int:
        import secrets
        import signal
        if not self.lock.acquire():
            self.log("another server holds the lock: nothing to do")
            return 0
        self.fingerprint = fingerprint(self.ident.root)
        self.token = secrets.token_bytes(32)
        self.listener = serverlink.Listener(self.ident)
        import psutil
        me = psutil.Process()
        self.rendezvous = self.listener.rendezvous(self.token, pid=os.getpid(), created=me.create_time(),
                                                   python=sys.executable)
        serverlink.write_private(self.ident.rendezvous, self.rendezvous)
        threading.Thread(target=self._accept, name="grade-server-accept", daemon=True).start()
        signal.signal(signal.SIGTERM, lambda *_a: self.stop("SIGTERM"))
        self.log(f"listening ({self.listener.kind}) for {self.ident.root}, sandbox {self.ident.sandbox}")
        try:
            from grader.core import startup
            startup.start(startup.SERVER, sandbox=self.ident.sandbox, keras=self.keras)
            self.baseline = State.now()
        except BaseException as e:  # noqa: BLE001 -- Keras that does not import, ...: the clients grade cold
            self.log(f"could not start: {type(e).__name__}: {e}")
            self.finish(successor=False)
        self.ready.set()
        self.log(f"ready after {time.time() - self.started:.1f} s, {self._rss_mb():.0f} MB")
        self._serve()
        return 0

    def _serve(self) -> None:
        last_watch = 0.0
        changed_at: float | None = None
        while True:
            if self.stopping:
                self.finish(successor=False)
            try:
                job = self.jobs.get(timeout=0.5)
            except queue.Empty:
                job = None
            if job is not None:
                self._run(job)
                self.last_active = time.monotonic()
                continue
            now = time.monotonic()
            if now - last_watch < WATCH_SECONDS:
                continue
            last_watch = now
            reason = self._reason_to_end()
            if reason:
                self.log(f"exiting: {reason}")
                self.finish(successor=False)
            if fingerprint(self.ident.root) != self.fingerprint:  # replaced once the change has settled
                changed_at = changed_at or now
                if now - changed_at >= 2 * WATCH_SECONDS:
                    self.log("the course's files or the Python environment changed: replaced")
                    self.finish(successor=True)
            else:
                changed_at = None

    def _reason_to_end(self) -> str | None:
        if time.monotonic() - self.last_active > IDLE_SECONDS:
            return f"idle for {IDLE_SECONDS:g} s"
        if self.anchored:
            self._prune_anchors()
            if not self.anchors:
                return "every session that used it has ended"
        current = serverlink.read_rendezvous(self.ident)
        if current is None or current.get("token") != self.token.hex():
            return "its rendezvous file is gone"
        if self.listener.kind == "unix" and not self.ident.socket_path.exists():
            return "its socket is gone"
        return None

    def stop(self, reason: str) -> None:
        self.stopping = reason
        self.log(f"stop: {reason}")

    def finish(self, successor: bool) -> None:
        """Stop listening, take the child servers down, and end; ``successor``: a fresh server first."""
        if self.listener is not None:
            self.listener.close()
        current = serverlink.read_rendezvous(self.ident)
        if current is not None and current.get("token") == self.token.hex():
            for path in (self.ident.rendezvous, self.ident.socket_path):
                try:
                    path.unlink()
                except OSError:
                    pass
        try:
            from grader.core import isolation
            for backend in list(isolation._backends.values()):
                backend.shutdown()
        except Exception:  # noqa: BLE001 -- ending anyway
            pass
        self.lock.release()
        if successor:
            try:
                env = {**self.start_env, PATH_ENV: json.dumps(self.start_path)}
                args = [sys.executable, "-c", BOOTSTRAP, "--key", self.ident.key, "--sandbox", self.ident.sandbox,
                        "--keras", "1" if self.keras else "0", "--anchors",
                        ",".join(str(p) for p in self.anchors)]
                kwargs: dict[str, Any] = ({"creationflags": 0x8 | 0x200} if os.name == "nt"
                                          else {"start_new_session": True})
                with _open_log(self.ident, truncate=False) as log:
                    subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=True,
                                     env=env, cwd=self.start_cwd, **kwargs)
            except OSError as e:
                self.log(f"could not start a successor: {e}")
        self.log("ended")
        from grader.core import tempdirs
        tempdirs.exit(0)

    # -------------------------------------------------------------- sessions
    def _anchor(self, pid: int) -> None:
        if pid in self.anchors or pid <= 1:
            return
        try:
            import psutil
            proc = psutil.Process(pid)
            if os.name != "nt" and proc.uids().real != os.getuid():
                return
            self.anchors[pid] = proc.create_time()
            self.anchored = True
        except Exception:  # noqa: BLE001 -- gone, or not ours: no anchor
            pass

    def _prune_anchors(self) -> None:
        import psutil
        for pid, born in list(self.anchors.items()):
            try:
                proc = psutil.Process(pid)
                alive = proc.create_time() == born and proc.status() != psutil.STATUS_ZOMBIE
            except psutil.Error:
                alive = False
            if not alive:
                del self.anchors[pid]

    # -------------------------------------------------------------- connections
    def _accept(self) -> None:
        while not self.stopping:
            sock = self.listener.accept(0.5)
            if sock is not None:
                threading.Thread(target=self._connection, args=(sock,), name="grade-server-client",
                                 daemon=True).start()

    def _connection(self, sock: socket.socket) -> None:
        uid = serverlink.peer_uid(sock)
        if uid is not None and uid != os.getuid():
            self.log(f"refused a connection from user {uid}")
            sock.close()
            return
        link = Link(sock)
        try:
            link.prove_server(self.token)
            request = link.recv(10.0)
        except (OSError, ConnectionError, ValueError) as e:
            self.log(f"refused a connection: {e}")
            link.close()
            return
        op = request.get("op")
        try:
            if op == "status":
                link.send(self.status())
            elif op == "stop":
                link.send({"event": "stopping", "pid": os.getpid()})
                self.stop("grade daemon stop")
            elif op in ("grade", "describe"):
                problem = _invalid(request, self.ident)
                if problem:
                    link.send({"event": "refused", "reason": problem})
                else:
                    if isinstance(request.get("anchor"), int):
                        self._anchor(request["anchor"])
                    job = Job(link, request)
                    self.jobs.put(job)
                    self._relay(job)
            else:
                link.send({"event": "refused", "reason": f"unknown op {op!r}"})
        except (OSError, ConnectionError):
            pass
        finally:
            link.close()

    def _relay(self, job: Job) -> None:
        """Send the job's events as they come (this thread alone writes to the client), and a heartbeat
        while none comes; note when the client closes its end."""
        try:
            self._relay_events(job)
        finally:
            job.relayed.set()

    def _relay_events(self, job: Job) -> None:
        while True:
            try:
                event = job.events.get(timeout=HEARTBEAT_SECONDS)
            except queue.Empty:
                event = {"event": "alive"}
            if _closed(job.link.sock):
                job.gone = True
                return
            try:
                job.link.send(event)
            except OSError:
                job.gone = True
                return
            if event.get("event") in FINAL:
                return

    def status(self) -> dict:
        import psutil
        me = psutil.Process()
        tree = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                tree += p.memory_info().rss
            except psutil.Error:
                pass
        from grader.core import isolation
        backend = isolation._backends.get(self.ident.sandbox)
        return {"event": "status", "pid": os.getpid(), "started": self.started, "ready": self.ready.is_set(),
                "grades": self.grades, "reports": len(self.reports), "idle": time.monotonic() - self.last_active,
                "idle_limit": IDLE_SECONDS,
                "rss_mb": me.memory_info().rss / 2**20, "tree_mb": tree / 2**20, "max_mb": MAX_RSS_MB,
                "root": self.ident.root, "sandbox": self.ident.sandbox,
                "isolation": backend.describe() if backend is not None else "", "transport": self.listener.kind,
                "address": str(self.ident.socket_path) if self.listener.kind == "unix" else
                f"127.0.0.1:{self.listener.port}", "sessions": len(self.anchors), "queued": self.jobs.qsize(),
                "python": sys.executable}

    # -------------------------------------------------------------- a grade
    def _rss_mb(self) -> float:
        import psutil
        return psutil.Process().memory_info().rss / 2**20

    def _run(self, job: Job) -> None:
        if job.gone or _closed(job.link.sock):
            return
        if fingerprint(self.ident.root) != self.fingerprint:
            job.emit({"event": "restart"})
            self.log("the course's files or the Python environment changed: replaced")
            self._replace_now(job)
        request = job.request
        t0 = time.monotonic()
        home = os.getcwd()
        try:
            try:
                os.chdir(request["cwd"])
            except OSError:
                pass
            if request["op"] == "describe":
                job.emit(self._describe(request))
                return
            report = self._grade(job)
        except ClientGone:
            self.log("client gone: grade stopped")
            report = None
        except UsageError as e:  # what `grade` says in its own process (exit status 2): no fault of the server
            job.emit({"event": "usage", "message": str(e)})
            report = None
        except BaseException as e:  # noqa: BLE001 -- the server's own failure: that grade is answered cold
            self.log("grade failed:\n" + traceback.format_exc())
            job.emit({"event": "cold", "reason": f"{type(e).__name__}: {e}"})
            self._replace_now(job)
        finally:
            try:
                os.chdir(home)
            except OSError:
                pass
        changed = State.differences(self.baseline, State.now())
        if changed:
            self.log(f"a grade changed the server's state ({', '.join(changed)})")
            job.emit({"event": "cold", "reason": "state changed: " + ", ".join(changed)})
            self._replace_now(job)
        if report is None:
            return
        job.emit({"event": "report", "report": report_to_wire(report)})
        self.grades += 1
        rss = self._rss_mb()
        self.log(f"graded {request['exercise']} in {time.monotonic() - t0:.2f} s; {rss:.0f} MB")
        self._rearm(request["server_keras"])
        if rss > MAX_RSS_MB:
            self.log(f"{rss:.0f} MB > {MAX_RSS_MB:g} MB: replaced")
            self._replace_now(job)

    def _replace_now(self, job: Job) -> None:
        """End now, a fresh server in this one's place, once the client of ``job`` has its last event."""
        job.relayed.wait(10.0)
        self.finish(successor=True)

    def _rearm(self, keras: bool) -> None:
        """Ready for the next grade now, while no one waits: a child server a submission killed is started
        again, a spare child made (the portable backend)."""
        from grader.core import session
        try:
            if keras:
                session.isolation().keep_warm(True)
            session.warm_up(keras)
        except Exception:  # noqa: BLE001 -- the next grade starts what it needs itself
            self.log("re-arming failed:\n" + traceback.format_exc())

    def _describe(self, request: dict) -> dict:
        from grader import checks
        from grader.core import i18n
        i18n.set_language(request["lang"])
        ex = checks.get(request["exercise"])
        return {"event": "describe", "exercise": {
            "id": ex.id, "module": ex.module, "title": ex.title,
            "checks": [{"name": c.name, "hidden": c.hidden, "uses": list(c.uses), "points": c.points}
                       for c in ex.checks]}}

    def _grade(self, job: Job):
        """The report ``grade`` (a file) or ``check()`` (module text) would make in its own process."""
        from grader import checks
        from grader.core import i18n, session
        from grader.core.i18n import _
        from grader.front.submission import Submission
        request = job.request
        i18n.set_language(request["lang"])
        ex = checks.get(request["exercise"])
        hidden, only = request["hidden"], request["only"]
        n = sum(1 for c in ex.checks if (hidden or not c.hidden) and (only is None or c.name in only))
        job.emit({"event": "start", "title": _(ex.title), "n": n})
        backend = session.isolation()
        session.warm_up(request["server_keras"])  # the child server a grade in its own process would start

        def on_check(result) -> None:
            if job.gone:
                raise ClientGone()
            if request["progress"]:
                job.emit({"event": "check", "check": check_to_wire(result)})
        if request["path"] is not None:
            sub = Submission.load(request["path"])
        else:
            sub = Submission(request["name"], request["text"], list(request["notes"]))
        key = self._report_key(request, sub, backend.name)
        if key in self.reports:
            self.reports.move_to_end(key)
            report = report_from_wire(self.reports[key])
            for result in report.checks:
                on_check(result)
            self.log(f"{request['exercise']}: the same file and options as a grade before: its report")
            return report
        kwargs = dict(seed=request["seed"], hidden=hidden, timeout=request["timeout"],
                      memory_mb=request["memory_mb"], block_solutions=request["block_solutions"], on_check=on_check)
        if only is not None:
            kwargs["only"] = only
        backend.all_from_keras = request["server_keras"]
        try:
            with session.quiet_stderr():
                report = sub.grade(ex, **kwargs)
        finally:
            backend.all_from_keras = False
        if key is not None and all(c.status.value in REPEATABLE for c in report.checks):
            self.reports[key] = report_to_wire(report)
            while len(self.reports) > REPORTS:
                self.reports.popitem(last=False)
        return report

    def _report_key(self, request: dict, sub, sandbox: str) -> str | None:
        """What a grade's report depends on, as a digest; None when there is nothing to grade.  The child sees
        the submission's text and, of the course, only what this server's fingerprint covers (the grader, the
        datasets) and the exercises' folder (a submission may import another exercise's file): its text, every
        option of the request, the language, and the state of ``exercises/`` make the key.  (A child of the
        portable backend can open any file by its absolute path; one that reads a file outside the course is
        answered with the report of its last grade while its own text is unchanged.)"""
        if sub.text is None:
            return None
        h = hashlib.sha256()
        fields = {k: request[k] for k in ("exercise", "path", "seed", "hidden", "timeout", "memory_mb",
                                          "block_solutions", "only", "server_keras", "lang")}
        h.update(json.dumps({**fields, "name": sub.name, "notes": list(sub.notes), "sandbox": sandbox},
                            sort_keys=True, default=repr).encode())
        h.update(b"\0" + sub.text.encode("utf-8", "surrogatepass") + b"\0")
        _hash_files(h, self.ident.root, ("exercises",))
        return h.hexdigest()


def _closed(sock: socket.socket) -> bool:
    """Whether the other end closed (a client sends nothing after its request: readable means closed)."""
    try:
        readable, _w, _x = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


_TYPES: dict[str, tuple] = {
    "exercise": (str,), "lang": (str,), "key": (str,), "root": (str,), "cwd": (str,)}
_GRADE_TYPES: dict[str, tuple] = {
    "path": (str, type(None)), "text": (str, type(None)), "name": (str,), "notes": (list,), "seed": (int,),
    "hidden": (bool,), "timeout": (int, float, type(None)), "memory_mb": (int, type(None)),
    "block_solutions": (bool,), "only": (list, type(None)), "server_keras": (bool,), "progress": (bool,)}


def _invalid(request: dict, ident: Identity) -> str | None:
    """Why the server does not take ``request`` (None: it does)."""
    types = {**_TYPES, **(_GRADE_TYPES if request.get("op") == "grade" else {})}
    for key, allowed in types.items():
        if not isinstance(request.get(key), allowed) or isinstance(request.get(key), bool) and bool not in allowed:
            return f"{key} is missing or of the wrong type"
    if request["key"] != ident.key or request["root"] != ident.root:
        return f"this server serves {ident.root}, not {request['root']}"  # one checkout, never two
    from grader.core.i18n import LANGUAGES
    if request["lang"] not in LANGUAGES:
        return "unknown language"
    if request.get("op") == "grade" and (request["path"] is None) == (request["text"] is None):
        return "a grade needs a path or a text"
    return None


def serve_main(argv: list[str]) -> None:
    """The server's process (started by ``spawn``): serve until idle, stopped or replaced."""
    import argparse
    p = argparse.ArgumentParser(prog="grade-server")
    p.add_argument("--key", required=True)
    p.add_argument("--sandbox", required=True)
    p.add_argument("--keras", default="1")
    p.add_argument("--anchor", type=int, default=0)
    p.add_argument("--anchors", default="")
    args = p.parse_args(argv)
    ident = serverlink.identity(args.sandbox)
    if ident.key != args.key:  # started by a client whose checkout, interpreter or environment this is not
        _log(f"refusing to serve: key {ident.key} is not {args.key}")  # (its log: no user reads it)
        os._exit(2)
    server = Server(ident, args.keras == "1", args.anchor)
    for pid in filter(None, args.anchors.split(",")):
        server._anchor(int(pid))
    code = server.run()
    from grader.core import tempdirs
    tempdirs.exit(code)
