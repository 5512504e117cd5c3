"""ex10: the judge's references agree with Keras and with the paper, the grader's masks never
block a whole row, and the reference encoder block is the solution's."""
from __future__ import annotations

import keras
import numpy as np
import pytest

from grader.checks import ex10_attention as ex10


def test_attention_reference_equals_keras_dot_product_attention():
    rng = np.random.default_rng(0)
    q, k, v = ex10._qkv(rng, (2, 3), 5, 7, 8, 6)  # (B, H, T, d)
    mask = ex10._random_mask(rng, (2, 3, 5, 7))
    out, weights = ex10.attention(q, k, v, mask)
    to_bthd = lambda a: np.swapaxes(a, 1, 2)  # noqa: E731 -- keras.ops wants (B, T, H, d)
    want = keras.ops.dot_product_attention(to_bthd(q), to_bthd(k), to_bthd(v), mask=mask.astype(bool))
    np.testing.assert_allclose(out, to_bthd(np.asarray(want)), atol=2e-6)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-12)
    assert (weights[mask == 0] < 1e-12).all()


def test_masks_never_block_a_whole_row_either_way():
    rng = np.random.default_rng(1)
    for shape in [(4, 6), (3, 5, 2), (2, 1, 5, 5), (6, 1)]:
        m = ex10._random_mask(rng, shape)
        assert m.any(axis=-1).all()
        if shape[-1] > 1:
            assert (m == 0).any(axis=-1).all()  # the inverted reading attends somewhere too


def test_positional_encoding_reference_is_the_papers_formula():
    pe = ex10.positional_encoding_reference(20, 10)
    for pos in range(20):
        for i in range(5):
            angle = pos / 10000 ** (2 * i / 10)
            assert pe[pos, 2 * i] == pytest.approx(np.sin(angle))
            assert pe[pos, 2 * i + 1] == pytest.approx(np.cos(angle))


def test_named_positional_mistakes_differ_from_the_truth():
    want = ex10.positional_encoding_reference(12, 8)
    for label, wrong in ex10._pe_mistakes(12, 8).items():
        assert wrong.shape != want.shape or np.abs(wrong - want).max() > 1e-2, label


@pytest.mark.parametrize("seed", range(6))
def test_mha_reference_equals_keras(seed):
    rng = np.random.default_rng(seed)
    heads, d, key_dim, value_dim, d_out = (int(rng.integers(1, 5)), int(rng.integers(2, 12)),
                                           int(rng.integers(2, 7)), int(rng.integers(1, 7)), int(rng.integers(1, 12)))
    w = ex10._mha_weights(rng, d, heads, key_dim, value_dim, d_out)
    query = rng.uniform(-1, 1, (2, 4, d)).astype(np.float32)
    value = rng.uniform(-1, 1, (2, 6, d)).astype(np.float32)
    key = rng.uniform(-1, 1, (2, 6, d)).astype(np.float32)
    mask = ex10._random_mask(rng, (2, 4, 6)) if seed % 2 else None
    want = ex10.keras_mha(query, value, key, w, mask)
    np.testing.assert_allclose(ex10.mha_reference(query, value, key, w, mask), want, atol=2e-6)
    for label, wrong in ex10._mha_mistakes(query, value, key, w, mask).items():
        assert np.abs(wrong - want).max() > 1e-3, label


def test_reference_block_counts_and_computes_like_the_solution():
    from solutions.ex10_attention import transformer_encoder_block
    x = keras.Input((6, 12))
    model = keras.Model(x, transformer_encoder_block(x, 3, 4, 24))
    assert model.count_params() == ex10.reference_params(6, 12, 3, 4, 24)
    ref = ex10.reference_model(6, 12, 3, 4, 24)
    ref.set_weights(model.get_weights())  # same layer order: MHA, LN, Dense, Dense, LN
    data = np.random.default_rng(3).uniform(-2, 2, (2, 6, 12)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(ref(data)), np.asarray(model(data)), atol=1e-5)
