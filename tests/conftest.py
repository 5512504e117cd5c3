"""Shared fixtures: grade a file in-process through the same engine as `grade`."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from grader.core import startup

startup.environment()  # TensorFlow's start-up log stays out of the test output, as out of every grader process
# No test starts the warm grader's background server by accident (grader/front/warm.py): every `grade` a test
# runs, in this process or as a command, grades in its own process unless the test opts in (tests/test_daemon.py
# sets GRADE_DAEMON=1 and a private folder of its own, GRADE_DAEMON_DIR, and stops its servers).
# GRADE_TEST_DAEMON=1 runs the whole suite with the server on instead: each worker's `grade` commands go through
# servers in a private folder of that worker's own, all stopped when the worker's session ends (`stop_servers`).
TEST_DAEMON = os.environ.get("GRADE_TEST_DAEMON") == "1"
if TEST_DAEMON:
    import atexit
    import shutil
    import tempfile
    os.environ["GRADE_DAEMON"] = "1"
    os.environ["GRADE_DAEMON_DIR"] = tempfile.mkdtemp(prefix="gd-suite-")
    atexit.register(shutil.rmtree, os.environ["GRADE_DAEMON_DIR"], True)  # (xdist's controller runs no fixture)
else:
    os.environ["GRADE_DAEMON"] = "0"
# Nor does a test's `grade` write a learning-trail history (grader/front/trail.py) into the checkout or the
# folder it runs in: tests/test_history.py turns it on in folders of its own.
os.environ["GRADE_HISTORY"] = "0"


@pytest.fixture(scope="session", autouse=True)
def stop_servers():
    """With GRADE_TEST_DAEMON=1: every server this worker's commands started is stopped at the end."""
    yield
    if TEST_DAEMON:
        import shutil

        from grader.front import daemon
        daemon.stop_all(wait=10.0)
        shutil.rmtree(os.environ["GRADE_DAEMON_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).resolve().parent / "submissions"


def solution_file(module: str) -> Path:
    return ROOT / "solutions" / f"{module}.py"


def stub_file(module: str) -> Path:
    return ROOT / "exercises" / f"{module}.py"


_STATUS = r"(?:PASS|FAIL|ERROR|TIMEOUT|OUT_OF_MEMORY|NOT_ATTEMPTED)"
EXPECT = re.compile(rf'^expect:\s+(\S+)\s+({_STATUS}(?:\|{_STATUS})*)(?:\s+"(.*)")?\s*$')


def expectations(path: Path) -> list[tuple[str, str, str | None]]:
    """The `expect: CHECK STATUS "words in the message"` lines of a submission's docstring.

    CHECK may be `*` (every check not named on a line of its own); STATUS may
    list alternatives (`FAIL|ERROR`) where hidden cases drawn from the seed decide.
    """
    out = []
    for line in path.read_text().splitlines():
        m = EXPECT.match(line.strip())
        if m:
            out.append((m.group(1), m.group(2), m.group(3)))
    return out


@pytest.fixture(scope="session", autouse=True)
def judge_threads():
    """This process's TensorFlow as `grade` sets it, before any test runs an op: one thread per op
    (grader/core/devices.py).  (Every worker grades something, and so imports Keras anyway.)"""
    from grader.core import compat, devices
    assert compat.import_problem() is None  # Keras as `grade` imports it: collector paused, heap frozen
    assert devices.judge_threads(), "a test module ran a TensorFlow op at import, before the judge's set-up"


@pytest.fixture(scope="session")
def grade():
    """grade(exercise_id, path, **kwargs) -> Report, with the forkserver started once."""
    from grader.core import compat, session
    session.isolation().keep_warm()
    session.warm_up()
    assert compat.import_problem() is None  # Keras as `grade` imports it: collector paused, heap frozen
    from grader import checks
    from grader.core.engine import grade_file

    def _grade(ex_id: str, path, **kwargs):
        return grade_file(checks.get(ex_id), str(path), **kwargs)
    return _grade


# ------------------------------------------------------------------ the Colab row (`make test-compat`)
# Tests that `make test-compat` runs again in .venv-compat (README, version matrix), selected here rather
# than copied: {file::function: which parameter values (None = all)}.  A test may also carry
# `@pytest.mark.compat` itself.
COMPAT_ROW = {
    "test_exercises.py::test_reference_scores_full_marks": None,                 # seed 0, public + hidden
    "test_exercises.py::test_reference_passes_hidden_checks_on_other_seeds": {"seed": {1}},  # a second seed
    "test_exercises.py::test_stub_scores_zero_not_attempted": None,
    "test_submissions.py::test_submission_gets_the_expected_verdict": None,     # every `expect:` line
    "test_release.py::test_released_notebook_runs_as_stub": None,              # the released notebooks
    "test_release.py::test_released_notebook_with_reference_gets_full_marks": None,
    "test_release.py::test_released_notebook_runs_as_stub_slow": None,
    "test_release.py::test_released_notebook_with_reference_gets_full_marks_slow": None,
    "test_compat.py": None,                                                     # the start-up check there
    "test_panels.py::test_panel_verdict_on_the_public_seed": None,             # each panel design's verdict
    # (b): installing the course left that venv's TensorFlow and Keras alone (the resolutions of (a) depend
    # on the index, not on the venv: `make test` runs them)
    "test_packaging.py::test_installing_the_course_left_tensorflow_and_keras_as_they_were": None,
    "test_packaging.py::test_installing_the_wheel_over_colab_installs_no_tensorflow_or_keras": None,
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the xdist_group marks (--dist loadgroup), and before -m selects
def pytest_collection_modifyitems(config, items):
    _mark_compat(items)
    _group_shared_fixtures(items)


def _mark_compat(items):
    for item in items:
        fn = getattr(item, "originalname", None) or item.name
        name = f"{item.path.name}::{fn}"
        params = getattr(getattr(item, "callspec", None), "params", {})
        for key in (name, item.path.name):
            if key in COMPAT_ROW:
                wanted = COMPAT_ROW[key]
                if wanted is None or all(params.get(k) in v for k, v in wanted.items()):
                    item.add_marker(pytest.mark.compat)
                break


def expected_for(wanted: list[tuple[str, str, str | None]], check: str) -> tuple[str, str | None]:
    """The (status, words) a check must end with: its own `expect:` line, else the
    `*` line, else PASS -- every check is covered, none is left unpinned."""
    for name, status, words in wanted:
        if name == check:
            return status, words
    for name, status, words in wanted:
        if name == "*":
            return status, words
    return "PASS", None


INTERNAL = "internal grader error"


def assert_expected(wanted, checks, label: str = "") -> None:
    """Every check (a CheckResult or its dict) ends as ``expected_for`` says; an
    ERROR line names words of its message; an internal grader error never
    satisfies any line; a check that did not PASS scores nothing."""
    for c in checks:
        name, status, message, points = ((c.name, c.status.value, c.message, c.points) if hasattr(c, "status")
                                         else (c["name"], c["status"], c["message"], c["points"]))
        want, words = expected_for(wanted, name)
        assert INTERNAL not in message.lower(), (label, name, message)
        assert status in want.split("|"), (label, name, status, message)
        if "ERROR" in want.split("|"):
            assert words, f"{label}: an ERROR expectation for {name} must name words of its message"
        if words and status != "PASS":  # (a PASS says "ok"; words pin the other alternatives)
            assert words.lower() in message.lower(), (label, name, message)
        if status != "PASS":
            assert points == 0, (label, name, points)


@pytest.fixture(params=["default"])
def backend(request, monkeypatch):
    """The sandbox backend a hostile case runs under ("default": the one this machine picks;
    "portable": grader/isolation/portable.py), set through the environment so that batch workers
    inherit it.  The corpora run on the default backend here; tests/test_isolation.py runs the
    ex01 corpus and every reference under the portable one."""
    from grader.core import isolation
    if request.param != "default":
        monkeypatch.setenv(isolation.ENV, request.param)
    return request.param


# ------------------------------------------------------------------ pytest-xdist (`make test`)
# Fixtures that take a minute or more (a batch graded once, wheels resolved once) are session-scoped, so that a
# worker keeps them while it runs other modules' tests in between (a module-scoped one is torn down and built
# again when the worker comes back), and the tests that share one run on one worker, so that it is built once.
# A cheap one (the release folder) stays module-scoped and ungrouped: its many notebook tests spread out.
SHARED_FIXTURES = {"graded", "portable_batch", "wheel", "resolutions", "class_results",
                   "group_probe", "lms_graded"}  # (tests/test_xdist_groups.py: the grouping takes effect)


def _group_shared_fixtures(items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & SHARED_FIXTURES:
            item.add_marker(pytest.mark.xdist_group(name=item.module.__name__))


# ------------------------------------------------------------------ the panels' tables (`make test-slow`)
def pytest_terminal_summary(terminalreporter):
    """Each training check's panel as a table -- every design's worst seed and its margin over the threshold
    -- from the numbers test_panels.py's ten-seed tests recorded (on whichever worker ran them)."""
    records = [value for rep in terminalreporter.getreports("passed") + terminalreporter.getreports("failed")
               for key, value in getattr(rep, "user_properties", ()) if key == "panel" and rep.when == "call"]
    if not records:
        return
    import panel
    from test_panels import MARGIN
    terminalreporter.section("calibration panels (tests/panels, seeds 0-9)")
    for exercise, scores in sorted(panel.from_records(records).items()):
        terminalreporter.write_line(panel.table(exercise, dict(sorted(scores.items()))))
        terminalreporter.write_line(f"  stated margin: {MARGIN[exercise]}")
        terminalreporter.write_line("")
