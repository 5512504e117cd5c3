"""Reference solution of ex02 (padding, stride and pooling in numpy)."""
import math

import numpy as np


def same_padding(n, kernel_size, stride):
    out = math.ceil(n / stride)
    total = max((out - 1) * stride + kernel_size - n, 0)
    return total // 2, total - total // 2


def _pad(x, kh, kw, stride, padding, value=0.0):
    if padding == "valid":
        return x
    (top, bottom), (left, right) = same_padding(x.shape[1], kh, stride), same_padding(x.shape[2], kw, stride)
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    x = np.asarray(x, dtype=np.float64)
    kh, kw, _, f = w.shape
    xp = _pad(x, kh, kw, stride, padding)
    n, h, wd, _ = xp.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.empty((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            window = xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(window, w, axes=([1, 2, 3], [0, 1, 2]))
    return (out + b).astype(np.float32)


def max_pool2d_forward(x, pool_size=2, stride=None, padding="valid"):
    stride = pool_size if stride is None else stride
    xp = _pad(np.asarray(x, dtype=np.float64), pool_size, pool_size, stride, padding, value=-np.inf)
    n, h, wd, c = xp.shape
    oh, ow = (h - pool_size) // stride + 1, (wd - pool_size) // stride + 1
    out = np.empty((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            window = xp[:, i * stride:i * stride + pool_size, j * stride:j * stride + pool_size, :]
            out[:, i, j, :] = window.max(axis=(1, 2))
    return out.astype(np.float32)


def downsample_cost(input_shape, filters, kernel_size):
    h, w, c = input_shape
    per_output = kernel_size * kernel_size * c
    full = h * w * filters * per_output
    strided = math.ceil(h / 2) * math.ceil(w / 2) * filters * per_output
    return {"conv_then_pool": full, "strided_conv": strided}
