"""ex02 -- Padding, stride and pooling, by hand in numpy.

A Conv2D layer slides each filter over the input and, at every position,
multiplies a kh x kw x C_in window with the filter and sums: one output number
per position and filter, plus the filter's bias.  (Keras, like every deep
learning library, does not flip the kernel: it is cross-correlation.)  Over an
RGB image the filter spans all three channels at once, so a 3x3 filter on an
RGB input has 3*3*3 weights, and one filter gives one output channel.

Padding.  "valid" adds nothing.  "same" adds just enough zeros that the output
has ceil(n / stride) positions.  The total padding along an axis is
    pad = max((out - 1) * stride + k - n, 0)
and when it is odd, TensorFlow/Keras puts the extra zero at the END
(bottom/right): before = pad // 2, after = pad - before.  That is why an even
kernel, or a stride that does not divide n, gives asymmetric padding, and why
a hand-written "same" that pads k // 2 on both sides disagrees with Keras.

Stride vs pooling.  Two ways to halve H and W: a stride-1 "same" conv followed
by 2x2 max pooling, or a stride-2 "same" conv.  The first computes every
output position and then throws three quarters away; the second computes only
the positions it keeps.  ``downsample_cost`` counts the multiply-accumulates
(MACs) of each: a conv costs (output positions) x (filters) x (kh * kw * C_in)
MACs; max pooling has no multiplications and costs 0 MACs.

Arrays: x is (N, H, W, C_in) float32, w is (kh, kw, C_in, F), b is (F,) -- the
layout of ``keras.layers.Conv2D``'s weights.  Return numpy arrays.

Grading: your outputs must equal Keras Conv2D / MaxPooling2D given the same
weights to 1e-5, for valid and same padding, strides 1 and 2, odd and even
kernels, 1 and 3 input channels; hidden cases use random shapes.  Inputs are
small (H, W <= 16), so plain Python loops over output positions are fast
enough.  Time limit 30 s per check; memory limit 1 GB.
"""
import numpy as np


def same_padding(n, kernel_size, stride):
    """(before, after): zeros added to one axis of length n by Keras "same" padding."""
    raise NotImplementedError


def conv2d_forward(x, w, b, stride=1, padding="valid"):
    """Naive 2D convolution (cross-correlation), like keras.layers.Conv2D.

    x (N, H, W, C_in), w (kh, kw, C_in, F), b (F,); stride an int;
    padding "valid" or "same".  Returns (N, H', W', F).
    """
    raise NotImplementedError


def max_pool2d_forward(x, pool_size=2, stride=None, padding="valid"):
    """Max pooling like keras.layers.MaxPooling2D (stride None = pool_size).

    With "same" padding, the padded positions never win the max.
    Returns (N, H', W', C).
    """
    raise NotImplementedError


def downsample_cost(input_shape, filters, kernel_size):
    """MACs of two ways to halve an (H, W, C) input with `filters` kxk filters.

    Returns {"conv_then_pool": MACs of a stride-1 "same" conv followed by
    2x2 max pooling, "strided_conv": MACs of a stride-2 "same" conv}.
    """
    raise NotImplementedError
