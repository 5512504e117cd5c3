"""The warm grader (grader/front/warm.py, grader/front/serverlink.py, `grade daemon`): a grade answered by the
background server is the grade of a cold run -- the same report, the same output, the same exit status -- and the
server lives and dies as the README says, reachable by its user only.

Every test here runs with GRADE_DAEMON=1 and a private folder of its own (GRADE_DAEMON_DIR; the rest of the suite
runs with GRADE_DAEMON=0, tests/conftest.py), and every server it starts is stopped when the module ends.  The
in-process clients share one server for the whole module (it is started once: the first grade)."""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SUBMISSIONS, solution_file, stub_file
from grader.core.outcome import Status
from grader.front import serverlink, warm

pytestmark = pytest.mark.xdist_group("daemon")  # one worker: the module's server is started once

GRADE = str(Path(sys.executable).with_name("grade"))
HOSTILE = Path(__file__).resolve().parent / "hostile"


# ------------------------------------------------------------------ fixtures: a private folder, servers stopped
def _stop_every_server(folder: Path) -> None:
    """End every server whose files are in ``folder`` (asked first, then killed), and wait for their locks."""
    env_before = os.environ.get("GRADE_DAEMON_DIR")
    os.environ["GRADE_DAEMON_DIR"] = str(folder)
    try:
        from grader.front import daemon
        daemon.stop_all(wait=10.0)
    finally:
        if env_before is None:
            os.environ.pop("GRADE_DAEMON_DIR", None)
        else:
            os.environ["GRADE_DAEMON_DIR"] = env_before
    import psutil
    for _path, data in serverlink.servers(folder):
        pid = data.get("pid")
        try:
            proc = psutil.Process(pid)
            if abs(proc.create_time() - data.get("created", 0)) < 1:
                proc.kill()
        except (psutil.Error, TypeError, ValueError):
            pass
    for lock in folder.glob("*.lock"):
        deadline = time.monotonic() + 10
        while serverlink.Lock.held(lock) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not serverlink.Lock.held(lock), f"a server in {folder} did not end"


class Folder:
    """A private folder (mode 0700; short, for the Unix socket's path) for servers, GRADE_DAEMON=1 inside."""

    def __init__(self, **env):
        self.path = Path(tempfile.mkdtemp(prefix="gd-"))
        self.env = {"GRADE_DAEMON": "1", "GRADE_DAEMON_DIR": str(self.path), **env}
        self.saved: dict = {}

    def __enter__(self):
        for k, v in self.env.items():
            self.saved[k] = os.environ.get(k)
            os.environ[k] = v
        return self

    def __exit__(self, *exc):
        try:
            _stop_every_server(self.path)
        finally:
            for k, v in self.saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            shutil.rmtree(self.path, ignore_errors=True)

    def command_env(self, **more) -> dict:
        return {**os.environ, **self.env, **more}


@pytest.fixture(scope="module")
def folder():
    with Folder() as f:
        yield f


def _server_pid(folder: Folder, sandbox: str | None = None) -> int | None:
    info = serverlink.read_rendezvous(serverlink.identity(sandbox, folder.path))
    return info.get("pid") if info else None


# ------------------------------------------------------------------ the same grade, warm and cold
def _render(report) -> str:
    from rich.console import Console

    from grader.front.render import print_report
    out = io.StringIO()
    print_report(report, Console(file=out, width=110, color_system=None, force_terminal=False))
    return out.getvalue()


def _warm_report(ex_id: str, path: Path, *, solution: bool = False, on_check=None):
    from grader.front.cli import _child_needs_keras
    keras = _child_needs_keras(ex_id, path)
    request = warm.grade_request(ex_id, path=str(path), block_solutions=not solution, server_keras=keras)
    run = warm.open_run(request, server_keras=keras)
    return run, run.report(on_check=on_check)


def _cold_report(ex_id: str, path: Path, *, solution: bool = False):
    from grader import checks
    from grader.front.submission import Submission
    return Submission.load(path).grade(checks.get(ex_id), seed=0, hidden=False, timeout=None, memory_mb=None,
                                       block_solutions=not solution)


