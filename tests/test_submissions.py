"""Plausible wrong and alternative-correct submissions, kept as files under
tests/submissions/exNN/.  Each file says in its docstring what the grader must
answer, one line per check:

    expect: length_same FAIL "rounds down"
    expect: * PASS

The quoted words must appear in the check's message (case-insensitive).
"""
from __future__ import annotations

import pytest
from conftest import SUBMISSIONS, expectations

from grader.outcome import Status

FILES = sorted(SUBMISSIONS.glob("ex*/*.py"))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_submission_gets_the_expected_verdict(grade, path):
    ex_id = path.parent.name
    wanted = expectations(path)
    assert wanted, f"{path.name} declares no `expect:` line"
    report = grade(ex_id, path, hidden=True, seed=1)
    for check, status, words in wanted:
        targets = report.checks if check == "*" else [report.by_name(check)]
        for c in targets:
            assert c.status is Status(status), (c.name, c.status.value, c.message)
            if words:
                assert words.lower() in c.message.lower(), (c.name, c.message)
            if c.status is Status.FAIL:
                assert c.points == 0


def test_every_exercise_has_mutants_and_alternatives():
    for folder in sorted(p for p in SUBMISSIONS.iterdir() if p.is_dir() and p.name.startswith("ex")):
        names = [p.stem for p in folder.glob("*.py")]
        assert sum(n.startswith("mutant_") for n in names) >= 5, f"{folder.name}: fewer than 5 mutants"
        assert sum(n.startswith("alt_") for n in names) >= 1, f"{folder.name}: no alternative solution"
