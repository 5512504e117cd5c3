"""Convolution without the bias.

expect: conv_valid FAIL "forgot to add the bias"
expect: same_padding_amounts ERROR "does not define same_padding"
expect: max_pooling ERROR "does not define max_pool2d_forward"
expect: stride_vs_pooling_cost ERROR "does not define downsample_cost"
expect: hidden_same_padding ERROR "does not define same_padding"
expect: hidden_pool_and_cost ERROR "does not define max_pool2d_forward"
expect: conv_same FAIL "has shape"
expect: conv_strided FAIL "differs from the expected output"
expect: hidden_conv FAIL "has shape"
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
