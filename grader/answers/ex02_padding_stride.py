"""ex02's truths that are not Keras's own layer (``grader.checks.ex02_padding_stride``): the wrong answers of
conv2d_forward that name each known mistake, computed by a numpy convolution with explicit pads -- with Keras's
'same' pads it is conv2d_forward itself -- and downsample_cost's count of multiply-accumulates."""
from __future__ import annotations

import math

import numpy as np


def same_pads(n: int, k: int, s: int) -> tuple[int, int]:
    """(before, after) of TensorFlow's 'same' padding along an axis of n: ceil(n / s) outputs, the odd pixel
    after (tests/test_ex02_answers.py holds it to grader.judge.truth.same_padding_of_keras)."""
    total = max((math.ceil(n / s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def conv(x, w, b, stride, pads, flip=False):
    """Cross-correlation of x (N, H, W, C) with w (kh, kw, C, F) in float64, after zero-padding the rows and
    columns by pads = ((top, bottom), (left, right)); b None: no bias; flip: the kernel turned by 180 degrees."""
    (t, bo), (le, r) = pads
    x = np.pad(x.astype(np.float64), ((0, 0), (t, bo), (le, r), (0, 0)))
    if flip:
        w = w[::-1, ::-1]
    kh, kw, _, f = w.shape
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.empty((x.shape[0], oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            win = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(win, w, axes=([1, 2, 3], [0, 1, 2]))
    return out + (0 if b is None else b)


def _square(x, w, b, stride, padding):
    """What code that takes the kernel size from w.shape[0] for both axes returns, when numpy's broadcasting
    lets it run (a kh x 1 kernel); None where it would raise."""
    kh, kw, c, f = w.shape
    if kh == kw or kw != 1:
        return None
    pads = ((0, 0), (0, 0)) if padding == "valid" else (same_pads(x.shape[1], kh, stride),
                                                        same_pads(x.shape[2], kh, stride))
    (t, bo), (le, r) = pads
    if min(x.shape[1] + t + bo, x.shape[2] + le + r) - kh < -stride:  # a negative output size: that code raises
        return None
    return conv(x, np.broadcast_to(w, (kh, kh, c, f)), b, stride, pads)


def conv_mistakes(x, w, b, stride, padding) -> dict:
    """{mistake: what conv2d_forward(x, w, b, stride, padding) returns with it}, for the mistakes this case can
    show, in the order the check names them (its CONV_MISTAKES says what each one is)."""
    pads = ((0, 0), (0, 0)) if padding == "valid" else (same_pads(x.shape[1], w.shape[0], stride),
                                                        same_pads(x.shape[2], w.shape[1], stride))
    m = {"no_bias": conv(x, w, None, stride, pads), "flipped": conv(x, w, b, stride, pads, True)}
    if padding == "same":
        (t, bo), (le, r) = pads
        kh, kw = w.shape[:2]
        m["odd_pixel_before"] = conv(x, w, b, stride, ((bo, t), (r, le)))
        m["half_kernel_both_sides"] = conv(x, w, b, stride, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
        m["course_padding"] = conv(x, w, b, stride, (((kh - 1) // 2, (kh - 1) // 2), ((kw - 1) // 2, (kw - 1) // 2)))
    square = _square(x, w, b, stride, padding)
    if square is not None:
        m["square_kernel"] = square
    if stride > 1:
        m["no_stride"] = conv(x, w, b, 1, pads)
    return m


def downsample_cost(input_shape, filters, kernel_size) -> dict:
    """The multiply-accumulates of a kernel_size x kernel_size convolution with 'same' padding at stride 1 (then
    a pooling, which adds none) and at stride 2, on input_shape (H, W, C_in)."""
    h, w, c = input_shape
    per = kernel_size * kernel_size * c
    return {"conv_then_pool": h * w * filters * per,
            "strided_conv": math.ceil(h / 2) * math.ceil(w / 2) * filters * per}
