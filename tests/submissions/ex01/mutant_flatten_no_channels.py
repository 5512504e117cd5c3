"""Flattens H x W but forgets the channels.

expect: flatten_explosion FAIL "forgot the channels"
expect: length_valid ERROR "does not define conv_output_length"
expect: length_same ERROR "does not define conv_output_length"
expect: length_int_padding ERROR "does not define conv_output_length"
expect: classic_cases ERROR "does not define conv_output_shape"
expect: conv_shapes ERROR "does not define conv_output_shape"
expect: pool_shapes ERROR "does not define pool_output_shape"
expect: conv_params ERROR "does not define conv_param_count"
expect: dense_params ERROR "does not define dense_param_count"
expect: hidden_lengths ERROR "does not define conv_output_length"
expect: hidden_shapes ERROR "does not define conv_output_shape"
expect: hidden_params ERROR "does not define conv_param_count"
"""


def flatten_dense_param_count(feature_shape, units):
    h, w, c = feature_shape
    return (h * w + 1) * units
