"""The `grade` command as a student and an instructor use it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.front import cli

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"


def run(capsys, *argv):
    with pytest.raises(SystemExit) as e:
        _main(list(argv))
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def _main(argv):
    try:
        code = cli.run(argv)
    except cli.UsageError as e:
        print(f"grade: error: {e}", file=sys.stderr)
        code = 2
    raise SystemExit(code)


def test_list_shows_exercises_and_points(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "ex01" in out and "Convolution arithmetic" in out and "ex03" in out


def test_unknown_exercise_suggests_the_closest(capsys):
    code, _, err = run(capsys, "ex033")  # one character off ex03 (ex33 is now as close to ex13)
    assert code == 2 and "did you mean ex03?" in err


def test_short_ids_are_accepted(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, "1", "--json")
    assert json.loads(out)["exercise"] == "ex01" and code == 1  # the stub: nothing passes


def test_missing_file_is_a_usage_error(capsys):
    code, _, err = run(capsys, "ex01", "--file", "no/such/file.py")
    assert code == 2 and "no such file" in err


def test_submission_not_found_from_an_empty_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "ex02")
    assert code == 2 and "cannot find exercises/ex02_padding_stride.py" in err and "--file" in err


def test_json_schema_and_exit_status_of_the_reference(capsys):
    code, out, _ = run(capsys, "ex01", "--solution", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) >= {"exercise", "score", "max_score", "checks", "versions"}
    assert data["score"] == data["max_score"] > 0
    for c in data["checks"]:
        assert set(c) >= {"name", "status", "points", "max_points", "message", "hint", "hidden"}
    assert data["hidden_not_run"] > 0 and not any(c["hidden"] for c in data["checks"])
    assert {"keras", "tensorflow", "numpy", "python", "grader"} <= set(data["versions"])


def test_seed_runs_hidden_checks(capsys):
    code, out, _ = run(capsys, "ex01", "--solution", "--json", "--seed", "5")
    data = json.loads(out)
    assert code == 0 and any(c["hidden"] for c in data["checks"]) and data["hidden_not_run"] == 0


def test_table_output_for_a_syntax_error(capsys):
    code, out, _ = run(capsys, "ex01", "--file", str(HOSTILE / "syntax_error.py"))
    assert code == 1
    assert "SyntaxError" in out and "line 1" in out and "ERROR" in out
    assert "Traceback" not in out


def test_table_output_for_the_stub_says_not_attempted(capsys):
    code, out, _ = run(capsys, "ex01", "--file", str(ROOT / "exercises" / "ex01_conv_arithmetic.py"))
    assert code == 1 and "NOT_ATTEMPTED" in out and "total 0/" in out and "Nothing attempted yet" in out


def test_help_explains_the_commands(capsys):
    with pytest.raises(SystemExit):
        cli.run(["--help"])
    out = capsys.readouterr().out
    for words in ("grade list", "--solution", "--json", "exit status"):
        assert words in out


def test_console_script_end_to_end(tmp_path):
    """The installed `grade` script: real process, TensorFlow noise kept off stderr."""
    exe = Path(sys.executable).parent / "grade"
    if not exe.exists():
        pytest.skip("console script not installed")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "0"}
    p = subprocess.run([str(exe), "ex01", "--solution", "--json"], capture_output=True, text=True, env=env,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["score"] > 0
    assert "oneDNN" not in p.stderr and "absl" not in p.stderr


def test_the_child_server_of_a_numpy_only_exercise_goes_without_keras(tmp_path):
    """What ``grade`` tells the sandbox before it imports anything slow: ex01's and ex02's children need
    no Keras, unless the file imports it; every other exercise's do, and so does a notebook's."""
    ex01 = ROOT / "solutions" / "ex01_conv_arithmetic.py"
    assert cli._child_needs_keras("ex01", ex01) is False
    assert cli._child_needs_keras("ex02", ROOT / "solutions" / "ex02_padding_stride.py") is False
    assert cli._child_needs_keras("ex03", ROOT / "solutions" / "ex03_conv_stack.py") is True
    importing = tmp_path / "ex01_conv_arithmetic.py"
    importing.write_text("from tensorflow import keras\n" + ex01.read_text())
    assert cli._child_needs_keras("ex01", importing) is True
    notebook = tmp_path / "ex01_conv_arithmetic.ipynb"
    notebook.write_text("{}")
    assert cli._child_needs_keras("ex01", notebook) is True
    assert cli._child_needs_keras("ex01", tmp_path / "gone.py") is True
