"""'same' as k // 2 zeros on every side (right only for odd kernels and stride 1).

expect: conv_same FAIL "k // 2 on both sides"
expect: conv_valid PASS
expect: same_padding_amounts ERROR "does not define same_padding"
expect: max_pooling ERROR "does not define max_pool2d_forward"
expect: stride_vs_pooling_cost ERROR "does not define downsample_cost"
expect: hidden_same_padding ERROR "does not define same_padding"
expect: hidden_pool_and_cost ERROR "does not define max_pool2d_forward"
expect: conv_strided FAIL "k // 2 on both sides"
expect: hidden_conv FAIL "conv2d_forward"
"""
import numpy as np


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    kh, kw, _, f = w.shape
    if padding == "same":
        x = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.einsum("nhwc,hwcf->nf", win, w) + b
    return out
