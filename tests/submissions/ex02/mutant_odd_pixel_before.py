"""'same' padding with the odd pixel put before (top/left) instead of after.

expect: same_padding_amounts FAIL "odd pixel goes after"
expect: conv_same FAIL "odd padding pixel before"
expect: conv_valid PASS
expect: max_pooling ERROR "does not define max_pool2d_forward"
expect: stride_vs_pooling_cost ERROR "does not define downsample_cost"
expect: hidden_pool_and_cost ERROR "does not define max_pool2d_forward"
expect: conv_strided FAIL "differs from the expected output"
expect: hidden_same_padding FAIL "the odd pixel goes after"
expect: hidden_conv FAIL "differs from the expected output"
"""
import math

import numpy as np


def same_padding(n, kernel_size, stride):
    total = max((math.ceil(n / stride) - 1) * stride + kernel_size - n, 0)
    return total - total // 2, total // 2


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    kh, kw, _, f = w.shape
    if padding == "same":
        x = np.pad(x, ((0, 0), same_padding(x.shape[1], kh, stride), same_padding(x.shape[2], kw, stride), (0, 0)))
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.einsum("nhwc,hwcf->nf", win, w) + b
    return out