def _sample_of_submissions() -> list[Path]:
    """One submission of each exercise's folder (the last by name: most are mutants that fail a check), so that
    the comparison costs about one cold grade of each (two per exercise took 8 minutes on a loaded machine)."""
    out = []
    for ex_dir in sorted(p for p in SUBMISSIONS.iterdir() if p.is_dir()):
        files = sorted(p for p in ex_dir.iterdir() if p.suffix in (".py", ".ipynb"))
        out += files[-1:]
    return out


def _cases() -> list[tuple[str, Path, bool]]:
    from grader import checks
    from grader.front import options
    cases = []
    for key in checks.module_names():
        ex_id, module = options.exercise(key)
        cases += [(ex_id, solution_file(module), True), (ex_id, stub_file(module), False)]
    for path in _sample_of_submissions():
        cases.append((path.parent.name, path, False))
    return cases


def test_warm_reports_are_the_cold_reports(folder, grade):
    """Every reference, every stub and a submission of each exercise: the server's report is the report of
    a grade in this process, check by check (status, points, message, hint, mistake), and prints the same text.
    One server answers all of them (its pid does not change), and no grade waits for Keras."""
    pids = set()
    mismatches = []
    for ex_id, path, solution in _cases():
        seen = []
        run, warm_report = _warm_report(ex_id, path, solution=solution, on_check=lambda c: seen.append(c.name))
        cold = _cold_report(ex_id, path, solution=solution)
        pids.add(_server_pid(folder))
        label = f"{ex_id} {path.relative_to(ROOT)}"
        assert run.n == len(cold.checks), label
        assert seen == [c.name for c in cold.checks], label  # the progress, check by check
        if warm_report.to_dict() != cold.to_dict() or _render(warm_report) != _render(cold):
            mismatches.append((label, _render(warm_report), _render(cold)))
        if solution:
            assert cold.passed, label
    assert not mismatches, mismatches[0]
    assert len(pids) == 1 and None not in pids


def test_the_command_prints_what_a_cold_run_prints(folder):
    """`grade` as a command, through the server and with GRADE_DAEMON=0 / --no-daemon: the same bytes on stdout
    and the same exit status, for a table that passes, one that does not, and --json."""
    cases = [["ex01", "--solution"], ["ex03", "--file", str(stub_file("ex03_conv_stack"))],
             ["ex02", "--file", str(sorted((SUBMISSIONS / "ex02").glob("*.py"))[0]), "--json"]]
    for argv in cases:
        warm_runs = [subprocess.run([GRADE, *argv], capture_output=True, text=True, env=folder.command_env(),
                                    cwd=ROOT, timeout=600) for _ in range(2)]  # the first starts a server
        cold = subprocess.run([GRADE, *argv], capture_output=True, text=True, timeout=600,
                              env=folder.command_env(GRADE_DAEMON="0"), cwd=ROOT)
        flag = subprocess.run([GRADE, *argv, "--no-daemon"], capture_output=True, text=True, timeout=600,
                              env=folder.command_env(), cwd=ROOT)
        assert cold.stdout.strip(), argv
        for run in (*warm_runs, flag):
            assert (run.returncode, run.stdout) == (cold.returncode, cold.stdout), argv
    assert any(d.get("transport") == "unix" for _p, d in serverlink.servers(folder.path))


