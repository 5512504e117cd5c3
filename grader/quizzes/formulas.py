"""The formulas behind the quiz answers, by name: ``F.conv_params(3, 64, 128)``.

Every quiz answer is computed from the drawn numbers with these, never typed
into a question.  They are lookups (``grader.judge.answers``): in the
instructor's grader each one is computed by the function of the same name in
``grader/answers/formulas.py`` -- the formulas the exercises ask for, checked
against real Keras layers by ``tests/test_quiz.py`` -- and in the student
release, which leaves that code out, it is read from
``grader/quizzes/formulas.answers.json``: the values ``grade release``
recorded while it drew every question of the bank (``grader.judge.quizkit``).
The arguments are passed on in position, so a call finds its value whichever
way it names them.  Plain Python values: the quiz runs without TensorFlow.
"""
from __future__ import annotations

from fractions import Fraction

from grader.judge import answers

TABLE = answers.Table("formulas", home="quizzes", key_chars=16)  # thousands of small values: short keys


# ------------------------------------------------------------ ex01 / ex02
def conv_length(n: int, kernel: int, stride: int = 1, padding="valid") -> int:
    """Output length along one axis; padding "valid", "same" (Keras) or an int p per side."""
    return TABLE("conv_length", n, kernel, stride, padding)


def conv_shape(shape, filters: int, kernel, strides=1, padding="valid") -> tuple[int, int, int]:
    return TABLE("conv_shape", shape, filters, kernel, strides, padding)


def pool_shape(shape, pool, strides=None, padding="valid") -> tuple[int, int, int]:
    return TABLE("pool_shape", shape, pool, strides, padding)


def conv_params(kernel, in_channels: int, filters: int, use_bias: bool = True) -> int:
    return TABLE("conv_params", kernel, in_channels, filters, use_bias)


def dense_params(in_features: int, units: int, use_bias: bool = True) -> int:
    return TABLE("dense_params", in_features, units, use_bias)


def flatten_dense_params(shape, units: int) -> int:
    return TABLE("flatten_dense_params", shape, units)


# ------------------------------------------------------------ ex04 / ex05
def receptive_field(layers) -> int:
    """The receptive field of a stack of (kernel, stride) layers, along one axis."""
    return TABLE("receptive_field", layers)


def stacked_conv_params(channels: int, kernel: int, depth: int) -> int:
    return TABLE("stacked_conv_params", channels, kernel, depth)


def bottleneck_params(channels: int, reduced: int, kernel: int = 3) -> int:
    """1x1 conv channels -> reduced, then kxk conv reduced -> channels (with biases)."""
    return TABLE("bottleneck_params", channels, reduced, kernel)


def inception_channels(f1: int, f3: int, f5: int, pool_proj: int) -> int:
    return TABLE("inception_channels", f1, f3, f5, pool_proj)


def batchnorm_params(channels: int) -> int:
    """gamma, beta, moving mean, moving variance (count_params counts all four)."""
    return TABLE("batchnorm_params", channels)


def dense_block_channels(in_channels: int, num_layers: int, growth_rate: int) -> int:
    return TABLE("dense_block_channels", in_channels, num_layers, growth_rate)


def transition_channels(channels: int, compression: float) -> int:
    return TABLE("transition_channels", channels, compression)


# ------------------------------------------------------------ ex07 - ex09
def simple_rnn_params(units: int, input_dim: int) -> int:
    return TABLE("simple_rnn_params", units, input_dim)


def lstm_params(units: int, input_dim: int) -> int:
    return TABLE("lstm_params", units, input_dim)


def gru_params(units: int, input_dim: int, reset_after: bool = True) -> int:
    return TABLE("gru_params", units, input_dim, reset_after)


# ------------------------------------------------------------ ex10
def mha_params(query_dim: int, num_heads: int, key_dim: int, value_dim_in: int | None = None,
               value_dim: int | None = None) -> int:
    """Keras MultiHeadAttention: query/key/value projections with biases, output back to query_dim."""
    return TABLE("mha_params", query_dim, num_heads, key_dim, value_dim_in, value_dim)


def layernorm_params(dim: int) -> int:
    return TABLE("layernorm_params", dim)


def encoder_block_params(d_model: int, num_heads: int, key_dim: int, ff_dim: int) -> int:
    return TABLE("encoder_block_params", d_model, num_heads, key_dim, ff_dim)


# ------------------------------------------------------------ ex06
def conv_transpose_length(n: int, kernel: int, stride: int, padding: str) -> int:
    """Keras Conv2DTranspose with output_padding=None."""
    return TABLE("conv_transpose_length", n, kernel, stride, padding)


def yolo_shape(grid: int, boxes: int, classes: int) -> tuple[int, int, int]:
    return TABLE("yolo_shape", grid, boxes, classes)


def rpn_params(in_channels: int, anchors: int, hidden: int = 512) -> int:
    return TABLE("rpn_params", in_channels, anchors, hidden)


def iou(a, b) -> Fraction:
    """Intersection over union of [y1, x1, y2, x2] boxes, exact (touching boxes give 0)."""
    return TABLE("iou", a, b)
