"""A check's ``early`` request (ex08's training): sent as grading begins, to a second child, while the
other checks run in the first (grader/core/engine.py: _start_early).  The verdicts are the same as when
it is sent in its turn (``overlap=False``, what `grade batch` does), the second child ends with its
check, and where a second child would cost a Keras import (the portable sandbox) nothing starts early."""
from __future__ import annotations

import psutil
import pytest

from grader import checks
from grader.core import engine, isolation
from grader.core.spec import Trial

from conftest import SUBMISSIONS, solution_file, stub_file

EX08 = "ex08_lstm"


@pytest.fixture
def early_trials(monkeypatch):
    """The trials _start_early started, and the child pids they and the main sandbox had."""
    seen = {"early": {}, "main": set()}
    real = engine._start_early

    def spy(box, checks_, second):
        started = real(box, checks_, second)
        seen["main"].add(box.pid)
        for name, t in started.items():
            seen["early"][name] = t.sandbox.pid
        return started
    monkeypatch.setattr(engine, "_start_early", spy)
    return seen


def _verdicts(report):
    return [(c.name, c.status.value, c.message, c.points) for c in report.checks]


@pytest.mark.skipif(not isolation.backend().forks_cheaply, reason="this machine's sandbox has no cheap second child")
@pytest.mark.parametrize("path", [solution_file(EX08), SUBMISSIONS / "ex08" / "mutant_model_last_step_only.py",
                                  SUBMISSIONS / "ex08" / "mutant_model_keras_lstm.py", stub_file(EX08)],
                         ids=["reference", "last_step_only", "keras_lstm", "stub"])
def test_training_in_a_second_child_gives_the_same_verdicts(grade, early_trials, path):
    overlapped = grade("ex08", path, hidden=True, seed=3)
    assert "sequence_model_trains" in early_trials["early"], "the training was not started early"
    pid = early_trials["early"]["sequence_model_trains"]
    assert pid > 0 and pid not in early_trials["main"], (pid, early_trials)
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, \
        "the second child outlived its check"
    in_turn = grade("ex08", path, hidden=True, seed=3, overlap=False)
    assert _verdicts(overlapped) == _verdicts(in_turn)


def test_nothing_starts_early_without_overlap_or_on_the_portable_sandbox(grade, early_trials, monkeypatch):
    grade("ex08", solution_file(EX08), only=["sequence_model_trains"], overlap=False)
    assert early_trials["early"] == {}
    monkeypatch.setenv(isolation.ENV, "portable")
    assert not isolation.backend().forks_cheaply
    report = grade("ex08", solution_file(EX08), only=["sequence_model_trains"])
    assert early_trials["early"] == {}
    assert [c.status.value for c in report.checks] == ["PASS"]


def test_an_early_request_of_a_file_that_does_not_import_is_not_sent(grade, early_trials, tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("raise ValueError('broken at import')\n")
    report = grade("ex08", bad)
    assert early_trials["early"] == {}
    assert {c.status.value for c in report.checks} == {"ERROR"}
    assert all("broken at import" in c.message for c in report.checks)


def test_a_check_without_an_early_request_cannot_ask_for_one():
    check = checks.get("ex08").checks[0]
    assert check.early is None
    with pytest.raises(TypeError):
        Trial(None, check, 0, 1.0, {}).early()


def test_an_early_request_that_fails_to_send_fails_its_own_check_only():
    """A bug in a check's early function is raised when that check runs (the engine reports it as an internal
    grader error of that check), not while the grading starts, where it would lose every check."""
    from grader.core.spec import Check

    def broken(t):
        raise RuntimeError("no data")
    check = Check("c", 1.0, "", lambda t: t.early(), early=broken)
    trial = Trial(None, check, 0, 1.0, {})
    trial.start_early()  # does not raise
    with pytest.raises(RuntimeError, match="no data"):
        trial.early()
