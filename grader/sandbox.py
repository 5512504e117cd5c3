"""The judge's side of the child process: start it, ask it, watch it, kill it.

One ``Sandbox`` per graded file.  The child is forked from a multiprocessing
forkserver that preloaded numpy and Keras, so each fresh child costs a fork,
not an import of TensorFlow.  Every request has a deadline; the child's
resident memory is watched while it computes; a child that dies, hangs, or
blows its budget becomes a typed verdict for the check that was running, and
the next check gets a fresh child.
"""
from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

from . import wire
from .errors import NotAttempted, OutOfMemory, StudentError, Timeout, Verdict
from .i18n import N_, _, catalogue

PRELOAD = ["numpy", "grader.child", "grader.wire", "keras"]
STARTUP_TIMEOUT = 300.0  # seconds for the server to import Keras and fork a child (not the student's time)
NOBODY = 65534
_ctx = None
_isolation: "Isolation | None" = None
_hidden_paths: list[str] = []


class Isolation:
    """How children are isolated in this process, decided once.

    * bubblewrap (``bwrap``): the forkserver -- and so every child forked from
      it -- runs in its own mount, network, IPC and UTS namespaces: no
      network, the reference solutions, the tests and any folder passed to
      ``hide()`` (other students' submissions, the results) replaced by empty
      folders, and only a scratch folder writable.
    * an unprivileged user: when the grader runs as root, each child drops to
      ``nobody`` after the fork, so it cannot signal the grader, read other
      processes' environments, or fork without limit (RLIMIT_NPROC).
    Where either is unavailable the child still runs in its own process group
    with time, memory, file-size limits and a scratch folder; ``notes`` says
    what is missing.
    """

    def __init__(self):
        self.scratch_root = tempfile.mkdtemp(prefix="grade-sandbox-")
        self.bwrap = _bwrap_works()
        self.drop_uid = os.geteuid() == 0 and _nobody_can_run_python()
        if self.drop_uid:
            os.chown(self.scratch_root, NOBODY, NOBODY)
        self.notes = []
        if not self.bwrap:
            self.notes.append(_("bubblewrap is not available here: children are not in their own mount/network "
                                "namespaces (they could read other files on this machine)"))
        if os.geteuid() == 0 and not self.drop_uid:
            self.notes.append(_("children run as root (the user 'nobody' cannot read the installed packages)"))

    def describe(self) -> str:
        parts = ["bubblewrap namespaces" if self.bwrap else "scratch folder only",
                 "user nobody" if self.drop_uid else f"uid {os.geteuid()}"]
        return ", ".join(parts)


def _bwrap_works() -> bool:
    if os.environ.get("GRADER_NO_BWRAP") or not shutil.which("bwrap"):
        return False
    try:
        p = subprocess.run(["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net",
                            "--die-with-parent", "true"], capture_output=True, timeout=20)
        return p.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _nobody_can_run_python() -> bool:
    """Can user nobody read the interpreter's and the grader's files?"""
    import numpy
    probe = [sys.executable, "-c", "import numpy, grader.child"]
    try:
        p = subprocess.run(probe, capture_output=True, timeout=60, user=NOBODY, group=NOBODY, extra_groups=[],
                           cwd="/", env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join(
                               p for p in sys.path if p)})
        return p.returncode == 0 and os.access(os.path.dirname(numpy.__file__), os.R_OK)
    except (OSError, subprocess.SubprocessError):
        return False


def isolation() -> Isolation:
    global _isolation
    if _isolation is None:
        _isolation = Isolation()
    return _isolation


def hide(*paths: str) -> None:
    """Folders children must not see (call before the forkserver starts)."""
    _hidden_paths.extend(os.path.abspath(p) for p in paths if p)


def _default_hidden() -> list[str]:
    import importlib.util
    out = []
    spec = importlib.util.find_spec("solutions")
    if spec and spec.submodule_search_locations:
        out += list(spec.submodule_search_locations)
    tests = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests")
    if os.path.isdir(tests):
        out.append(tests)
    return out


