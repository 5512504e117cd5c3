"""Synthetic sequence tasks, generated from a seed (nothing is downloaded).

``noisy_sine(n, length, seed)``
    Forecasting: each sample is a sine wave with its own amplitude, frequency
    and phase, plus Gaussian noise.  X holds ``length`` noisy observations,
    y the *clean* value of the wave one step after the last observation.
    X: (n, length, 1), y: (n, 1).

``adding_problem(n, length, seed)``
    The classic long-memory task (Hochreiter & Schmidhuber 1997; Le et al.
    2015): channel 0 holds numbers drawn uniformly from [0, 1], channel 1 is
    a marker that is 1 at exactly two positions -- one in the first half of
    the sequence, one in the second half -- and 0 elsewhere.  The target is
    the sum of the two marked numbers.  Predicting the mean (1.0) gives a
    mean squared error of about 1/6 ~ 0.167: a model has to remember a value
    over up to ``length`` steps to do better, which is hard for a plain RNN
    and easy for an LSTM.  X: (n, length, 2), y: (n, 1).

Both return float32 arrays and give the same arrays for the same arguments.
"""
from __future__ import annotations

import numpy as np

__all__ = ["noisy_sine", "adding_problem", "ADDING_BASELINE_MSE"]

ADDING_BASELINE_MSE = 1.0 / 6.0  # MSE of always predicting 1.0 (variance of the sum of two U(0, 1))


def _check(n: int, length: int, minimum: int) -> None:
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if int(length) != length or length < minimum:
        raise ValueError(f"length must be an integer >= {minimum}, got {length!r}")


def noisy_sine(n: int, length: int, seed: int = 0, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """X (n, length, 1) noisy sine observations; y (n, 1) the clean next value."""
    _check(n, length, 1)
    rng = np.random.default_rng(seed)
    amplitude = rng.uniform(0.5, 1.5, size=(n, 1))
    frequency = rng.uniform(0.02, 0.2, size=(n, 1))  # cycles per step
    phase = rng.uniform(0.0, 2 * np.pi, size=(n, 1))
    t = np.arange(length + 1)[None, :]
    clean = amplitude * np.sin(2 * np.pi * frequency * t + phase)
    observed = clean[:, :length] + noise * rng.standard_normal((n, length))
    X = observed[:, :, None].astype(np.float32)
    y = clean[:, length:].astype(np.float32)
    return X, y


def adding_problem(n: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """X (n, length, 2) [value, marker]; y (n, 1) the sum of the two marked values."""
    _check(n, length, 2)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    marker = np.zeros((n, length))
    rows = np.arange(n)
    marker[rows, first] = 1.0
    marker[rows, second] = 1.0
    X = np.stack([values, marker], axis=-1).astype(np.float32)
    y = (values[rows, first] + values[rows, second])[:, None].astype(np.float32)
    return X, y
