"""The Linux backend: children forked from a Keras-preloaded fork server.

Where bubblewrap (``bwrap``) works, the fork server -- and so every child
forked from it -- runs in its own mount, network, IPC, UTS and PID
namespaces, without capabilities: no network, the reference solutions, the
tests and any folder passed to ``hide()`` replaced by empty folders, only a
scratch folder writable.  When the grader runs as root, each child drops to
user ``nobody``.  The server sits in a pids cgroup where one is writable, so
a fork bomb hits a wall.  Each child gets rlimits (address space, core
files, file size) and its own process group, killed whole at the end.
"""
from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

from grader.core import tempdirs, wire
from grader.core.devices import cpu_only_environment
from grader.core.errors import StudentError
from grader.core.i18n import N_, _
from grader.core.isolation import Backend, Child, OutputSink, _no_judge_ceiling, hidden_paths, main_hidden, quiet_stderr, secrets_hidden

NOBODY = 65534
NO_BWRAP = N_("bubblewrap is not available here: children are not in their own mount/network namespaces (they could "
              "read other files on this machine)")
AS_ROOT = N_("children run as root (the user 'nobody' cannot read the installed packages)")
PIDS_CGROUP = "/sys/fs/cgroup/pids"
MAX_TASKS = 2048  # processes and threads of all children of this grader (TensorFlow threads count)


# What the fork server imports before it forks children, by whether they need Keras: ``linux_server``
# (non-dumpable, then numpy and the child's code) and, for Keras, ``linux_keras``.
SERVER_PRELOAD = {False: ["grader.core.isolation.linux_server"],
                  True: ["grader.core.isolation.linux_server", "grader.core.isolation.linux_keras"]}


def _running(pid: int | None) -> bool:
    """Whether the process (a child of this one: the fork server) is alive, without reaping it."""
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return False


def forkserver_pid() -> int | None:
    """The pid of this process's multiprocessing fork server, or None.

    multiprocessing has no public name for it; this is the one place that
    reads the private one (tests/test_isolation.py checks it still works)."""
    from multiprocessing import forkserver
    server = getattr(forkserver, "_forkserver", None)
    return getattr(server, "_forkserver_pid", None)


# The names by which multiprocessing's forkserver module hands out its one ForkServer (the methods are bound to
# it when the module loads).  ``_install`` puts another ForkServer in its place, so that one process can keep two
# fork servers (``LinuxBackend.keep_both_kinds``).
_FORKSERVER_NAMES = ("ensure_running", "get_inherited_fds", "connect_to_new_process", "set_forkserver_preload")


def _install(server):
    """Make ``server`` (a ``multiprocessing.forkserver.ForkServer``) the one multiprocessing uses; the one before."""
    from multiprocessing import forkserver
    previous = forkserver._forkserver
    forkserver._forkserver = server
    for name in _FORKSERVER_NAMES:
        if hasattr(forkserver, name):
            setattr(forkserver, name, getattr(server, name))
    return previous


USERNS = ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY)]


