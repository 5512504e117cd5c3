"""Assumes a square kernel: the window size (and 'same' padding) come from
w.shape[0] for both axes, as in a popular course's conv_forward.

expect: conv_valid FAIL "assumed a square kernel"
expect: conv_same ERROR "assumed a square kernel"
expect: same_padding_amounts ERROR "does not define same_padding"
expect: max_pooling ERROR "does not define max_pool2d_forward"
expect: stride_vs_pooling_cost ERROR "does not define downsample_cost"
expect: hidden_same_padding ERROR "does not define same_padding"
expect: hidden_pool_and_cost ERROR "does not define max_pool2d_forward"
expect: hidden_conv ERROR|PASS "assumed a square kernel"
"""
import math

import numpy as np


def _same(n, k, s):
    total = max((math.ceil(n / s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    f = w.shape[0]
    n_c = w.shape[3]
    if padding == "same":
        x = np.pad(x, ((0, 0), _same(x.shape[1], f, stride), _same(x.shape[2], f, stride), (0, 0)))
    oh, ow = (x.shape[1] - f) // stride + 1, (x.shape[2] - f) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, n_c))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * stride:i * stride + f, j * stride:j * stride + f, :]
            for c in range(n_c):
                out[:, i, j, c] = np.sum(win * w[:, :, :, c], axis=(1, 2, 3)) + b[c]
    return out
