"""One start-up (grader/core/startup.py): every command runs as a user runs it -- a process of its own, started
without TF_CPP_MIN_LOG_LEVEL in its environment -- and none prints TensorFlow's start-up log; the commands
that need no Keras (list, --help, quiz, report, export, similar, gradescope, new --help) never import it.
Each process reports the keras/tensorflow modules it held when it ended, and leaves nothing in its temporary
folder."""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions" / "ex01_conv_arithmetic.py"
STUB = ROOT / "exercises" / "ex01_conv_arithmetic.py"

# TensorFlow's C++ start-up log: "WARNING: All log messages before absl::InitializeLog() is called ...",
# "I0000 00:00:1796607090.535545 9194 cpu_feature_guard.cc:227] This TensorFlow binary is optimized ..."
TF_LOG = re.compile(r"absl::InitializeLog|cpu_feature_guard|oneDNN custom operations|This TensorFlow binary"
                    r"|^[IWEF]\d{4} \d\d:\d\d:\d\d|tensorflow/core/|external/local_xla", re.M)

# `grade ARGS` through grader.front.cli.main, as the `grade` script runs it; when the process ends (main's
# os._exit, or argparse's SystemExit for --help) it writes the keras/tensorflow modules it holds to $MODULES.
DRIVER = """
import json, os, sys
_exit = os._exit
def _modules():
    names = sorted(m for m in sys.modules if m.split(".")[0] in ("keras", "tensorflow"))
    with open(os.environ["MODULES"], "w") as f:
        json.dump(names, f)
def _end(code):
    _modules()
    _exit(code)
os._exit = _end
try:
    from grader.front.cli import main
    main(sys.argv[1:])
finally:
    _modules()
"""


def run_grade(args: list[str], tmp_path: Path, timeout: float = 600) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``grade ARGS``; also checks that the command, ended by ``os._exit`` as ``grade`` ends, left nothing in
    its temporary folder (a private one: the sandbox's scratch root, bubblewrap's wrapper and multiprocessing's
    folder are removed when the process ends, grader/core/tempdirs.py)."""
    modules = tmp_path / f"modules-{abs(hash(tuple(args)))}.json"
    temp = Path(tempfile.mkdtemp(prefix="gt-"))  # (short: a Unix socket path in it is at most 107 bytes)
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "GRADE_SEED")}
    env.update(MODULES=str(modules), LANG="C.UTF-8", COLUMNS="120", TMPDIR=str(temp))
    proc = subprocess.run([sys.executable, "-c", DRIVER, *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    loaded = json.loads(modules.read_text()) if modules.exists() else None
    assert loaded is not None, (args, proc.returncode, proc.stderr[-2000:])
    left = sorted(p.name for p in temp.iterdir())
    shutil.rmtree(temp, ignore_errors=True)
    if env.get("GRADE_DAEMON") == "0":  # (a warm grader's server outlives the command, and keeps its folders)
        assert left == [], (args, "left in the temporary folder")
    return proc, loaded


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A results folder of `grade batch` (two ex01 submissions), graded by the command itself."""
    tmp = tmp_path_factory.mktemp("startup")
    subs = tmp / "subs"
    subs.mkdir()
    shutil.copy(SOLUTION, subs / "ada.py")
    shutil.copy(STUB, subs / "bob.py")
    proc, loaded = run_grade(["batch", "ex01", str(subs), "--out", str(tmp / "out"), "--jobs", "1", "--seed", "3"],
                             tmp)
    return tmp, subs, proc, loaded


