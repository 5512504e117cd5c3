"""A different correct solution: sliding_window_view + einsum, no Python loops.

expect: * PASS
"""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def same_padding(n, kernel_size, stride):
    out = -(-n // stride)
    total = max(0, (out - 1) * stride + kernel_size - n)
    before = total // 2
    return before, total - before


def _padded(x, kh, kw, stride, padding, value):
    if padding != "same":
        return x
    return np.pad(x, ((0, 0), same_padding(x.shape[1], kh, stride), same_padding(x.shape[2], kw, stride), (0, 0)),
                  constant_values=value)


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    kh, kw = w.shape[:2]
    xp = _padded(np.asarray(x, np.float64), kh, kw, stride, padding, 0.0)
    windows = sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]  # (N, oh, ow, C, kh, kw)
    return np.einsum("nijchw,hwcf->nijf", windows, w) + b


def max_pool2d_forward(x, pool_size=2, stride=None, padding="valid"):
    stride = stride or pool_size
    xp = _padded(np.asarray(x, np.float64), pool_size, pool_size, stride, padding, -np.inf)
    windows = sliding_window_view(xp, (pool_size, pool_size), axis=(1, 2))[:, ::stride, ::stride]
    return windows.max(axis=(-2, -1))


def downsample_cost(input_shape, filters, kernel_size):
    h, w, c = input_shape
    macs_per_position = filters * kernel_size ** 2 * c
    return {"conv_then_pool": h * w * macs_per_position,
            "strided_conv": math.ceil(h / 2) * math.ceil(w / 2) * macs_per_position}