def _bwrap_works(*extra: str) -> bool:
    if os.environ.get("GRADER_NO_BWRAP") or not shutil.which("bwrap"):
        return False
    try:
        p = subprocess.run(["bwrap", *extra, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                            "--unshare-net", "--die-with-parent", "true"], capture_output=True, timeout=20)
        return p.returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _system_binds() -> list[str]:
    """What every Python needs from the system, read-only: /usr and its merged-/usr
    links, the dynamic loader's files, time zone, alternatives (BLAS), fonts."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
                 "/etc/alternatives", "/etc/fonts", "/sys/devices/system/cpu"):
        args += ["--ro-bind-try", path, path]
    return args


def _python_binds(project: str) -> list[str]:
    """The interpreter and its packages, read-only, and of the project only what a
    student may see: the grader's own code, the exercises' stubs, the datasets.  Never the
    solutions, the tests, the submissions or results, a seed file, or anything else on
    this machine (an allow-list: what is not bound here does not exist in the sandbox)."""
    import importlib.util
    import site
    public = [os.path.join(project, d) for d in ("grader", "exercises", "datasets")]
    interpreter = [os.path.realpath(p) for p in {sys.base_prefix, sys.prefix, *site.getsitepackages()}]
    roots: list[str] = []
    for p in [*interpreter, *sys.path]:
        p = os.path.realpath(p) if p else ""
        if not os.path.isdir(p) or p == "/":
            continue
        in_interpreter = any(p == i or p.startswith(i + os.sep) for i in interpreter)
        if (p == project or p.startswith(project + os.sep)) and not in_interpreter:
            continue  # the checkout (tests/ on sys.path under pytest, ...): only its public folders
        roots.append(p)
    roots += [d for d in public if os.path.isdir(d)]

    def private(t: str) -> bool:  # the checkout itself, or a folder above it, or its non-public parts
        inside = t == project or t.startswith(project + os.sep)
        return (t == "/" or project.startswith(t + os.sep) or
                (inside and not any(t == d or t.startswith(d + os.sep) for d in [*public, *interpreter])))
    roots += [t for t in _link_targets(roots) if not private(t)]
    args: list[str] = []
    for p in sorted(set(roots), key=len):
        if not any(p.startswith(r + os.sep) for r in roots if r != p):
            args += ["--ro-bind", p, p]
    # An installed (not editable) course keeps solutions/ beside grader/ in site-packages: hide every copy.
    spec = importlib.util.find_spec("solutions")
    found = {os.path.realpath(loc) for loc in ((spec.submodule_search_locations or []) if spec else [])}
    found |= {os.path.realpath(os.path.join(p, "solutions")) for p in [*interpreter, *sys.path] if p
              and os.path.isfile(os.path.join(p, "solutions", "__init__.py"))}
    for loc in sorted(found):
        if any(loc.startswith(r + os.sep) for r in roots):
            args += ["--tmpfs", loc]
    return args


def _nobody_can_run_python() -> bool:
    """Can user nobody read the interpreter's and the grader's files?"""
    import numpy
    probe = [sys.executable, "-c", "import numpy, grader.core.child"]
    try:
        p = subprocess.run(probe, capture_output=True, timeout=60, user=NOBODY, group=NOBODY, extra_groups=[],
                           cwd="/", env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join(
                               p for p in sys.path if p)})
        return p.returncode == 0 and os.access(os.path.dirname(numpy.__file__), os.R_OK)
    except (OSError, subprocess.SubprocessError):
        return False


def _project() -> str:
    """The folder that holds the ``grader`` package (the checkout, or site-packages)."""
    import grader
    return os.path.dirname(os.path.dirname(os.path.realpath(grader.__file__)))


def _default_hidden() -> list[str]:
    import importlib.util
    out = []
    spec = importlib.util.find_spec("solutions")
    if spec and spec.submodule_search_locations:
        out += list(spec.submodule_search_locations)
    tests = os.path.join(_project(), "tests")
    if os.path.isdir(tests):
        out.append(tests)
    return out


def _link_targets(roots: list[str]) -> list[str]:
    """Where the symbolic links directly inside the bound folders point, when that lies
    outside them (a site-packages made of links to another environment's packages)."""
    out: list[str] = []
    for root in roots:
        try:
            entries = list(os.scandir(root))
        except OSError:
            continue
        for e in entries:
            if not e.is_symlink():
                continue
            target = os.path.realpath(e.path)
            if os.path.exists(target) and not any(target == r or target.startswith(r + os.sep)
                                                  for r in [*roots, *out]):
                out.append(target)
    return out


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


def _descends_from(pid: int, ancestor: int) -> bool:
    for _i in range(64):
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


def _group_members(pgid: int) -> dict[int, int]:
    """{pid: resident bytes} of every process in a process group: a scan of all of /proc."""
    members = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            rss = _rss_in_group(int(entry), pgid)
            if rss is not None:
                members[int(entry)] = rss
    return members


def _rss_in_group(pid: int, pgid: int) -> int | None:
    """Resident bytes of ``pid`` if it is (still) in process group ``pgid``, else None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid:  # field 5 of stat, after pid and comm
            return int(fields[21]) * PAGE  # rss pages
    except (OSError, IndexError, ValueError):
        pass
    return None


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class GroupRss:
    """Resident bytes of a process group, read as often as the session polls (every 50 ms).

    Scanning all of /proc costs milliseconds on a busy machine, and the session would pay it twenty times
    a second while the child trains, on a core the child needs.  So the whole of /proc is scanned only
    every ``RESCAN_S``; between scans the known members' own ``stat`` files are read.  A process forked
    since the last scan is counted from the next one on; until then its own RLIMIT_AS bounds it
    (child.py), and the pids cgroup bounds how many there are."""

    RESCAN_S = 0.25

    def __init__(self, pgid: int):
        self.pgid, self.members, self.scanned = pgid, [], float("-inf")

    def __call__(self) -> int:
        now = time.monotonic()
        if now - self.scanned >= self.RESCAN_S:
            found = _group_members(self.pgid)
            self.members, self.scanned = list(found), now
            return sum(found.values())
        return sum(r for r in (_rss_in_group(pid, self.pgid) for pid in self.members) if r is not None)


def _remove_cgroup(path: str) -> None:
    for _i in range(50):
        try:
            os.rmdir(path)
            return
        except OSError:
            time.sleep(0.02)


class LinuxBackend(Backend):
    name = "linux"
    forks_cheaply = True

    def __init__(self):
        super().__init__()
        self.scratch_root = tempdirs.folder("grade-sandbox-")
        self.userns = _bwrap_works(*USERNS)
        self.bwrap = self.userns or _bwrap_works()
        # In a user namespace every process of the sandbox is nobody already; elsewhere a
        # child forked by root drops to nobody itself (when nobody can read the packages).
        self.drop_uid = not self.userns and os.geteuid() == 0 and _nobody_can_run_python()
        if self.drop_uid:  # (in a user namespace the judge's own uid is nobody: nothing to change)
            os.chown(self.scratch_root, NOBODY, NOBODY)
        if not self.bwrap:
            self.lacks.append(NO_BWRAP)
        if os.geteuid() == 0 and not (self.drop_uid or self.userns):
            self.lacks.append(AS_ROOT)
        self._ctx = None
        self._server_keras = False  # whether the running (or last started) fork server preloads Keras
        self._wrapper: str | None = None
        self._cgroup: str | None = None
        self._limited_servers: set[int] = set()
        self.pids_capped = False
        # {needs Keras: its ForkServer} once ``keep_both_kinds`` was called, else None (one server, replaced by
        # one with Keras when a child needs it, which then serves every child)
        self._by_kind: dict | None = None

    def keep_both_kinds(self) -> None:
        """Keep a fork server for children that need Keras and one for children that do not, each started
        when first needed: a process that grades both kinds for a long time (the warm grader's server) then
        makes every child as a one-shot ``grade`` of that exercise makes it -- a numpy-only exercise's child
        is forked from a server without Keras, so Keras's pages (about 200 MB of resident memory) do not
        count against its memory limit -- and alternating exercises never restarts a server."""
        if self._by_kind is not None:
            return
        from multiprocessing import forkserver
        current = forkserver._forkserver  # (running or not) it keeps the kind it was started for
        self._by_kind = {self._server_keras: current, not self._server_keras: forkserver.ForkServer()}

    @contextlib.contextmanager
    def _kind(self, keras: bool | None):
        """Inside: multiprocessing's fork server is the one for children that need Keras (``keras``), when
        this backend keeps both kinds (``keep_both_kinds``); otherwise nothing changes."""
        if self._by_kind is None or keras is None:
            yield
            return
        previous = _install(self._by_kind[bool(keras)])
        try:
            yield
        finally:
            _install(previous)

    def make_scratch(self) -> str:
        path = super().make_scratch()
        if self.drop_uid:
            os.chown(path, NOBODY, NOBODY)
        return path

    def describe(self) -> str:
        parts = ["bubblewrap namespaces, files by allow-list" if self.bwrap else "scratch folder only",
                 "user nobody (user namespace)" if self.userns else
                 "user nobody" if self.drop_uid else f"uid {os.geteuid()}"]
        return ", ".join(parts)

    # ------------------------------------------------------------ the fork server
    def context(self):
        if self._ctx is None:
            self._ctx = mp.get_context("forkserver")
            self._ctx.set_forkserver_preload(SERVER_PRELOAD[True])
        return self._ctx

    def _bwrap_executable(self) -> str:
        """A wrapper that starts Python inside bubblewrap (used for the fork server only).

        The sandbox's file system is an allow-list (``_system_binds``, ``_python_binds``, the
        scratch folder); with a user namespace everyone in it is user nobody.  The fork
        server's socket is bound by the judge outside and handed over as a descriptor, so its
        folder is not mounted inside: no child can connect to the server."""
        project = _project()
        # Later mounts lie on top of earlier ones: /tmp first, then what lives under it.
        binds = _python_binds(project)
        args = ["bwrap", *(USERNS if self.userns else []), *_system_binds(),
                "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", *binds,
                "--bind", self.scratch_root, self.scratch_root,
                "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid", "--unshare-cgroup-try",
                "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--chdir", "/"]
        bound = [binds[i + 1] for i in range(len(binds) - 1) if binds[i] == "--ro-bind"]
        for path in dict.fromkeys(_default_hidden() + hidden_paths()):  # inside a bound folder: hide it too
            inside = any(path == b or path.startswith(b + os.sep) for b in bound)
            if os.path.isdir(path) and inside and not self.scratch_root.startswith(path):
                args += ["--tmpfs", path]
        args += ["--", sys.executable]
        wrapper = os.path.join(tempdirs.folder("grade-bwrap-"), "python")
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in args) + ' "$@"\n')
        os.chmod(wrapper, 0o755)
        return wrapper

    def warm_up(self, keras: bool = True) -> None:
        """Start the fork server now (inside bubblewrap where available), so its
        imports overlap with the judge's own.

        ``keras=False`` (a numpy-only exercise): a server started now goes without Keras, in a fraction of
        a second and without a second copy of TensorFlow.  A child that needs Keras later replaces such a
        server by one that preloads it (its children are done by then: one submission is graded at a time
        in a process), and a server with Keras serves every child."""
        with self._kind(keras):  # (keeping both kinds: this kind's own server, started if it is not running)
            self._warm_up(keras)

    def _warm_up(self, keras: bool) -> None:
        from multiprocessing import forkserver, spawn
        ctx = self.context()
        both = self._by_kind is not None
        if keras and not both and not self._server_keras and _running(forkserver_pid()):
            self._stop_server()
        if not _running(forkserver_pid()):  # (re)started below, with what the children to come need (looked
            # at again: a server that could not be stopped keeps serving, and is still known as without Keras)
            if not both:
                self._server_keras = keras
            ctx.set_forkserver_preload(SERVER_PRELOAD[keras])
        # The server inherits this stderr and environment: keep TensorFlow's start-up chatter off the terminal.
        from grader.core import startup
        startup.environment()
        real = spawn.get_executable()
        if self.bwrap:  # used only if ensure_running (re)starts the server: first time, or after a child killed it
            self._wrapper = self._wrapper or self._bwrap_executable()
            spawn.set_executable(self._wrapper)
        try:
            with main_hidden(), quiet_stderr(), secrets_hidden(), cpu_only_environment(), _no_judge_ceiling():
                forkserver.ensure_running()
        finally:
            spawn.set_executable(real)
        self._limit_processes(forkserver_pid())

    def _limit_processes(self, server_pid: int | None) -> None:
        """Put the fork server (and so every child) in a pids cgroup, so that a fork
        bomb hits a wall at MAX_TASKS instead of exhausting the machine's pids."""
        if server_pid in self._limited_servers or not server_pid or not os.access(PIDS_CGROUP, os.W_OK):
            return
        path = self._cgroup or os.path.join(PIDS_CGROUP, f"grade-{os.getpid()}")
        try:
            if not self._cgroup:
                os.makedirs(path, exist_ok=True)
                with open(os.path.join(path, "pids.max"), "w") as f:
                    f.write(str(MAX_TASKS))
                import atexit
                atexit.register(_remove_cgroup, path)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and len(_descendants(server_pid)) < (3 if self.bwrap else 1):
                time.sleep(0.02)  # bubblewrap's processes and the server itself are still starting
            for pid in _descendants(server_pid):
                with open(os.path.join(path, "cgroup.procs"), "w") as f:
                    f.write(str(pid))
            self._cgroup = path
            self._limited_servers.add(server_pid)
            self.pids_capped = True
        except OSError:
            return

    def _stop_server(self) -> None:
        """Kill the fork server and reap it, so that the next ``ensure_running`` starts a fresh one at once
        (multiprocessing's own stop closes the server's "alive" pipe and waits for it)."""
        from multiprocessing import forkserver
        self.kill_server()
        try:
            forkserver._forkserver._stop()
        except Exception:  # noqa: BLE001 -- a private method that may change: ensure_running reaps it later
            pass

    def kill_server(self, keras: bool | None = None) -> None:
        """Kill the fork server (with bubblewrap, its PID namespace and every child in
        it); the next child starts a fresh one.  Keeping both kinds (``keep_both_kinds``): the server for
        children that need Keras (``keras``), or both (None)."""
        kinds = [None] if self._by_kind is None or keras is not None else [True, False]
        for kind in kinds:
            with self._kind(keras if kind is None else kind):
                pid = forkserver_pid()
                if pid:
                    for p in reversed(_descendants(pid)):
                        try:
                            os.kill(p, signal.SIGKILL)
                        except OSError:
                            pass

    def shutdown(self) -> None:
        self.kill_server()

    def host_pid(self, ns_pid: int) -> int:
        """The pid, as this process sees it, of a child that multiprocessing knows
        by its pid inside bubblewrap's PID namespace (the same number without it)."""
        server = forkserver_pid()
        if not (self.bwrap and server):
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

    # ------------------------------------------------------------ children
    def start(self, job: dict) -> "LinuxChild":
        keras = job.get("keras", True) or (self._by_kind is not None and self.all_from_keras)
        for attempt in range(2):
            self.warm_up(keras=keras)  # (re)starts the server inside bubblewrap if a child killed it
            ctx = self.context()
            parent, child = ctx.Pipe()
            out_r, out_w = ctx.Pipe(duplex=False)
            job = {**job, "confinement": self.confinement()}
            proc = ctx.Process(target=_child_entry, args=(child, out_w, job, self.drop_uid), daemon=True)
            try:
                with self._kind(keras), main_hidden(), _cwd(self.scratch_root):  # the child chdirs to the
                    proc.start()  # judge's cwd: one it can see
                break
            except Exception:  # noqa: BLE001 -- a server left unusable by an earlier child: start afresh
                for c in (parent, child, out_r, out_w):
                    c.close()
                self.kill_server(keras)
                time.sleep(0.5)
                if attempt:
                    raise StudentError(_("the grader could not start a fresh process for your code after an earlier "
                                         "check damaged it"),
                                       hint=_("Do not kill processes or fork in a loop.")) from None
        child.close()
        out_w.close()
        fd = os.dup(parent.fileno())
        parent.close()
        out_fd = os.dup(out_r.fileno())
        out_r.close()
        with self._kind(keras):
            pid = self.host_pid(proc.pid)
        return LinuxChild(self, proc, pid, wire.FdChannel(fd), OutputSink(out_fd), keras)

    def confinement(self) -> dict:
        """What a child checks about itself before it loads a submission: multiprocessing
        restarts a dead fork server on its own, outside bubblewrap, and such a child must
        refuse to run student code."""
        if not self.bwrap:
            return {}
        return {"uid": NOBODY if self.userns else None, "absent": _default_hidden()}


class LinuxChild(Child):
    def __init__(self, backend: LinuxBackend, proc, pid: int, channel, output, keras: bool = True):
        self.backend, self.proc, self.pid, self.channel, self.output = backend, proc, pid, channel, output
        self.keras = keras  # forked from the server for children that need Keras (which one, keeping both kinds)
        self._rss: GroupRss | None = None

    def rss(self) -> int:
        if self.pid <= 1:
            return 0
        if self._rss is None or self._rss.pgid != self.pid:
            self._rss = GroupRss(self.pid)
        return self._rss()

    def kill(self) -> None:
        if self.pid <= 1:  # lost track of it: take the whole server (and its namespace) down
            self.backend.kill_server(self.keras)
        for _i in range(20):  # again and again: a fork bomb keeps adding to the group
            try:
                if self.pid > 1:
                    os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.01)
        if getattr(self.proc, "_popen", None) is not None:
            self.proc.join(5)
        if self.proc.exitcode is None:  # never let multiprocessing wait for it at exit
            self.backend.kill_server(self.keras)
            mp.process._children.discard(self.proc)

    def wait(self, timeout: float) -> int | None:
        self.proc.join(timeout)
        return self.proc.exitcode


def _child_entry(conn, out, job: dict, drop_uid: bool) -> None:
    """In the forked child: the protocol on descriptor 100, output to the judge's pipe."""
    from grader.core.child import run_job
    fd = os.dup(conn.fileno())
    os.dup2(fd, 100)  # a high descriptor: stays open if student code closes 3..99
    os.close(fd)
    conn.close()
    os.dup2(out.fileno(), 1)
    os.dup2(out.fileno(), 2)
    out.close()
    # Nothing inherited from the server (its listener, its resource tracker) stays open.
    os.closerange(3, 100)
    os.closerange(101, 65536)
    _die_with_parent()  # the server's death (the grader's) ends this child too
    if job.get("keras", True) and "keras" not in sys.modules:  # a server without Keras (warm_up): before the
        from grader.core.heap import import_frozen  # submission's time starts, as the server would have
        import_frozen("keras")
    try:
        run_job(wire.FdChannel(100), job, posix_limits=True, drop_uid=drop_uid)
    finally:
        os._exit(0)


@contextlib.contextmanager
def _cwd(path: str):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _die_with_parent() -> None:
    import ctypes
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


BACKEND = LinuxBackend
