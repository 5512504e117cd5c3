"""datasets.sequences: the synthetic sequence tasks are deterministic, float32 and mean what they say."""
from __future__ import annotations

import numpy as np
import pytest

from datasets.sequences import ADDING_BASELINE_MSE, adding_problem, noisy_sine


@pytest.mark.parametrize("make", [noisy_sine, adding_problem])
def test_same_seed_same_arrays_other_seed_other_arrays(make):
    a, b, c = make(50, 12, seed=3), make(50, 12, seed=3), make(50, 12, seed=4)
    for x, y in zip(a, b):
        assert np.array_equal(x, y)
    assert not np.array_equal(a[0], c[0])
    assert all(arr.dtype == np.float32 for arr in a)


def test_adding_problem_shapes_markers_and_targets():
    x, y = adding_problem(500, 20, seed=0)
    assert x.shape == (500, 20, 2) and y.shape == (500, 1)
    values, marker = x[..., 0], x[..., 1]
    assert ((values >= 0) & (values <= 1)).all()
    assert set(np.unique(marker)) == {0.0, 1.0}
    assert (marker.sum(axis=1) == 2).all()
    assert (marker[:, :10].sum(axis=1) == 1).all() and (marker[:, 10:].sum(axis=1) == 1).all()
    np.testing.assert_allclose(y[:, 0], (values * marker).sum(axis=1), rtol=1e-6)


def test_adding_problem_baseline_is_the_variance_of_the_target():
    _, y = adding_problem(20000, 10, seed=1)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(ADDING_BASELINE_MSE, rel=0.05)


def test_noisy_sine_target_is_the_clean_next_value():
    x, y = noisy_sine(300, 25, seed=2, noise=0.0)
    assert x.shape == (300, 25, 1) and y.shape == (300, 1)
    # a noiseless sine obeys s[t+1] = 2 cos(w) s[t] - s[t-1]; w from the last three observations
    s = np.concatenate([x[:, :, 0], y], axis=1).astype(np.float64)
    s = s[np.abs(s[:, -4]) > 0.2]  # keep the division below well conditioned
    assert len(s) > 100
    two_cos_w = (s[:, -3] + s[:, -5]) / s[:, -4]
    np.testing.assert_allclose(s[:, -1], two_cos_w * s[:, -2] - s[:, -3], atol=1e-3)
    noisy, _ = noisy_sine(300, 25, seed=2, noise=0.1)
    residual = noisy - x
    assert 0.08 < residual.std() < 0.12


@pytest.mark.parametrize("bad", [dict(n=0, length=5), dict(n=3, length=1), dict(n=2.5, length=5)])
def test_bad_sizes_are_refused(bad):
    with pytest.raises(ValueError):
        adding_problem(bad["n"], bad["length"])
