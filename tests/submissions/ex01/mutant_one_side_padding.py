"""Pads only one side: n + p - k instead of n + 2p - k.

expect: length_int_padding FAIL "one side"
expect: length_same PASS
expect: classic_cases ERROR "does not define conv_output_shape"
expect: conv_shapes ERROR "does not define conv_output_shape"
expect: pool_shapes ERROR "does not define pool_output_shape"
expect: conv_params ERROR "does not define conv_param_count"
expect: dense_params ERROR "does not define dense_param_count"
expect: flatten_explosion ERROR "does not define flatten_dense_param_count"
expect: hidden_shapes ERROR "does not define conv_output_shape"
expect: hidden_params ERROR "does not define conv_param_count"
expect: hidden_lengths FAIL "forgot the + 1"
"""
import math


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    return (n + p - kernel_size) // stride + 1
