"""Counts the kernel weights of a Conv2D but not the biases.

expect: conv_params FAIL "forgot the bias"
expect: dense_params PASS
"""


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters


def dense_param_count(in_features, units, use_bias=True):
    return in_features * units + (units if use_bias else 0)
