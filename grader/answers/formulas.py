"""The formulas behind the quiz answers -- the same ones the exercises ask for (ex01, ex04, ex06, ex09 ...).

The instructor's side (``grader.judge.answers``): the quizzes call them through the lookups of the same
names in ``grader/quizzes/formulas.py``, and ``grade release`` leaves this file out and ships the values
of every question of the bank instead (``grader/quizzes/formulas.answers.json``).  Every quiz answer is
computed here from the drawn numbers, never typed into a question; ``tests/test_quiz.py`` checks each one
against real Keras layers (``compute_output_shape``, ``count_params``) on many students' questions.  Plain
Python integers (and an exact ``Fraction``): no Keras.
"""
from __future__ import annotations

from fractions import Fraction


def pair(v) -> tuple[int, int]:
    return (int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[1]))


# ------------------------------------------------------------ ex01 / ex02
def conv_length(n: int, kernel: int, stride: int = 1, padding="valid") -> int:
    """Output length along one axis; padding "valid", "same" (Keras) or an int p per side."""
    if padding == "same":
        return -(-n // stride)
    p = 0 if padding == "valid" else int(padding)
    return (n + 2 * p - kernel) // stride + 1


def conv_shape(shape, filters: int, kernel, strides=1, padding="valid") -> tuple[int, int, int]:
    (kh, kw), (sh, sw) = pair(kernel), pair(strides)
    h, w, _ = shape
    return conv_length(h, kh, sh, padding), conv_length(w, kw, sw, padding), int(filters)


def pool_shape(shape, pool, strides=None, padding="valid") -> tuple[int, int, int]:
    strides = pool if strides is None else strides
    (ph, pw), (sh, sw) = pair(pool), pair(strides)
    h, w, c = shape
    return conv_length(h, ph, sh, padding), conv_length(w, pw, sw, padding), int(c)


def conv_params(kernel, in_channels: int, filters: int, use_bias: bool = True) -> int:
    kh, kw = pair(kernel)
    return (kh * kw * in_channels + int(use_bias)) * filters


def dense_params(in_features: int, units: int, use_bias: bool = True) -> int:
    return (in_features + int(use_bias)) * units


def flatten_dense_params(shape, units: int) -> int:
    h, w, c = shape
    return dense_params(h * w * c, units)


# ------------------------------------------------------------ ex04 / ex05
def receptive_field(layers) -> int:
    """1 + sum((k_i - 1) * product of the strides below layer i), for (kernel, stride) pairs."""
    rf, jump = 1, 1
    for k, s in layers:
        rf += (k - 1) * jump
        jump *= s
    return rf


def stacked_conv_params(channels: int, kernel: int, depth: int) -> int:
    return depth * conv_params(kernel, channels, channels)


def bottleneck_params(channels: int, reduced: int, kernel: int = 3) -> int:
    """1x1 conv channels -> reduced, then kxk conv reduced -> channels (with biases)."""
    return conv_params(1, channels, reduced) + conv_params(kernel, reduced, channels)


def inception_channels(f1: int, f3: int, f5: int, pool_proj: int) -> int:
    return f1 + f3 + f5 + pool_proj


def batchnorm_params(channels: int) -> int:
    """gamma, beta, moving mean, moving variance (count_params counts all four)."""
    return 4 * channels


def dense_block_channels(in_channels: int, num_layers: int, growth_rate: int) -> int:
    return in_channels + num_layers * growth_rate


def transition_channels(channels: int, compression: float) -> int:
    return int(channels * compression)


# ------------------------------------------------------------ ex07 - ex09
def simple_rnn_params(units: int, input_dim: int) -> int:
    return units * (units + input_dim) + units


def lstm_params(units: int, input_dim: int) -> int:
    return 4 * (units * (units + input_dim) + units)


def gru_params(units: int, input_dim: int, reset_after: bool = True) -> int:
    return 3 * units * (units + input_dim) + (6 if reset_after else 3) * units


# ------------------------------------------------------------ ex10
def mha_params(query_dim: int, num_heads: int, key_dim: int, value_dim_in: int | None = None,
               value_dim: int | None = None) -> int:
    """Keras MultiHeadAttention: query/key/value projections with biases, output back to query_dim."""
    vin = query_dim if value_dim_in is None else value_dim_in
    vd = key_dim if value_dim is None else value_dim
    q = (query_dim + 1) * num_heads * key_dim
    k = (vin + 1) * num_heads * key_dim
    v = (vin + 1) * num_heads * vd
    out = num_heads * vd * query_dim + query_dim
    return q + k + v + out


def layernorm_params(dim: int) -> int:
    return 2 * dim


def encoder_block_params(d_model: int, num_heads: int, key_dim: int, ff_dim: int) -> int:
    return (mha_params(d_model, num_heads, key_dim) + 2 * layernorm_params(d_model)
            + dense_params(d_model, ff_dim) + dense_params(ff_dim, d_model))


# ------------------------------------------------------------ ex06
def conv_transpose_length(n: int, kernel: int, stride: int, padding: str) -> int:
    """Keras Conv2DTranspose with output_padding=None."""
    if padding == "same":
        return n * stride
    return n * stride + max(kernel - stride, 0)


def yolo_shape(grid: int, boxes: int, classes: int) -> tuple[int, int, int]:
    return grid, grid, boxes * 5 + classes


def rpn_params(in_channels: int, anchors: int, hidden: int = 512) -> int:
    return (conv_params(3, in_channels, hidden) + conv_params(1, hidden, 2 * anchors)
            + conv_params(1, hidden, 4 * anchors))


def iou(a, b) -> Fraction:
    """Intersection over union of [y1, x1, y2, x2] boxes, exact (touching boxes give 0)."""
    ih = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iw = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ih * iw
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return Fraction(inter, union)
