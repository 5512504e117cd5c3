"""A different correct solution: math.floor/ceil, explicit branches, its own pair handling.

expect: * PASS
"""
import math


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if isinstance(padding, str) and padding.lower() == "same":
        return int(math.ceil(n / float(stride)))
    pad = 0 if isinstance(padding, str) else padding
    return int(math.floor((n + 2 * pad - kernel_size) / stride)) + 1


def _two(v):
    if isinstance(v, (list, tuple)):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def conv_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid"):
    kh, kw = _two(kernel_size)
    sh, sw = _two(strides)
    return (conv_output_length(input_shape[0], kh, sh, padding),
            conv_output_length(input_shape[1], kw, sw, padding), filters)


def pool_output_shape(input_shape, pool_size, strides=None, padding="valid"):
    if strides is None:
        strides = pool_size
    out = conv_output_shape(input_shape, input_shape[2], pool_size, strides, padding)
    return out


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = _two(kernel_size)
    weights = kh * kw * in_channels * filters
    return weights + filters if use_bias else weights


def dense_param_count(in_features, units, use_bias=True):
    return (in_features + int(bool(use_bias))) * units


def flatten_dense_param_count(feature_shape, units):
    features = 1
    for d in feature_shape:
        features *= d
    return dense_param_count(features, units)
