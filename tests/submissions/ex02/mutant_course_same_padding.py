"""'same' as (k - 1) // 2 zeros on both sides -- one popular course's own formula
(right for odd kernels at stride 1, one pixel short for even kernels).

expect: same_padding_amounts FAIL "(k - 1) // 2 on both sides"
expect: conv_same FAIL "(k - 1) // 2 on both sides"
expect: conv_strided FAIL "(k - 1) // 2 on both sides"
expect: max_pooling ERROR "does not define max_pool2d_forward"
expect: stride_vs_pooling_cost ERROR "does not define downsample_cost"
expect: hidden_pool_and_cost ERROR "does not define max_pool2d_forward"
expect: hidden_same_padding FAIL "on both sides"
expect: hidden_conv FAIL "(k - 1) // 2 on both sides"
"""
import numpy as np


def same_padding(n, kernel_size, stride=1):
    p = (kernel_size - 1) // 2
    return (p, p)


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    kh, kw, _, f = w.shape
    if padding == "same":
        x = np.pad(x, ((0, 0), ((kh - 1) // 2, (kh - 1) // 2), ((kw - 1) // 2, (kw - 1) // 2), (0, 0)))
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.einsum("nhwc,hwcf->nf", win, w) + b
    return out
