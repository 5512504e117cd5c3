"""Max pooling whose 'same' padding uses zeros, so a padded zero can win the max.

expect: max_pooling FAIL "padded with zeros"
expect: same_padding_amounts ERROR "does not define same_padding"
expect: conv_valid ERROR "does not define conv2d_forward"
expect: conv_same ERROR "does not define conv2d_forward"
expect: conv_strided ERROR "does not define conv2d_forward"
expect: stride_vs_pooling_cost ERROR "does not define downsample_cost"
expect: hidden_same_padding ERROR "does not define same_padding"
expect: hidden_conv ERROR "does not define conv2d_forward"
expect: hidden_pool_and_cost FAIL "differs from the expected output"
"""
import math

import numpy as np


def max_pool2d_forward(x, pool_size=2, stride=None, padding="valid"):
    s = stride or pool_size
    if padding == "same":
        pads = []
        for n in x.shape[1:3]:
            total = max((math.ceil(n / s) - 1) * s + pool_size - n, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    oh, ow = (x.shape[1] - pool_size) // s + 1, (x.shape[2] - pool_size) // s + 1
    out = np.zeros((x.shape[0], oh, ow, x.shape[3]))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j, :] = x[:, i * s:i * s + pool_size, j * s:j * s + pool_size, :].max(axis=(1, 2))
    return out
