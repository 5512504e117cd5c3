"""The Gradescope bundle: contents, no solutions, and its run_autograder producing results.json."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

from grader import gradescope

ROOT = Path(__file__).resolve().parent.parent


def test_bundle_contents(tmp_path):
    path = gradescope.build_bundle("ex01", tmp_path / "autograder.zip", seed=99)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        assert {"setup.sh", "run_autograder", "seed", "grader-src/pyproject.toml",
                "grader-src/grader/engine.py", "grader-src/exercises/ex01_conv_arithmetic.py"} <= names
        assert not any("solutions" in n or n.startswith("grader-src/tests") for n in names)
        assert z.read("seed").decode().strip() == "99"
        for script in ("setup.sh", "run_autograder"):
            assert (z.getinfo(script).external_attr >> 16) & stat.S_IXUSR
        assert "ex01_conv_arithmetic.py" in z.read("run_autograder").decode()


def test_run_autograder_writes_gradescope_results(tmp_path):
    bundle = gradescope.build_bundle("ex01", tmp_path / "autograder.zip", seed=5)
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as z:
        z.extractall(root / "source")
    (root / "submission").mkdir()
    shutil.copy(ROOT / "solutions" / "ex01_conv_arithmetic.py", root / "submission" / "ex01_conv_arithmetic.py")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADE_BIN": str(Path(sys.executable).parent / "grade")}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True, timeout=300)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0
    assert any(t["visibility"] == "after_published" for t in results["tests"])  # hidden checks ran


def test_run_autograder_without_a_file(tmp_path):
    bundle = gradescope.build_bundle("ex02", tmp_path / "autograder.zip", seed=5)
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as z:
        z.extractall(root / "source")
    (root / "submission").mkdir()
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADE_BIN": "/bin/false"}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True, timeout=60)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and "ex02_padding_stride.py" in results["output"]
