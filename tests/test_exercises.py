"""Every exercise: the reference earns full marks (public and hidden checks, on
several seeds), the stub earns zero with every check NOT_ATTEMPTED, and the
stub exposes exactly the syllabus API of the reference."""
from __future__ import annotations

import ast

import pytest
from conftest import solution_file, stub_file

from grader import checks
from grader.core.engine import check_hint
from grader.core.outcome import Status

EXERCISES = list(checks.module_names())


def _public_api(path) -> dict[str, list[str]]:
    """Top-level public functions/classes and their parameter names."""
    tree = ast.parse(path.read_text())
    api = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            if isinstance(node, ast.FunctionDef):
                a = node.args
                api[node.name] = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
            else:
                api[node.name] = ["class"]
    return api


@pytest.mark.parametrize("ex_id", EXERCISES)
def test_stub_and_solution_share_the_api(ex_id):
    ex = checks.get(ex_id)
    stub, ref = _public_api(stub_file(ex.module)), _public_api(solution_file(ex.module))
    assert stub, f"{ex.module}: the stub defines no functions"
    for name, params in stub.items():
        assert name in ref, f"{name} is in the stub but not in the solution"
        assert ref[name] == params, f"{name}: stub {params} != solution {ref[name]}"


@pytest.mark.parametrize("ex_id", EXERCISES)
def test_reference_scores_full_marks(grade, ex_id):
    ex = checks.get(ex_id)
    report = grade(ex_id, solution_file(ex.module), seed=0, hidden=True, block_solutions=False)
    bad = [(c.name, c.status.value, c.message) for c in report.checks if c.status is not Status.PASS]
    assert not bad, bad
    assert report.score == report.max_score == ex.total_points


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("ex_id", EXERCISES)
def test_reference_passes_hidden_checks_on_other_seeds(grade, ex_id, seed):
    ex = checks.get(ex_id)
    hidden = [c.name for c in ex.checks if c.hidden]
    report = grade(ex_id, solution_file(ex.module), seed=seed, hidden=True, block_solutions=False, only=hidden)
    assert [c.name for c in report.checks] == hidden
    bad = [(c.name, c.status.value, c.message) for c in report.checks if c.status is not Status.PASS]
    assert not bad, bad


@pytest.mark.parametrize("ex_id", EXERCISES)
def test_stub_scores_zero_not_attempted(grade, ex_id):
    ex = checks.get(ex_id)
    report = grade(ex_id, stub_file(ex.module), hidden=True)
    assert report.score == 0
    assert [c.status for c in report.checks] == [Status.NOT_ATTEMPTED] * len(ex.checks), \
        [(c.name, c.status.value, c.message) for c in report.checks]


@pytest.mark.parametrize("ex_id", EXERCISES)
def test_checks_declare_points_and_hints(ex_id):
    ex = checks.get(ex_id)
    assert any(c.hidden for c in ex.checks), "hidden cases keep hard-coded answers out"
    for c in ex.checks:
        assert c.points > 0 and check_hint(c).strip(), c.name  # a hint may be a callable (see grader.core.spec)
