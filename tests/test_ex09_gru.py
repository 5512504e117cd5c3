"""ex09: the instructor's numpy GRU (grader/answers/, not in the release) equals Keras, each named mistake is
really wrong, and the parameter formula of the docstring is Keras's."""
from __future__ import annotations

import keras
import numpy as np
import pytest

from grader.answers import ex09_gru as ref09
from grader.checks import ex09_gru as ex09
from grader.judge import truth


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (3, 7, 4, 5), (2, 15, 2, 16)])
@pytest.mark.parametrize("start", ["zeros", "h0"])
def test_numpy_reference_equals_keras_gru(shape, start):
    case = ex09.GRU.case(np.random.default_rng(0), *shape)
    h0 = None if start == "zeros" else case.h0
    want = ex09.GRU.keras(case, return_sequences=True, initial_state=None if h0 is None else [h0])
    np.testing.assert_allclose(ref09.numpy_gru(case.x, h0, *case.weights), want, atol=2e-6)


def test_named_mistakes_are_far_from_the_truth():
    case = ex09.GRU.case(np.random.default_rng(1), 3, 6, 4, 5)
    want = ex09.GRU.keras(case, return_sequences=True, initial_state=case.states)
    mistakes = ex09._mistakes(case, lambda s: s)
    assert len(mistakes) == 7  # with the original paper's GRU (reset before the matmul and Cho's mixing)
    for label, wrong in mistakes.items():
        assert np.abs(wrong - want).max() > 1e-2, label


def test_reset_after_false_is_what_the_reset_before_mistake_computes():
    """The 'reset before the matmul' label really is Keras's reset_after=False GRU."""
    case = ex09.GRU.case(np.random.default_rng(2), 2, 5, 3, 4)
    x, h0, (w, u, b) = case.x, case.h0, case.weights
    layer = keras.layers.GRU(4, reset_after=False, return_sequences=True)
    layer.build(x.shape)
    bias = b[0]  # reset_after=False: one bias vector (3U,), no recurrent bias
    layer.set_weights([w, u, bias])
    got = np.asarray(layer(x, initial_state=[h0]))
    want = ref09.numpy_gru(x, h0, w, u, np.stack([bias, np.zeros_like(bias)]), reset_before=True)
    np.testing.assert_allclose(got, want, atol=2e-6)


@pytest.mark.parametrize("units,dim", [(1, 1), (5, 3), (64, 300)])
@pytest.mark.parametrize("reset_after", [True, False])
def test_docstring_formula_is_keras_count(units, dim, reset_after):
    from solutions.ex09_gru import gru_param_count
    assert gru_param_count(units, dim, reset_after) == truth.layer_params(
        keras.layers.GRU(units, reset_after=reset_after), (4, dim))
