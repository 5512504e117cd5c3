"""Reference solution of ex01 (convolution arithmetic)."""
import math


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else int(padding)
    return (n + 2 * p - kernel_size) // stride + 1


def conv_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid"):
    h, w, _ = input_shape
    (kh, kw), (sh, sw) = _pair(kernel_size), _pair(strides)
    return (conv_output_length(h, kh, sh, padding), conv_output_length(w, kw, sw, padding), filters)


def pool_output_shape(input_shape, pool_size, strides=None, padding="valid"):
    h, w, c = input_shape
    (ph, pw) = _pair(pool_size)
    (sh, sw) = _pair(strides) if strides is not None else (ph, pw)
    return (conv_output_length(h, ph, sh, padding), conv_output_length(w, pw, sw, padding), c)


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = _pair(kernel_size)
    return kh * kw * in_channels * filters + (filters if use_bias else 0)


def dense_param_count(in_features, units, use_bias=True):
    return in_features * units + (units if use_bias else 0)


def flatten_dense_param_count(feature_shape, units):
    h, w, c = feature_shape
    return dense_param_count(h * w * c, units)
