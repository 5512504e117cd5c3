"""'same' as k // 2 zeros on every side (right only for odd kernels and stride 1).

expect: conv_same FAIL "k // 2 on both sides"
expect: conv_valid PASS
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