def _python_paths_under(top: str) -> set[str]:
    """Folders Python imports from (the interpreter, the project, sys.path) that lie under ``top``."""
    import grader
    top = os.path.realpath(top)
    candidates = {sys.prefix, sys.base_prefix, os.path.dirname(sys.executable),
                  os.path.dirname(os.path.dirname(os.path.abspath(grader.__file__))), *sys.path}
    out = set()
    for p in candidates:
        for q in {os.path.abspath(p), os.path.realpath(p)} if p else ():
            if os.path.isdir(q) and q != top and q.startswith(top + os.sep):
                out.add(q)
    return out


def _bwrap_executable(iso: Isolation) -> str:
    """A wrapper that starts Python inside bubblewrap (used for the forkserver only)."""
    from multiprocessing import util
    pymp = util.get_temp_dir()  # the forkserver's socket lives here: keep it reachable
    args = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/tmp",
            "--bind", iso.scratch_root, iso.scratch_root, "--bind", pymp, pymp,
            "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid", "--proc", "/proc",
            "--cap-drop", "ALL", "--die-with-parent"]
    # The sandbox's /tmp is empty: bring back (read-only) what Python needs that lives there,
    # e.g. a course checked out or a virtualenv created under /tmp.
    for path in sorted(_python_paths_under(tempfile.gettempdir()), key=len):
        args += ["--ro-bind", path, path]
    for path in dict.fromkeys(_default_hidden() + _hidden_paths):
        if os.path.isdir(path) and not iso.scratch_root.startswith(path) and not pymp.startswith(path):
            args += ["--tmpfs", path]
    args += ["--", sys.executable]
    wrapper = os.path.join(tempfile.mkdtemp(prefix="grade-bwrap-"), "python")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in args) + ' "$@"\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def context():
    """The forkserver context (its server is started at most once per process)."""
    global _ctx
    if _ctx is None:
        _ctx = mp.get_context("forkserver")
        _ctx.set_forkserver_preload(PRELOAD)
    return _ctx


def warm_up() -> None:
    """Start the forkserver now (inside bubblewrap where available), so its
    imports overlap with the judge's own."""
    from multiprocessing import forkserver, spawn
    context()
    iso = isolation()
    # The server inherits this stderr: keep TensorFlow's start-up chatter off the terminal.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    real = spawn.get_executable()
    if iso.bwrap:  # used only if ensure_running (re)starts the server: first time, or after a child killed it
        global _wrapper
        _wrapper = _wrapper or _bwrap_executable(iso)
        spawn.set_executable(_wrapper)
    try:
        with _main_hidden(), quiet_stderr(), _secrets_hidden():
            forkserver.ensure_running()
    finally:
        spawn.set_executable(real)
    _limit_processes(forkserver._forkserver._forkserver_pid)


PIDS_CGROUP = "/sys/fs/cgroup/pids"
MAX_TASKS = 2048  # processes and threads of all children of this grader (TensorFlow threads count)
_cgroup: str | None = None
_limited_server: int | None = None


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return out


def _limit_processes(server_pid: int | None) -> None:
    """Put the forkserver (and so every child) in a pids cgroup, so that a fork
    bomb hits a wall at MAX_TASKS instead of exhausting the machine's pids."""
    global _cgroup, _limited_server
    if server_pid == _limited_server or not server_pid or not os.access(PIDS_CGROUP, os.W_OK):
        return
    path = _cgroup or os.path.join(PIDS_CGROUP, f"grade-{os.getpid()}")
    try:
        if not _cgroup:
            os.makedirs(path, exist_ok=True)
            with open(os.path.join(path, "pids.max"), "w") as f:
                f.write(str(MAX_TASKS))
            import atexit
            atexit.register(_remove_cgroup, path)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(_descendants(server_pid)) < (3 if isolation().bwrap else 1):
            time.sleep(0.02)  # bubblewrap's processes and the server itself are still starting
        for pid in _descendants(server_pid):
            with open(os.path.join(path, "cgroup.procs"), "w") as f:
                f.write(str(pid))
        _cgroup, _limited_server = path, server_pid
    except OSError:
        return


def _remove_cgroup(path: str) -> None:
    for _ in range(50):
        try:
            os.rmdir(path)
            return
        except OSError:
            time.sleep(0.02)


_wrapper: str | None = None
SECRET_ENV = ("GRADE_SEED",)


