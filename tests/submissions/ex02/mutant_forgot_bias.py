"""Convolution without the bias.

expect: conv_valid FAIL "forgot to add the bias"
"""
import numpy as np


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    kh, kw, _, f = w.shape
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.einsum("nhwc,hwcf->nf", win, w)
    return out
