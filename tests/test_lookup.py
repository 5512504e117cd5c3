"""grader/core/lookup.py: what an exercise declares, looked up without running its checks -- the outline
`grade list` shows (read from the check module's source: no Keras), the stub's API and the checks that call a
function (tests/test_declared_uses.py) -- and the README's table of exercises, which says the same."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader import checks
from grader.core import lookup

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("ex_id", list(checks.module_names()))
def test_the_outline_read_from_the_source_is_the_exercise(ex_id):
    """Check declarations stay literals (``points=2``, ``hidden=True``, at the top of the module or as a
    decorator), so that `grade list` reads them without importing Keras."""
    module = checks.module_names()[ex_id]
    text = (ROOT / "grader" / "checks" / f"{module}.py").read_text(encoding="utf-8")
    got = lookup.outline_of_source(text)
    ex = checks.get(ex_id)
    assert (got.id, got.title, got.summary) == (ex.id, ex.title, ex.summary or "")
    assert (got.public_points, got.total_points) == pytest.approx((ex.public_points, ex.total_points))


def test_a_declaration_that_is_not_a_literal_is_not_guessed():
    text = ('from grader.judge import N_, Exercise\nEXERCISE = Exercise("ex99", N_("T"), "ex99_t")\n'
            "POINTS = 2\n@EXERCISE.check(points=POINTS, hint='', uses=())\ndef a(t):\n    pass\n")
    with pytest.raises(lookup.Unreadable):
        lookup.outline_of_source(text)
    counted = lookup.outline_of_source(text.replace("points=POINTS", "points=2, hidden=True"))
    assert (counted.public_points, counted.total_points) == (0, 2)


def test_the_readme_table_lists_every_exercise():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (ex\d\d) \| (.*) \| (.*) \|$", readme, flags=re.M)
    want = [(o.id, o.title, o.summary) for o in (lookup.outline(checks.EXERCISES, e) for e in checks.module_names())]
    assert rows == want
