"""Plausible wrong and alternative-correct submissions, kept as files under
tests/submissions/exNN/.  Each file says in its docstring what the grader must
answer, one line per check:

    expect: length_same FAIL "rounds down"
    expect: * PASS

The quoted words must appear in the check's message (case-insensitive); an
ERROR line must quote some.  Every check is pinned: a check without a line of
its own takes the `*` line, else it must PASS.  An internal grader error never
satisfies a line.  Hidden checks run on two seeds.
"""
from __future__ import annotations

import pytest
from conftest import SUBMISSIONS, assert_expected, expectations


FILES = sorted(SUBMISSIONS.glob("ex*/*.py"))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_submission_gets_the_expected_verdict(grade, path):
    ex_id = path.parent.name
    wanted = expectations(path)
    assert wanted, f"{path.name} declares no `expect:` line"
    report = grade(ex_id, path, hidden=True, seed=1)
    named = {c for c, _s, _w in wanted if c != "*"}
    assert named <= {c.name for c in report.checks}, named - {c.name for c in report.checks}
    assert_expected(wanted, report.checks, path.stem)
    hidden = [c.name for c in report.checks if c.hidden]
    if hidden:  # the hidden cases of a second seed
        again = grade(ex_id, path, hidden=True, seed=2, only=hidden)
        assert_expected(wanted, again.checks, f"{path.stem} (seed 2)")


def test_every_exercise_has_mutants_and_alternatives():
    for folder in sorted(p for p in SUBMISSIONS.iterdir() if p.is_dir() and p.name.startswith("ex")):
        names = [p.stem for p in folder.glob("*.py")]
        assert sum(n.startswith("mutant_") for n in names) >= 5, f"{folder.name}: fewer than 5 mutants"
        assert sum(n.startswith("alt_") for n in names) >= 1, f"{folder.name}: no alternative solution"


def test_an_error_keeps_the_checks_own_hint(grade):
    """Attention written with k.T raises on a batch: the ERROR's hint keeps the
    traceback advice and adds the check's own (.T reverses every axis)."""
    report = grade("ex10", SUBMISSIONS / "ex10" / "mutant_k_transpose.py", only=["attention_no_mask"])
    c = report.by_name("attention_no_mask")
    assert c.status.value == "ERROR", (c.status, c.message)
    assert "read the traceback" in c.hint and ".T reverses every axis" in c.hint, c.hint
