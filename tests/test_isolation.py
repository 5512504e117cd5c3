"""The isolation backends: the portable one (macOS, Windows; forced here with
GRADER_SANDBOX=portable) grades every reference and stub as the Linux one does,
gives the hostile corpus typed outcomes, captures output without ever failing a
write, and nothing Unix-only is imported at load on its path."""
from __future__ import annotations

import ast
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.front import batch
from grader.front.results import read_results
from grader import checks
from grader.core import isolation, wire
from grader.core.outcome import Status

from conftest import ROOT, solution_file, stub_file
from machine_load import MachineLoad

HOSTILE = ROOT / "tests" / "hostile"
UNIX_ONLY = ("resource", "fcntl", "pwd", "grp", "termios")
EXERCISES = sorted(checks.module_names().items())


@pytest.fixture
def portable(grade, monkeypatch):
    """Grade with the portable backend in this process (and in batch workers, through the environment)."""
    monkeypatch.setenv(isolation.ENV, "portable")
    isolation.backend().keep_warm()
    yield grade


# ------------------------------------------------------------------ the code itself

def test_nothing_unix_only_is_imported_at_module_load():
    """Windows has none of these modules: only the Linux backend may import them at load."""
    offenders = []
    for path in sorted((ROOT / "grader").rglob("*.py")):
        if path.name == "linux.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # top level only; imports inside functions run only where they are called
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names
                          if n.split(".")[0] in UNIX_ONLY]
    assert not offenders, offenders


def test_the_portable_path_imports_without_unix_modules():
    """As on Windows: with resource, fcntl, pwd, grp and termios missing, the front ends,
    the session and the portable backend still import and choose the backend."""
    code = ("import sys\n"
            f"for m in {UNIX_ONLY!r}: sys.modules[m] = None\n"
            "import grader.front.cli, grader.core.engine, grader.core.session, grader.core.child, grader.front.batch, grader.notebook\n"
            "import grader.core.isolation.portable as p\n"
            "from grader.core import isolation\n"
            "isolation.choose('portable'); print(type(isolation.backend()).__name__)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "PortableBackend"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork server backend is Linux's")
def test_the_one_private_multiprocessing_name_still_works():
    """multiprocessing has no public name for its fork server's pid: forkserver_pid() reads
    the private one, and this test says when a Python version moves it."""
    import psutil

    from grader.core.isolation import linux
    from grader.core.session import warm_up
    os.environ.pop(isolation.ENV, None)
    warm_up()
    pid = linux.forkserver_pid()
    assert isinstance(pid, int) and psutil.pid_exists(pid)
    assert psutil.Process(pid).ppid() == os.getpid()


def test_output_sink_keeps_head_and_tail_and_never_blocks_the_writer():
    r, w = os.pipe()
    sink = isolation.OutputSink(r, keep=1000)
    data = b"HEAD" + b"x" * 5_000_000 + b"TAIL"
    view = memoryview(data)
    while view:
        view = view[os.write(w, view):]
    os.close(w)
    sink.close()
    assert sink.total == len(data)
    text = sink.text()
    assert text.startswith("HEAD") and text.endswith("TAIL") and "\n...\n" in text
    assert sink.dropped == len(data) - 2000


@pytest.mark.skipif(os.name != "posix", reason="writes raw bytes on the pipe's descriptor")
def test_a_child_that_sends_half_a_message_cannot_block_the_judge():
    """The Connection's own frame says 100 bytes and 10 arrive: the judge's deadline still holds."""
    import struct
    parent, child = mp.Pipe()
    chan = wire.ConnChannel(parent, threaded=True)
    os.write(child.fileno(), struct.pack("!i", 100) + b"x" * 10)
    start = time.monotonic()
    with pytest.raises(wire.WireTimeout):
        chan.recv(deadline=time.monotonic() + 1.0)
    assert time.monotonic() - start < 5
    child.close()  # the child is killed: the pipe closes and the judge sees it gone
    with pytest.raises(wire.WireError):
        chan.recv(deadline=time.monotonic() + 5)