def test_the_log_is_seen_where_tensorflow_prints_it(tmp_path):
    """The pattern finds TensorFlow's start-up log where nothing keeps it quiet (so its absence below means
    something)."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    proc = subprocess.run([sys.executable, "-c", "import tensorflow as tf; tf.constant(1.0) + 1.0"], env=env,
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert TF_LOG.search(proc.stderr), proc.stderr[-2000:]


NO_KERAS = [
    ["list"],
    ["list", "--lang", "ko"],
    ["--help"],
    ["ex01", "--help"],
    ["batch", "--help"],
    ["quiz", "list"],
    ["quiz", "--help"],
    ["gradescope", "--help"],
    ["release", "--help"],
    ["report", "--help"],
    ["similar", "--help"],
    ["export", "--help"],
    ["new", "--help"],
    ["history"],
    ["history", "--help"],
    ["submit", "--help"],
]


@pytest.mark.parametrize("args", NO_KERAS, ids=" ".join)
def test_a_command_without_keras_does_not_import_it(args, tmp_path):
    proc, loaded = run_grade(args, tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert loaded == [], loaded[:5]
    assert not TF_LOG.search(proc.stderr), proc.stderr
    assert proc.stdout.strip()


def test_the_class_tools_on_a_graded_folder_import_no_keras(graded, tmp_path):
    tmp, subs, _proc, _loaded = graded
    out = tmp / "out"
    roster = tmp_path / "roster.csv"
    roster.write_text("student,name\nada,Ada\nbob,Bob\n")
    answers = tmp_path / "quiz_q01_s1.json"
    answers.write_text(json.dumps({"quiz": "q01", "student": "s1", "answers": {}}))
    for args in (["report", str(out)],
                 ["export", "csv", str(out), "--roster", str(roster), "--match", "student", "--out",
                  str(tmp_path / "scores.csv")],
                 ["similar", "ex01", str(subs), "--out", str(tmp_path / "similar")],
                 ["gradescope", "ex01", "--out", str(tmp_path / "autograder.zip"), "--seed", "5"],
                 ["quiz", "grade", "q01", str(answers), "--out", str(tmp_path / "quiz")]):
        proc, loaded = run_grade(args, tmp_path)
        assert proc.returncode == 0, (args, proc.stdout[-1000:], proc.stderr[-2000:])
        assert loaded == [], (args, loaded[:5])
        assert not TF_LOG.search(proc.stderr), (args, proc.stderr)


def test_batch_prints_no_tensorflow_log(graded):
    tmp, _subs, proc, _loaded = graded
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not TF_LOG.search(proc.stderr + proc.stdout), proc.stderr
    assert "grades.csv" in proc.stdout and (tmp / "out" / "report.html").is_file()


@pytest.mark.parametrize("args,status", [
    (["ex01", "--file", str(SOLUTION)], 0),
    (["ex01", "--file", str(STUB), "--json"], 1),
])
def test_grade_prints_no_tensorflow_log(args, status, tmp_path):
    proc, loaded = run_grade(args, tmp_path)
    assert proc.returncode == status, proc.stderr[-2000:]
    assert not TF_LOG.search(proc.stderr + proc.stdout), proc.stderr
    assert "keras" in loaded and "tensorflow" in loaded  # the judge's Keras, imported at start-up


def test_a_grade_on_the_portable_backend_leaves_nothing_in_the_temporary_folder(tmp_path):
    """The sandbox of macOS and Windows (spawned children, grader/core/isolation/portable.py), chosen here: its
    scratch root and multiprocessing's folder go when ``grade`` ends (run_grade checks the folder), as the
    default backend's do in the tests above -- on Windows nothing else ever empties %TEMP%."""
    proc, _loaded = run_grade(["ex01", "--file", str(SOLUTION), "--json", "--sandbox", "portable"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    notes = json.loads(proc.stdout)["notes"]
    assert any(n.startswith("portable sandbox") for n in notes), notes  # (it ran there: the report says so)


def test_gradescope_role_prints_only_the_json(tmp_path):
    """What Gradescope's run_autograder runs: stdout is the results.json and nothing else."""
    proc, _loaded = run_grade(["ex01", "--file", str(SOLUTION), "--format", "gradescope", "--seed", "5"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["score"] > 0 and data["tests"]
    assert not TF_LOG.search(proc.stderr), proc.stderr


def test_release_prints_no_tensorflow_log(tmp_path):
    proc, _loaded = run_grade(["release", "--out", str(tmp_path / "release")], tmp_path, timeout=900)
    assert proc.returncode == 0, (proc.stdout[-1000:], proc.stderr[-2000:])
    assert not TF_LOG.search(proc.stderr + proc.stdout), proc.stderr


def test_no_module_sets_the_environment_or_the_threads_on_its_own():
    """TF_CPP_MIN_LOG_LEVEL is written only by grader/core/startup.py (``ENVIRONMENT``); the judge's thread
    settings (``devices.judge_threads``) are called only from there.  (The children's own settings of their
    TensorFlow -- grader/core/child.py, a recipe's training -- are the child's, not a role's.)"""
    offenders = []
    for path in sorted((ROOT / "grader").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel != "grader/core/startup.py" and "TF_CPP_MIN_LOG_LEVEL" in text:
            offenders.append(f"{rel}: TF_CPP_MIN_LOG_LEVEL")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                if name in ("judge_threads", "hide_gpus", "import_frozen", "require_import") and rel not in (
                        "grader/core/startup.py", "grader/core/compat.py", "grader/core/isolation/linux.py",
                        "grader/core/isolation/linux_server.py", "grader/core/isolation/linux_keras.py",
                        "grader/core/isolation/portable.py"):
                    offenders.append(f"{rel}:{node.lineno}: {name}()")
    assert offenders == []


def test_a_warm_grades_client_imports_no_numpy(tmp_path):
    """What `grade ex01` does in its own process before the warm server answers -- parse, find the file,
    decide whether the child needs Keras, build the request -- imports neither Keras nor numpy (numpy alone
    cost a tenth of a second of the half second a warm grade may take, #29)."""
    code = ("import sys\n"
            "from pathlib import Path\n"
            "from grader.front import cli, warm\n"
            "args = cli.options.parse(cli._parser, ['ex01', '--file', sys.argv[1]])\n"
            "ex_id, path = cli._resolve(args)\n"
            "keras = cli._child_needs_keras(ex_id, path)\n"
            "warm.grade_request(ex_id, path=str(path), seed=0, hidden=False, timeout=None, memory_mb=None,\n"
            "                   block_solutions=True, server_keras=keras, progress=True)\n"
            "print(keras, sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'keras', 'tensorflow'}))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(SOLUTION)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "[]"], proc.stdout  # ex01 asks no Keras of its child
