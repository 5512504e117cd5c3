"""Keeps the input's channel count in a conv's output shape.

expect: conv_shapes FAIL "one channel per filter"
expect: pool_shapes ERROR "does not define pool_output_shape"
expect: conv_params ERROR "does not define conv_param_count"
expect: dense_params ERROR "does not define dense_param_count"
expect: flatten_explosion ERROR "does not define flatten_dense_param_count"
expect: hidden_params ERROR "does not define conv_param_count"
expect: classic_cases FAIL "returned (32, 32, 3)"
expect: hidden_shapes FAIL "kept the input channels"
"""
import math


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    return (n + 2 * p - kernel_size) // stride + 1


def conv_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid"):
    h, w, c = input_shape
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    sh, sw = (strides, strides) if isinstance(strides, int) else strides
    return (conv_output_length(h, kh, sh, padding), conv_output_length(w, kw, sw, padding), c)
