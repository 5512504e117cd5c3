"""`grade new` (grader/front/new.py) in a temporary copy of the repository, never in this tree: it writes an
exercise the generic tests accept -- the stub and the solution share the API, the reference scores full marks
on several seeds, the stub scores zero with every check NOT_ATTEMPTED, the mutant's `expect:` lines hold -- and
says what is still to fill in."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("grader", "exercises", "solutions", "datasets", "README.md", "pyproject.toml")
TESTS = ("conftest.py", "test_exercises.py", "test_submissions.py", "test_declared_uses.py", "test_layers.py",
         "test_i18n.py", "test_i18n_messages.py")


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GRADE_SEED", "TF_CPP_MIN_LOG_LEVEL")}
    env["PYTHONPATH"] = str(root)  # the copy's grader, exercises and solutions come first
    env["LANG"] = "C.UTF-8"
    return env


def _grade(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from grader.front.cli import main; main()", *args], cwd=root,
                          env=_env(root), capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The repository without its tests' submissions, and ex14 (plain) and ex15 (--recipe) written into it."""
    root = tmp_path_factory.mktemp("repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in COPIED:
        src = ROOT / name
        (shutil.copytree(src, root / name, ignore=ignore) if src.is_dir() else shutil.copy(src, root / name))
    (root / "tests" / "submissions").mkdir(parents=True)
    for name in TESTS:
        shutil.copy(ROOT / "tests" / name, root / "tests" / name)
    runs = {"ex14": _grade(root, "new", "ex14", "pooling_layers", "--title", "Pooling layers"),
            "ex15": _grade(root, "new", "ex15", "custom_layers", "--recipe", "--summary", "a layer of one's own")}
    return root, runs


def test_it_writes_every_file_and_tries_them(copy):
    root, runs = copy
    for ex, topic in (("ex14", "pooling_layers"), ("ex15", "custom_layers")):
        run = runs[ex]
        assert run.returncode == 0, (run.stdout, run.stderr[-3000:])
        module = f"{ex}_{topic}"
        for rel in (f"exercises/{module}.py", f"solutions/{module}.py", f"grader/checks/{module}.py",
                    f"grader/locale/ko/{ex}.po", f"tests/submissions/{ex}/mutant_abs.py"):
            assert (root / rel).is_file(), rel
        assert (root / "grader" / "recipes" / f"{module}.py").is_file() == (ex == "ex15")
        assert "the reference: 3/3 points, PASS" in run.stdout if ex == "ex14" else \
            "the reference: 4/4 points, PASS" in run.stdout
        assert "the stub: 0/" in run.stdout and "NOT_ATTEMPTED (as the generic tests require)" in run.stdout
        assert "still to fill in:" in run.stdout and f"grader/locale/ko/{ex}.po: the Korean of the title" in run.stdout
    readme = (root / "README.md").read_text(encoding="utf-8")
    rows = "| ex14 | Pooling layers | TODO: what the exercise covers |\n| ex15 | Custom layers | a layer of one's own |"
    assert rows in readme
    assert "recipes=\"grader.recipes.ex15_custom_layers\"" in (root / "grader/checks/ex15_custom_layers.py").read_text()
    listing = _grade(root, "list")
    assert listing.returncode == 0 and "Pooling layers" in listing.stdout and "Custom layers" in listing.stdout


def test_the_generic_tests_accept_it(copy):
    root, runs = copy
    assert all(r.returncode == 0 for r in runs.values())
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "ex14 or ex15",
                           "tests/test_exercises.py", "tests/test_submissions.py", "tests/test_declared_uses.py"],
                          cwd=root, env=_env(root), capture_output=True, text=True, timeout=1800)
    tail = proc.stdout[-3000:]
    assert proc.returncode == 0, tail + proc.stderr[-2000:]
    # for each exercise: 4 tests of test_exercises and 4 more seeds, the mutant, the declarations
    assert re.search(r"\b20 passed\b", tail) and "failed" not in tail and "skipped" not in tail, tail


def test_its_files_keep_the_rules_and_only_the_title_and_summary_wait_for_korean(copy):
    """The files it writes keep the layers and the i18n rules; the one failure is the Korean of the title and the
    summary, which it listed as still to fill in."""
    root, _runs = copy
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_layers.py",
                           "tests/test_i18n.py", "tests/test_i18n_messages.py", "-k",
                           "not korean_table and not lang_from and not english_stays and not explained_in_korean "
                           "and not reported_in_korean"],
                          cwd=root, env=_env(root), capture_output=True, text=True, timeout=1800)
    failed = sorted(line.split()[1] for line in proc.stdout.splitlines() if line.startswith("FAILED"))
    assert failed == ["tests/test_i18n.py::test_every_wrapped_message_has_a_korean_translation"], proc.stdout[-3000:]
    missing = proc.stdout[proc.stdout.index("no Korean translation for:"):]
    assert "'Pooling layers'" in missing and "'Custom layers'" in missing and "'TODO: what the exercise covers'" in missing
    assert "took the absolute value" not in missing and "relu(x) keeps" not in missing


def test_it_refuses_an_exercise_that_exists(copy):
    root, _runs = copy
    again = _grade(root, "new", "ex14", "other_topic")
    assert again.returncode == 2 and "ex14 exists already" in again.stderr
    assert _grade(root, "new", "14", "x").returncode == 2
    assert _grade(root, "new", "ex16", "Bad-Topic").returncode == 2
    assert not list((root / "exercises").glob("ex16_*"))
