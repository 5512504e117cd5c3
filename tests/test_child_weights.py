"""``Exercise(child_weights=False)`` (ex04, ex05, ex10): the child builds the models of ``build`` requests without
allocating their weights, and nowhere else.  That the verdicts stay the same is what their references,
stubs, mutants and alternatives check (test_exercises.py, test_submissions.py)."""
from __future__ import annotations

import pytest

from grader import checks

PROBE = '''
from keras.src.backend.common.stateless_scope import in_stateless_scope


def {fn}(x, *args, **kwargs):
    raise RuntimeError(f"probe: stateless={{in_stateless_scope()}}")
'''


@pytest.mark.parametrize("ex_id, fn, check, stateless", [
    ("ex05", "inception_block", "inception_structure", True),
    ("ex04", "vgg_block", "vgg_block_layers", True),
    ("ex10", "transformer_encoder_block", "encoder_shape_and_params", True),
    ("ex06", "upsample_block", "upsample", False),  # convolutionalize needs the child's weights
])
def test_build_requests_are_weightless_only_where_the_exercise_says(grade, tmp_path, ex_id, fn, check, stateless):
    ex = checks.get(ex_id)
    assert ex.child_weights is not stateless
    assert check in {c.name for c in ex.checks}
    sub = tmp_path / f"{ex.module}.py"
    sub.write_text(PROBE.format(fn=fn))
    report = grade(ex_id, sub, only=[check])
    (result,) = report.checks
    assert result.status.value == "ERROR" and f"stateless={stateless}" in result.message, result.message