def test_two_clients_at_once(folder, grade):
    """Two terminals grade at the same time: each gets its own exercise's report."""
    jobs = {"ex01": solution_file("ex01_conv_arithmetic"), "ex02": stub_file("ex02_activations_init")}
    results: dict = {}

    def one(ex_id):
        results[ex_id] = _warm_report(ex_id, jobs[ex_id], solution=ex_id == "ex01")[1]
    threads = [threading.Thread(target=one, args=(e,)) for e in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert results["ex01"].passed and results["ex01"].exercise == "ex01"
    assert results["ex02"].exercise == "ex02"
    assert results["ex02"].to_dict() == _cold_report("ex02", jobs["ex02"]).to_dict()
    assert not results["ex02"].passed


def test_a_crashing_or_hanging_submission_costs_only_its_grade(folder, grade):
    """A submission that kills its parent, or never returns, gets the verdict of a cold run; the server that
    graded it keeps serving (same pid), and the next grade is right."""
    _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    pid = _server_pid(folder)
    for name in ("kill_parent.py", "os_exit_in_function.py"):
        _run, report = _warm_report("ex01", HOSTILE / name)
        cold = _cold_report("ex01", HOSTILE / name)
        assert [(c.name, c.status) for c in report.checks] == [(c.name, c.status) for c in cold.checks], name
    from grader.front.cli import _child_needs_keras
    request = warm.grade_request("ex01", path=str(HOSTILE / "infinite_loop.py"), timeout=3,
                                 server_keras=_child_needs_keras("ex01", HOSTILE / "infinite_loop.py"))
    report = warm.open_run(request).report()
    assert report.by_name("length_valid").status is Status.TIMEOUT
    assert "did not finish within 3 s" in report.by_name("length_valid").message
    assert _server_pid(folder) == pid
    assert _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)[1].passed


def _answered_from_reports(folder: Folder) -> int:
    """Grades that the servers of ``folder`` answered with a kept report (their logs say so)."""
    return sum(log.read_text().count("as a grade before: its report") for log in folder.path.glob("*.log"))


def test_a_file_graded_again_unchanged_is_answered_from_its_report(folder, grade, tmp_path):
    """The same file with the same options again: the report of its last grade, the same as a cold run's, without
    running the code.  After an edit it is graded again (the edit shows); a report with a TIMEOUT is not kept."""
    mutant = tmp_path / "ex01_mine.py"
    mutant.write_text((SUBMISSIONS / "ex01" / "mutant_forgot_bias.py").read_text(encoding="utf-8"), encoding="utf-8")
    first = _warm_report("ex01", mutant)[1]
    before = _answered_from_reports(folder)
    seen = []
    again = _warm_report("ex01", mutant, on_check=lambda c: seen.append(c.name))[1]
    assert _answered_from_reports(folder) == before + 1
    cold = _cold_report("ex01", mutant)
    assert again.to_dict() == first.to_dict() == cold.to_dict() and not cold.passed
    assert seen == [c.name for c in cold.checks]  # the progress too
    mutant.write_text(solution_file("ex01_conv_arithmetic").read_text(encoding="utf-8") + "# edited\n")
    edited = _warm_report("ex01", mutant)[1]
    assert _answered_from_reports(folder) == before + 1 and edited.passed
    from grader.front.cli import _child_needs_keras
    loop = HOSTILE / "infinite_loop.py"
    request = warm.grade_request("ex01", path=str(loop), timeout=2, server_keras=_child_needs_keras("ex01", loop))
    for _ in range(2):
        assert warm.open_run(request).report().by_name("length_valid").status is Status.TIMEOUT
    assert _answered_from_reports(folder) == before + 1


def test_a_reports_key_is_what_the_grade_depends_on(tmp_path):
    """The key of a kept report: the submission's text, every option of the request, the language, and the
    exercises' folder (a submission may import another exercise's file)."""
    from types import SimpleNamespace

    from grader.front.submission import Submission
    (tmp_path / "exercises").mkdir()
    helper = tmp_path / "exercises" / "ex04_parameter_efficiency.py"
    helper.write_text("def vgg_block(x): return x\n")
    server = SimpleNamespace(ident=SimpleNamespace(root=str(tmp_path)))
    request = warm.grade_request("ex05", path="ex05.py")

    def key(sub=None, **change):
        return warm.Server._report_key(server, {**request, **change}, sub or Submission("ex05.py", "x = 1\n"), "linux")
    k = key()
    assert key() == k
    others = [key(Submission("ex05.py", "x = 2\n")), key(Submission("ex05.py", "x = 1\n", ["a note"])),
              key(seed=1), key(hidden=True), key(timeout=5.0), key(memory_mb=512), key(block_solutions=False),
              key(only=["a"]), key(server_keras=False), key(lang="ko"), key(exercise="ex04"), key(path="other.py")]
    assert len({k, *others}) == len(others) + 1
    assert warm.Server._report_key(server, request, Submission("ex05.py", "x = 1\n"), "portable") != k
    helper.write_text("def vgg_block(x): return x + 1\n")
    assert key() != k
    assert warm.Server._report_key(server, request, Submission.missing("ex05.py", "no file"), "linux") is None