def test_a_garbled_message_is_a_wire_error_not_a_crash():
    parent, child = mp.Pipe()
    chan = wire.ConnChannel(parent, threaded=True)
    child.send_bytes(b"\x00\x00")  # shorter than a frame header
    with pytest.raises(wire.WireError, match="unreadable"):
        chan.recv(deadline=time.monotonic() + 5)
    child.send_bytes(wire.encode_message({"status": "ok"}, [1, 2]))
    assert chan.recv(deadline=time.monotonic() + 5) == ({"status": "ok", "value": [1, 2], "blobs": 0}, [1, 2])


# ------------------------------------------------------------------ output is capped, never fatal

def _loud_solution(tmp_path: Path) -> Path:
    path = tmp_path / "loud.py"
    path.write_text(solution_file("ex01_conv_arithmetic").read_text() +
                    "\nimport sys\nfor _ in range(200):\n    sys.stdout.write('x' * (2**20 - 1) + '\\n')\n")
    return path


@pytest.mark.parametrize("backend", ["default", "portable"])
def test_a_correct_submission_that_prints_200_mb_scores_full_marks(grade, tmp_path, monkeypatch, backend):
    if backend == "portable":
        monkeypatch.setenv(isolation.ENV, "portable")
    report = grade("ex01", _loud_solution(tmp_path))
    assert report.score == report.max_score, [(c.name, c.status, c.message) for c in report.checks]
    note = next(n for n in report.notes if "printed" in n)
    assert "printed 200 MB" in note and "64 KB" in note


