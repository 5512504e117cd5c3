"""A student who divides with // for 'same' padding.

expect: length_same FAIL "rounds down"
expect: length_valid PASS
expect: classic_cases ERROR "does not define conv_output_shape"
expect: conv_shapes ERROR "does not define conv_output_shape"
expect: pool_shapes ERROR "does not define pool_output_shape"
expect: conv_params ERROR "does not define conv_param_count"
expect: dense_params ERROR "does not define dense_param_count"
expect: flatten_explosion ERROR "does not define flatten_dense_param_count"
expect: hidden_shapes ERROR "does not define conv_output_shape"
expect: hidden_params ERROR "does not define conv_param_count"
expect: hidden_lengths FAIL "rounds down"
"""


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return n // stride
    p = 0 if padding == "valid" else padding
    return (n + 2 * p - kernel_size) // stride + 1