def test_kill_9_then_the_next_grade_starts_a_fresh_server(folder, grade):
    _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    pid = _server_pid(folder)
    os.kill(pid, signal.SIGKILL)
    _run, report = _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    assert report.passed
    assert _server_pid(folder) not in (None, pid)


def test_a_server_killed_during_a_grade_is_answered_cold_and_replaced():
    """The server dies in the middle of a grade: the command prints what a cold run prints (once) with the same
    exit status, and the next grade has a server again."""
    with Folder() as f:
        argv = [GRADE, "ex01", "--file", str(HOSTILE / "infinite_loop.py"), "--timeout", "4"]
        env = f.command_env()
        first = subprocess.run([GRADE, "ex01", "--solution"], capture_output=True, env=env, cwd=ROOT, timeout=600)
        assert first.returncode == 0
        (_path, data), = serverlink.servers(f.path)
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        time.sleep(2.0)  # inside the 4 s the submission spends in its loop
        os.kill(data["pid"], signal.SIGKILL)
        out, _err = proc.communicate(timeout=600)
        cold = subprocess.run(argv + ["--no-daemon"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
        assert (proc.returncode, out) == (cold.returncode, cold.stdout)
        assert out.count("Grading ") == 1
        again = subprocess.run([GRADE, "ex01", "--solution"], capture_output=True, text=True, env=env, cwd=ROOT,
                               timeout=600)
        assert again.returncode == 0
        (_path, now), = serverlink.servers(f.path)
        assert now["pid"] != data["pid"]


def test_the_server_is_replaced_when_the_course_changes(folder, grade):
    """A file added to the checkout's solutions/ changes the fingerprint: the next grade is answered by a fresh
    server (and is right)."""
    _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    pid = _server_pid(folder)
    probe = ROOT / "solutions" / "daemon_probe_test.txt"
    try:
        probe.write_text("a change of the course\n")
        _run, report = _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    finally:
        probe.unlink()
    assert report.passed
    assert _server_pid(folder) not in (None, pid)
    log = serverlink.identity(None, folder.path).log.read_text()
    assert "changed: replaced" in log and "refusing to serve" not in log  # its successor took over


def test_check_outside_a_notebook_is_answered_by_the_server(tmp_path):
    """`check()` in a script (no notebook kernel) goes through the server: it prints what it prints with
    GRADE_DAEMON=0, and the script's process never imports Keras."""
    script = tmp_path / "my_ex01.py"
    script.write_text(solution_file("ex01_conv_arithmetic").read_text(encoding="utf-8")
                      + "\n\ndef conv_param_count(*args, **kwargs):\n    return 0\n\n"
                      "from grader.notebook import check\ncheck('ex01')\ncheck('ex01', 'conv_output_length')\n"
                      "import sys\nprint('keras imported:', 'keras' in sys.modules)\n")
    with Folder() as f:
        runs = [subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=f.command_env(),
                               cwd=tmp_path, timeout=600) for _ in range(2)]
        cold = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path,
                              env=f.command_env(GRADE_DAEMON="0"), timeout=600)
        assert cold.stdout.rstrip().endswith("keras imported: True")
        assert "FAIL" in cold.stdout and "PASS" in cold.stdout
        for run in runs:
            assert run.stdout.rstrip().endswith("keras imported: False"), run.stdout + run.stderr
            assert run.stdout.rsplit("keras imported", 1)[0] == cold.stdout.rsplit("keras imported", 1)[0]
        assert "graded ex01" in next(f.path.glob("*.log")).read_text()


def test_fingerprint_sees_the_course_and_the_environment(tmp_path):
    (tmp_path / "grader").mkdir()
    (tmp_path / "grader" / "a.py").write_text("x = 1\n")
    before = warm.fingerprint(str(tmp_path))
    assert warm.fingerprint(str(tmp_path)) == before
    (tmp_path / "grader" / "a.py").write_text("x = 22\n")
    assert warm.fingerprint(str(tmp_path)) != before
    changed = warm.fingerprint(str(tmp_path))
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "d.npz").write_bytes(b"0")
    assert warm.fingerprint(str(tmp_path)) != changed


