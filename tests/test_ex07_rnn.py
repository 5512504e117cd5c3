"""ex07: the instructor's numpy RNN (grader/answers/, not in the release) equals Keras, and each named mistake
is really wrong."""
from __future__ import annotations

import numpy as np
import pytest

from grader.answers import ex07_rnn as ref07
from grader.checks import ex07_rnn as ex07


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (3, 7, 4, 5), (2, 15, 2, 16)])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_numpy_reference_equals_keras_simple_rnn(shape, return_sequences):
    case = ex07.RNN.case(np.random.default_rng(0), *shape)
    seq = ref07.numpy_rnn(case.x, case.h0, *case.weights)
    want = ex07.RNN.keras(case, return_sequences=return_sequences, initial_state=case.states)
    np.testing.assert_allclose(seq if return_sequences else seq[:, -1], want, atol=2e-6)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_named_mistakes_are_far_from_the_truth(return_sequences):
    case = ex07.RNN.case(np.random.default_rng(1), 3, 6, 4, 5)
    want = ex07.RNN.keras(case, return_sequences=return_sequences, initial_state=case.states)
    mistakes = {**ex07._forward_mistakes(case, return_sequences), **ex07._cell_mistakes(case)}
    assert len(mistakes) >= 10
    for label, wrong in mistakes.items():
        if wrong.shape == want.shape:
            assert np.abs(wrong - want).max() > 1e-2, label
