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

from grader.front import gradescope

ROOT = Path(__file__).resolve().parent.parent


def test_bundle_contents(tmp_path):
    path = gradescope.build_bundle("ex01", tmp_path / "autograder.zip", seed=99)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        assert {"setup.sh", "run_autograder", "seed", "grader-src/pyproject.toml",
                "grader-src/grader/core/engine.py", "grader-src/grader/front/submission.py", "grader-src/exercises/ex01_conv_arithmetic.py"} <= names
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


def test_a_submission_cannot_read_the_seed_in_the_bundle(tmp_path):
    """The bundle's run_autograder with AUTOGRADER_ROOT in a temp folder: a hostile
    submission hunts the seed (the seed file, GRADE_SEED, /proc environ and cmdline)
    and prints what it found into its feedback; the seed is nowhere in it."""
    seed = 987654321
    bundle = gradescope.build_bundle("ex01", tmp_path / "autograder.zip", seed=seed)
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as z:
        z.extractall(root / "source")
    (root / "submission").mkdir()
    shutil.copy(ROOT / "tests" / "hostile" / "gradescope" / "read_seed.py",
                root / "submission" / "ex01_conv_arithmetic.py")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADE_BIN": str(Path(sys.executable).parent / "grade")}
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, check=True, timeout=300)
    text = (root / "results" / "results.json").read_text()
    results = json.loads(text)
    assert "LEAK" in text, "the hostile function ran and reported what it found"
    assert str(seed) not in text
    assert results["score"] < sum(t["max_score"] for t in results["tests"])
    assert not (root / "source" / "seed").exists(), "the seed left the disk before student code ran"