def test_a_changed_state_is_seen():
    before = warm.State.now()
    assert warm.State.differences(before, warm.State.now()) == []
    os.environ["DAEMON_TEST_POISON"] = "1"
    try:
        assert warm.State.differences(before, warm.State.now()) == ["environ"]
    finally:
        del os.environ["DAEMON_TEST_POISON"]


def test_the_server_exits_when_idle():
    with Folder(GRADE_DAEMON_IDLE="3") as f:
        run = subprocess.run([GRADE, "ex01", "--solution"], capture_output=True, text=True, env=f.command_env(),
                             cwd=ROOT, timeout=600)
        assert run.returncode == 0
        locks = list(f.path.glob("*.lock"))
        assert len(locks) == 1
        deadline = time.monotonic() + 30
        while serverlink.Lock.held(locks[0]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not serverlink.Lock.held(locks[0])
        assert not list(f.path.glob("*.sock")) and not list(f.path.glob("*.json"))
        assert "idle for 3 s" in next(f.path.glob("*.log")).read_text()


# ------------------------------------------------------------------ who may reach it
def test_socket_and_folder_are_private(folder, grade):
    _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    ident = serverlink.identity(None, folder.path)
    assert os.stat(folder.path).st_mode & 0o777 == 0o700
    for path in (ident.socket_path, ident.rendezvous, ident.log):
        assert os.stat(path).st_mode & 0o777 == 0o600, path


def test_a_folder_others_can_enter_means_no_server(tmp_path):
    """GRADE_DAEMON_DIR open to others: no server is started, and `grade` grades in its own process."""
    open_folder = Path(tempfile.mkdtemp(prefix="gd-"))
    try:
        os.chmod(open_folder, 0o755)
        env = {**os.environ, "GRADE_DAEMON": "1", "GRADE_DAEMON_DIR": str(open_folder)}
        run = subprocess.run([GRADE, "ex01", "--solution"], capture_output=True, text=True, env=env, cwd=ROOT,
                             timeout=600)
        assert run.returncode == 0 and "All checks passed" in run.stdout
        assert list(open_folder.iterdir()) == []
    finally:
        shutil.rmtree(open_folder, ignore_errors=True)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to act as another user")
def test_another_user_cannot_connect(folder, grade):
    _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    ident = serverlink.identity(None, folder.path)
    probe = ("import socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect(sys.argv[1])\n"
             "except OSError as e:\n    print(type(e).__name__)\nelse:\n    print('connected')\n")
    python = shutil.which("python3", path="/usr/bin:/usr/local/bin:/bin") or sys.executable  # (one `nobody` may run)
    run = subprocess.run([python, "-c", probe, str(ident.socket_path)], capture_output=True, text=True,
                         user=65534, group=65534, timeout=60, cwd="/")
    assert run.stdout.strip() == "PermissionError", run.stdout + run.stderr


def test_no_token_no_answer(folder, grade):
    """A client that cannot prove it holds the token is told nothing (its request is never read)."""
    _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    ident = serverlink.identity(None, folder.path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(ident.socket_path))
    link = serverlink.Link(sock)
    with pytest.raises(ConnectionError):
        link.prove_client(b"\0" * 32)  # the wrong token: the server closes
    link.close()
    with pytest.raises(serverlink.Unreachable):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(str(ident.socket_path))
        link = serverlink.Link(sock)
        hello = link.recv(5)
        link.send({"op": "status"})  # no proof: the server closes without an answer
        try:
            link.recv(5)
        except (ConnectionError, OSError) as e:
            raise serverlink.Unreachable(str(e)) from None
        finally:
            link.close()
    assert hello.get("hello") == serverlink.PROTOCOL


def test_it_serves_one_checkout(folder, grade):
    """A request for another checkout (its root, or another server's key) is refused."""
    _warm_report("ex01", solution_file("ex01_conv_arithmetic"), solution=True)
    ident = serverlink.identity(None, folder.path)
    for change in ({"root": "/elsewhere/course"}, {"key": "0" * 20}):
        link = serverlink.connect(ident)
        request = {**warm.grade_request("ex01", path=str(solution_file("ex01_conv_arithmetic"))),
                   "key": ident.key, "root": ident.root, "anchor": 0, "cwd": str(ROOT), **change}
        link.send(request)
        reply = link.recv(30)
        while reply.get("event") == "alive":
            reply = link.recv(30)
        link.close()
        assert reply["event"] == "refused" and "serves" in reply["reason"], reply


def test_the_windows_transport_loopback_and_token():
    """GRADE_DAEMON_TRANSPORT=tcp (what Windows uses): 127.0.0.1 on a port of the system's choice, the token in a
    0600 rendezvous, no Unix socket; the grade is the cold one; a connection without the token is refused."""
    with Folder(GRADE_DAEMON_TRANSPORT="tcp") as f:
        argv = [GRADE, "ex01", "--solution"]
        runs = [subprocess.run(argv, capture_output=True, text=True, env=f.command_env(), cwd=ROOT, timeout=600)
                for _ in range(2)]
        cold = subprocess.run(argv + ["--no-daemon"], capture_output=True, text=True, env=f.command_env(), cwd=ROOT,
                              timeout=600)
        for run in runs:
            assert (run.returncode, run.stdout) == (cold.returncode, cold.stdout)
        (path, data), = serverlink.servers(f.path)
        assert data["transport"] == "tcp" and isinstance(data["port"], int)
        assert os.stat(path).st_mode & 0o777 == 0o600
        assert not list(f.path.glob("*.sock"))
        sock = socket.create_connection(("127.0.0.1", data["port"]), timeout=5)
        link = serverlink.Link(sock)
        link.recv(5)  # the server's challenge
        link.send({"mac": "0" * 64, "nonce": "0" * 64})
        with pytest.raises((ConnectionError, OSError)):
            link.recv(5)
        link.close()
        status = subprocess.run([GRADE, "daemon", "status"], capture_output=True, text=True, env=f.command_env(),
                                timeout=60)
        assert "127.0.0.1:" in status.stdout and "(tcp)" in status.stdout
        stop = subprocess.run([GRADE, "daemon", "stop"], capture_output=True, text=True, env=f.command_env(),
                              timeout=60)
        assert stop.returncode == 0 and "1" in stop.stdout
        assert not serverlink.servers(f.path)


# ------------------------------------------------------------------ memory after 200 grades
@pytest.mark.slow
def test_memory_after_200_grades_stays_under_the_bound():
    """200 grades (references and stubs of the numpy and the Keras exercises, in turn, each file a little different
    from the last, so that every grade runs: none is answered from a kept report): the server's resident memory
    after them is below MAX_RSS_MB, and grows by less than 300 MB over the last 150."""
    work = Path(tempfile.mkdtemp(prefix="gd-200-"))
    cases = [("ex01", solution_file("ex01_conv_arithmetic")), ("ex03", stub_file("ex03_conv_stack")),
             ("ex02", solution_file("ex02_padding_stride")), ("ex07", stub_file("ex07_rnn"))]
    try:
        with Folder() as f:
            marks = []
            for i in range(200):
                ex_id, source = cases[i % len(cases)]
                mine = work / source.name
                mine.write_text(source.read_text(encoding="utf-8") + f"\n# grade {i}\n", encoding="utf-8")
                run = subprocess.run([GRADE, ex_id, "--file", str(mine)], capture_output=True, env=f.command_env(),
                                     cwd=ROOT, timeout=600)
                assert run.returncode in (0, 1)
                if i in (49, 199):
                    status = json.loads(json.dumps(warm.ask(serverlink.Identity(
                        *_only_server(f)), "status")))
                    marks.append(status["rss_mb"])
            assert status["grades"] == 200 and status["reports"] <= warm.REPORTS
            assert _answered_from_reports(f) == 0
            assert marks[1] < warm.MAX_RSS_MB
            assert marks[1] - marks[0] < 300, marks
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _only_server(f: Folder):
    (_path, d), = serverlink.servers(f.path)
    return d["root"], d["sandbox"], d["key"], f.path