def test_a_correct_loud_submission_in_a_batch(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(_loud_solution(tmp_path), subs / "loud.py")
    assert batch.run_batch(["ex01"], subs, tmp_path / "out", jobs=1, seed=3) == 0
    r = read_results(tmp_path / "out" / "results.jsonl")[("loud", "ex01")]
    assert r["score"] == r["max_score"], r["checks"]
    assert any("printed 200 MB" in n for n in r["notes"])


# ------------------------------------------------------------------ the portable backend, end to end

@pytest.mark.parametrize("ex_id,module", EXERCISES, ids=[e for e, _m in EXERCISES])
def test_portable_references_full_and_stubs_not_attempted(portable, ex_id, module):
    ref = portable(ex_id, solution_file(module), hidden=True, seed=11, block_solutions=False)
    assert ref.score == ref.max_score, [(c.name, c.status.value, c.message) for c in ref.checks
                                        if c.status is not Status.PASS]
    assert any("portable sandbox" in n for n in ref.notes), ref.notes
    stub = portable(ex_id, stub_file(module))
    assert {c.status for c in stub.checks} == {Status.NOT_ATTEMPTED}, [(c.name, c.status, c.message)
                                                                        for c in stub.checks]


# hostile file -> (status of length_valid, words in its message, the most the file may score);
# files that need an OS feature this backend cannot have are skipped with the reason
PORTABLE_EXPECTED = {
    "infinite_loop": ("TIMEOUT", "time limit", 1),
    "sleep_forever": ("TIMEOUT", "importing your file", 0),
    "sigterm_ignored": ("TIMEOUT", "time limit", 0),
    "memory_bomb": ("OUT_OF_MEMORY", "memory", 1),
    "numpy_bomb": ("OUT_OF_MEMORY", "memory", 0),
    "recursion_bomb": ("ERROR", "recursed too deeply", 0),
    "sys_exit_at_import": ("ERROR", "sys.exit", 0),
    "os_exit_in_function": ("ERROR", "ended the grading process", 1),
    "delete_files": ("ERROR", "", 4),
    "forged_output": ("FAIL", "returned -1", 0),
    "forged_wire": ("ERROR", "unreadable message", 0),
    "patch_grader": ("FAIL", "returned -1", 0),
    "huge_stdout": ("FAIL", "returned -1", 0),
    # its threads spin on after each call; beside a spare child's Keras import (the portable backend
    # starts one between submissions) a later call may miss its 3 s: either outcome, never more points
    "lingering_thread": ("PASS|TIMEOUT", "time limit", 4),
    "nan_outputs": ("FAIL", "nan", 0),
    "wrong_types": ("FAIL", "str", 0),
    "syntax_error": ("ERROR", "SyntaxError", 0),
    "import_error": ("ERROR", "ModuleNotFoundError", 0),
    "missing_function": ("ERROR", "does not define conv_output_length", 0),
}
PORTABLE_CANNOT = {
    "fork_bomb": "the portable backend has no process-count cap (rlimits or a pids cgroup): a fork bomb "
                 "would exhaust this machine",
    "kill_parent": "the portable backend runs the child as the grader's own user without a PID namespace: "
                   "it can signal its grader (the Linux backend stops this)",
    "snoop": "the portable backend does not isolate the file system: the child can read what the grader's "
             "user can (the Linux backend hides it)",
}


@pytest.fixture(scope="session")  # built once per worker (conftest.py: SHARED_FIXTURES)
def portable_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("portable")
    subs = folder / "subs"
    subs.mkdir()
    for path in sorted(HOSTILE.glob("*.py")):
        if path.stem not in PORTABLE_CANNOT:
            shutil.copy(path, subs / f"h_{path.stem}.py")
    shutil.copy(solution_file("ex01_conv_arithmetic"), subs / "good.py")
    saved = os.environ.get(isolation.ENV)
    os.environ[isolation.ENV] = "portable"
    try:
        with MachineLoad() as load:
            assert batch.run_batch(["ex01"], subs, folder / "out", jobs=2, seed=7, timeout=3, memory_mb=512) == 0
    finally:
        if saved is None:
            os.environ.pop(isolation.ENV, None)
        else:
            os.environ[isolation.ENV] = saved
    results = {k[0]: v for k, v in read_results(folder / "out" / "results.jsonl").items()}
    results["load"] = str(load)  # in the message of a failure: how busy the machine was meanwhile
    return results


def test_every_hostile_file_is_listed():
    assert {p.stem for p in HOSTILE.glob("*.py")} == set(PORTABLE_EXPECTED) | set(PORTABLE_CANNOT)


@pytest.mark.parametrize("stem", sorted(set(PORTABLE_EXPECTED) | set(PORTABLE_CANNOT)))
def test_portable_hostile_corpus_in_a_batch(portable_batch, stem):
    if stem in PORTABLE_CANNOT:
        pytest.skip(PORTABLE_CANNOT[stem])
    status, words, most = PORTABLE_EXPECTED[stem]
    r = portable_batch[f"h_{stem}"]
    c = next(c for c in r["checks"] if c["name"] == "length_valid")
    assert c["status"] in status.split("|"), (c["status"], c["message"], portable_batch["load"])
    assert c["status"] == "PASS" or words.lower() in c["message"].lower(), (c["status"], c["message"])
    assert "internal grader error" not in c["message"]
    assert r["score"] <= most, r["score"]
    assert "portable" in r["isolation"]
    good = portable_batch["good"]
    assert good["score"] == good["max_score"]


def test_grade_cli_with_the_portable_sandbox():
    r = subprocess.run([str(Path(sys.executable).with_name("grade")), "ex01", "--solution", "--sandbox", "portable",
                        "--json"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    d = json.loads(r.stdout)
    assert d["score"] == d["max_score"]
    assert any("portable sandbox" in n for n in d["notes"])


# ------------------------------------------------------------------ numpy-only exercises
def test_a_numpy_only_exercise_gets_a_child_without_keras(portable, monkeypatch, tmp_path):
    """ex01 and ex02 need no Keras in the child: on the portable sandbox their children start without
    it (no second copy of TensorFlow), unless the submission imports it, which then comes preloaded."""
    from grader.core.isolation import portable as p
    spawned = []
    real = p.PortableBackend._spawn

    def spy(self, preload=None):
        spawned.append(preload)
        return real(self, preload)
    monkeypatch.setattr(p.PortableBackend, "_spawn", spy)
    report = portable("ex01", solution_file("ex01_conv_arithmetic"))
    assert {c.status.value for c in report.checks} == {"PASS"}
    assert spawned and spawned[0] == p.WITHOUT_KERAS and "keras" not in p.WITHOUT_KERAS
    spawned.clear()
    with_keras = tmp_path / "ex01_conv_arithmetic.py"
    with_keras.write_text("import keras  # (unused)\n" + solution_file("ex01_conv_arithmetic").read_text())
    report = portable("ex01", with_keras)
    assert {c.status.value for c in report.checks} == {"PASS"}
    assert p.WITHOUT_KERAS not in spawned  # the spare, which has Keras


LINUX_SERVER_PROBE = r"""
import json, sys
from grader.core import isolation
from grader.core.isolation import linux
from grader.core.session import Sandbox
path = sys.argv[1]

def probe(keras):
    with Sandbox(path, "probe", keras=keras) as box:
        loaded = box.request("call", {"fn": "keras_loaded"}, {"args": [], "kwargs": {}}, 20, "probing")
    return [loaded, linux.forkserver_pid()]

out = {"numpy_only": probe(False)}
real = linux.LinuxBackend._stop_server
linux.LinuxBackend._stop_server = lambda self: None  # as if the server could not be replaced
out["kept_server"] = probe(True)
linux.LinuxBackend._stop_server = real
out["upgraded"] = probe(True)
out["numpy_only_after"] = probe(False)
out["judge_has_keras"] = "keras" in sys.modules
print("RESULT", json.dumps(out))
"""


@pytest.mark.skipif(isolation.backend().name != "linux", reason="the Linux backend's fork server")
def test_a_numpy_only_exercise_gets_a_linux_fork_server_without_keras(tmp_path):
    """``grade ex01`` starts its child server without Keras (a fraction of a second instead of a second
    import of TensorFlow); a child that needs Keras later gets a server that preloads it, and then every
    child shares that one.  A Keras child on a server without it imports Keras itself before its time starts.
    In a fresh process: this one's server already holds Keras."""
    probe = tmp_path / "probe.py"
    probe.write_text("import sys\n\ndef keras_loaded():\n    return 'keras' in sys.modules\n")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop(isolation.ENV, None)
    done = subprocess.run([sys.executable, "-c", LINUX_SERVER_PROBE, str(probe)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.split("RESULT", 1)[1])
    assert out["numpy_only"][0] is False  # the server (and so the child) has no Keras
    assert out["kept_server"] == [True, out["numpy_only"][1]]  # the same server; the child imported Keras
    assert out["upgraded"][0] is True and out["upgraded"][1] != out["numpy_only"][1]  # a server with Keras
    assert out["numpy_only_after"] == [True, out["upgraded"][1]]  # that server serves numpy-only work too
    assert out["judge_has_keras"] is False  # (the probe's judge never imported it: nothing else did)


@pytest.mark.parametrize("text, imports", [
    ("import keras\n", True), ("from tensorflow import keras\n", True), ("import keras.layers as L\n", True),
    ("def f():\n    from keras import layers\n", True), ("import tf_keras\n", True),
    ('"""Same as keras.layers.Conv2D."""\nimport numpy as np\n', False),
    ("from tensorflow_extras_that_do_not_exist import magic\n", False), ("from . import keras\n", False),
    ("def broken(:\n", False)])
def test_imports_keras(text, imports):
    from grader.core.session import imports_keras
    assert imports_keras(text) is imports
