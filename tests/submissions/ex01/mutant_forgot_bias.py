"""Counts the kernel weights of a Conv2D but not the biases.

expect: conv_params FAIL "forgot the bias"
expect: dense_params PASS
expect: length_valid ERROR "does not define conv_output_length"
expect: length_same ERROR "does not define conv_output_length"
expect: length_int_padding ERROR "does not define conv_output_length"
expect: classic_cases ERROR "does not define conv_output_shape"
expect: conv_shapes ERROR "does not define conv_output_shape"
expect: pool_shapes ERROR "does not define pool_output_shape"
expect: flatten_explosion ERROR "does not define flatten_dense_param_count"
expect: hidden_lengths ERROR "does not define conv_output_length"
expect: hidden_shapes ERROR "does not define conv_output_shape"
expect: hidden_params FAIL "forgot the bias"
"""


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return kh * kw * in_channels * filters


def dense_param_count(in_features, units, use_bias=True):
    return in_features * units + (units if use_bias else 0)