@contextlib.contextmanager
def _secrets_hidden():
    """The forkserver (and every child) starts without the instructor's secrets."""
    saved = {k: os.environ.pop(k) for k in SECRET_ENV if k in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


@contextlib.contextmanager
def _main_hidden():
    """multiprocessing makes the server and each child re-import the __main__
    script (a test runner, a user's script); the children need only the
    preloaded modules, so hide the script while starting them."""
    main = sys.modules.get("__main__")
    main_file = main.__dict__.pop("__file__", None) if main is not None else None
    try:
        yield
    finally:
        if main_file is not None:
            main.__file__ = main_file


@contextlib.contextmanager
def quiet_stderr():
    """Send file descriptor 2 (TensorFlow's C++ logging) to /dev/null for a while."""
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def host_pid(ns_pid: int) -> int:
    """The pid, as this process sees it, of a child that multiprocessing knows
    by its pid inside bubblewrap's PID namespace (the same number without it)."""
    from multiprocessing import forkserver
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if not (_isolation and _isolation.bwrap and server):
        return ns_pid
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                nspid = next((line.split()[1:] for line in f if line.startswith("NSpid:")), [])
        except OSError:
            continue
        if len(nspid) > 1 and int(nspid[-1]) == ns_pid and _descends_from(int(entry), server):
            return int(entry)
    return -1


def _descends_from(pid: int, ancestor: int) -> bool:
    for _ in range(64):
        if pid == ancestor:
            return True
        if pid <= 1:
            return False
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
    return False


def _rss_of_group(pgid: int) -> int:
    """Resident bytes of every process in a process group."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # field 5 of stat, after pid and comm
                total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # rss pages
        except (OSError, IndexError, ValueError):
            continue
    return total


class Sandbox:
    def __init__(self, source: str, module_name: str, *, memory_mb: int = 2048,
                 import_timeout: float = 30.0, recipe_modules: tuple[str, ...] = (),
                 block_solutions: bool = True, source_text: str | None = None):
        """``source`` is the submission's path (shown in messages); the child
        gets its text (``source_text``, or the file read here), never the path."""
        self.source = os.path.abspath(source)
        if source_text is None:
            with open(self.source, encoding="utf-8", errors="replace") as f:
                source_text = f.read()
        self.source_text = source_text
        self.module_name = module_name
        self.memory_mb = memory_mb
        self.import_timeout = import_timeout
        self.recipe_modules = recipe_modules
        self.block_solutions = block_solutions
        iso = isolation()
        self.scratch = tempfile.mkdtemp(prefix="grade-", dir=iso.scratch_root)
        self.drop_uid = iso.drop_uid
        if self.drop_uid:
            os.chown(self.scratch, NOBODY, NOBODY)
        self.proc = None
        self.pid = -1
        self.fd: int | None = None
        self.import_failure: Verdict | None = None
        self._killed_for_memory = False
        self.children_started = 0

    # ------------------------------------------------------------ lifecycle
    def _start(self) -> None:
        for attempt in range(2):
            warm_up()  # (re)starts the server inside bubblewrap if a child killed it
            ctx = context()
            parent, child = ctx.Pipe()
            self.proc = ctx.Process(
                target=_child_entry,
                args=(child, self.source_text, self.module_name, self.memory_mb, self.scratch),
                kwargs={"block_solutions": self.block_solutions, "recipe_modules": self.recipe_modules,
                        "drop_uid": self.drop_uid},
                daemon=True,
            )
            try:
                with _main_hidden():
                    self.proc.start()
                break
            except Exception:  # noqa: BLE001 -- a server left unusable by an earlier child: start afresh
                parent.close()
                child.close()
                self.proc = None
                _kill_forkserver()
                time.sleep(0.5)
                if attempt:
                    raise StudentError(_("the grader could not start a fresh process for your code after an earlier "
                                         "check damaged it"),
                                       hint=_("Do not kill processes or fork in a loop.")) from None
        self.pid = host_pid(self.proc.pid)  # kill and watch by this pid, never by proc.pid
        self.children_started += 1
        child.close()
        self.fd = os.dup(parent.fileno())
        parent.close()
        self._killed_for_memory = False
        try:  # the server may still be importing Keras (first use, or restarted): not the student's time
            started, _value = self._receive(STARTUP_TIMEOUT, _("starting the grader's sandbox"))
        except Verdict as v:
            raise StudentError(_("the grader's sandbox did not start ({reason})").format(reason=v.message),
                               hint=_("The grading machine is overloaded; grade again later.")) from None
        if started.get("status") != "started":
            raise StudentError(_("the grader's sandbox did not start properly"))
        try:
            header, _value = self._receive(self.import_timeout, _("importing your file"))
        except Verdict as v:
            self.import_failure = v
            raise
        if header.get("status") == "import_error":
            self.import_failure = self._import_verdict(header)
            self._reap()
            raise self.import_failure

    def _import_verdict(self, h: dict) -> Verdict:
        if h.get("syntax"):
            return StudentError(_("your file does not compile: SyntaxError at {where}: {message}").format(
                where=h["where"] or _("unknown line"), message=h["message"]),
                hint=_("Fix the syntax error; `python -m py_compile FILE` shows it too."))
        if h["kind"] == "exit":
            return StudentError(_("your file calls sys.exit() (or exit/quit) when imported, so nothing can be graded"),
                                hint=_("Remove top-level exit() calls and test code; guard it with "
                                       "`if __name__ == \"__main__\":`."))
        if h["kind"] == "memory":
            return OutOfMemory(_("importing your file ran out of memory ({mb} MB budget)").format(mb=self.memory_mb),
                               hint=_("Do not build big arrays or train models at the top level of the file."))
        if h["kind"] == "not_implemented":
            return NotAttempted(_("your file raises NotImplementedError when imported"))
        where = f" ({h['where']})" if h.get("where") else ""
        return StudentError(_("importing your file failed: {error}{where}").format(
            error=f"{h['type']}: {h['message']}", where=where),
            hint=_("Run the file with python yourself: it must import without errors. "
                   "Top-level test code belongs under `if __name__ == \"__main__\":`."))

    def close(self) -> None:
        self._reap()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _reap(self) -> None:
        if self.proc is not None:
            if self.pid <= 1:  # lost track of it: take the whole server (and its namespace) down
                _kill_forkserver()
            for _ in range(20):  # again and again: a fork bomb keeps adding to the group
                try:
                    if self.pid > 1:
                        os.killpg(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    break
                time.sleep(0.01)
            if getattr(self.proc, "_popen", None) is not None:
                self.proc.join(5)
            if self.proc.exitcode is None:  # never let multiprocessing wait for it at exit
                _kill_forkserver()
                mp.process._children.discard(self.proc)
        if self.fd is not None:
            os.close(self.fd)
        self.proc, self.fd = None, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def output_tail(self, n: int = 2000) -> str:
        try:
            with open(os.path.join(self.scratch, "output.log"), "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - n))
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    # ------------------------------------------------------------ requests
    def request(self, op: str, header: dict, payload: Any, timeout: float, doing: str,
                fn: str | None = None, limit: float | None = None) -> Any:
        """Send one request and return the decoded value, or raise a Verdict."""
        if self.import_failure is not None:
            raise self.import_failure
        if self.proc is None:
            self._start()
        try:
            wire.send(self.fd, {"op": op, **header}, payload)
        except OSError:
            self._reap()
            self._start()
            wire.send(self.fd, {"op": op, **header}, payload)
        reply, value = self._receive(timeout, doing, limit)
        if reply.get("status") == "ok":
            return value
        return self._raise_error(reply, doing, fn)

    def _raise_error(self, r: dict, doing: str, fn: str | None):
        kind = r.get("kind")
        where = f" ({r['where']})" if r.get("where") else ""
        if kind == "not_implemented":
            raise NotAttempted(_("{fn} is not implemented yet (it raises NotImplementedError)").format(fn=fn or doing),
                               hint=_("Replace the `raise NotImplementedError` in {fn} with your code.").format(
                                   fn=fn or _("the function")))
        if kind == "missing":
            raise StudentError(child_message(r),
                               hint=_("Keep the function name and signature from the stub: {fn}.").format(
                                   fn=r.get("fn", fn)))
        if kind == "memory":
            raise OutOfMemory(_("{doing} ran out of memory (budget {mb} MB){where}").format(
                doing=doing, mb=self.memory_mb, where=where), hint=_(BIG_ARRAYS_HINT))
        if kind == "exit":
            raise StudentError(_("{doing} called sys.exit() or raised KeyboardInterrupt{where}").format(
                doing=doing, where=where), hint=_("Return a value instead of exiting."))
        if kind == "recursion":
            raise StudentError(_("{doing} recursed too deeply (RecursionError){where}").format(
                doing=doing, where=where), hint=_("Check the stopping condition of your recursion, or use a loop."))
        if kind == "bad_result":
            raise StudentError(f"{doing}: {child_message(r)}", hint=_("Return the type the docstring asks for."))
        raise StudentError(_("{doing} raised {error}{where}").format(
            doing=doing, error=f"{r.get('type', 'an error')}: {r.get('message', '')}", where=where),
            hint=_("Run the function yourself on a small input and read the traceback."))

    def _receive(self, timeout: float, doing: str, limit_s: float | None = None) -> tuple[dict, Any]:
        """Wait for one message; ``limit_s`` is the limit to name in a TIMEOUT (default ``timeout``)."""
        stated = _("{seconds:g} s").format(seconds=limit_s if limit_s is not None else timeout)
        deadline = time.monotonic() + timeout
        limit = self.memory_mb * 2**20
        pid = self.pid
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._reap()
                raise Timeout(_("{doing} did not finish within {limit} (time limit)").format(doing=doing, limit=stated),
                              hint=_("Look for an endless loop, or work that grows much faster than the input."))
            r, _w, _x = select.select([self.fd], [], [], min(0.05, left))
            if r:
                break
            if _rss_of_group(pid) > limit:
                self._killed_for_memory = True
                self._reap()
                raise OutOfMemory(_("{doing} used more than {mb} MB of memory (memory limit)").format(
                    doing=doing, mb=self.memory_mb), hint=_(BIG_ARRAYS_HINT))
        try:
            return wire.recv(self.fd, deadline=max(deadline, time.monotonic() + 30))
        except wire.WireTimeout:
            self._reap()
            raise Timeout(_("{doing} did not finish within {limit} (time limit)").format(doing=doing, limit=stated)) \
                from None
        except wire.ChildGone:
            return self._died(doing)
        except wire.WireError as e:
            self._reap()
            raise StudentError(f"{doing}: {child_message({'msgid': e.msgid, 'params': e.params}, str(e))}") from None

    def _died(self, doing: str):
        proc = self.proc
        proc.join(2)
        code = proc.exitcode
        self._reap()
        if self._killed_for_memory or code == -signal.SIGKILL:
            raise OutOfMemory(_("{doing} was killed (out of memory, budget {mb} MB)").format(doing=doing,
                                                                                           mb=self.memory_mb),
                              hint=_("Look for arrays far bigger than the inputs."))
        if code is not None and code < 0:
            raise StudentError(_("{doing} crashed the Python process (signal {signal})").format(
                doing=doing, signal=signal.Signals(-code).name),
                hint=_("This is usually a native-library crash caused by a huge or malformed input."))
        raise StudentError(_("{doing} ended the grading process (exit status {code}); "
                             "sys.exit/os._exit/killing processes is not allowed in a submission").format(
            doing=doing, code=code), hint=_("Return a value instead of exiting."))


BIG_ARRAYS_HINT = N_("Look for arrays far bigger than the inputs (a wrong shape, an accidental outer product).")


def child_message(r: dict, default: str | None = None) -> str:
    """The text of an error the child sent as ``msgid`` + ``params`` (``wire.MessageError``),
    in the current language.  Only msgids of the grader's own catalogue are used as
    format strings (a forged reply cannot bring its own); anything else falls back to
    the plain ``message``."""
    msgid, params = r.get("msgid"), r.get("params")
    fallback = str(r.get("message", "")) if default is None else default
    if not (isinstance(msgid, str) and isinstance(params, dict) and msgid in catalogue("ko")):
        return fallback
    try:
        return _(msgid).format(**{str(k): str(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return fallback


def _kill_forkserver() -> None:
    """Kill the forkserver (with bubblewrap, its PID namespace and every child in
    it); the next child starts a fresh one."""
    from multiprocessing import forkserver
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if pid:
        for p in reversed(_descendants(pid)):
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass


def _child_entry(conn, *args, **kwargs):
    from .child import entry
    entry(conn, *args, **kwargs)
