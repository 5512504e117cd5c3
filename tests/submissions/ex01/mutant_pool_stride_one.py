"""Treats strides=None as stride 1 in pooling (Keras uses pool_size).

expect: pool_shapes FAIL "strides=None means strides = pool_size"
expect: length_valid ERROR "does not define conv_output_length"
expect: length_same ERROR "does not define conv_output_length"
expect: length_int_padding ERROR "does not define conv_output_length"
expect: classic_cases ERROR "does not define conv_output_shape"
expect: conv_shapes ERROR "does not define conv_output_shape"
expect: conv_params ERROR "does not define conv_param_count"
expect: dense_params ERROR "does not define dense_param_count"
expect: flatten_explosion ERROR "does not define flatten_dense_param_count"
expect: hidden_lengths ERROR "does not define conv_output_length"
expect: hidden_shapes ERROR "does not define conv_output_shape"
expect: hidden_params ERROR "does not define conv_param_count"
"""


def pool_output_shape(input_shape, pool_size, strides=None, padding="valid"):
    h, w, c = input_shape
    ph, pw = (pool_size, pool_size) if isinstance(pool_size, int) else pool_size
    sh, sw = (1, 1) if strides is None else ((strides, strides) if isinstance(strides, int) else strides)
    if padding == "same":
        return (-(-h // sh), -(-w // sw), c)
    return ((h - ph) // sh + 1, (w - pw) // sw + 1, c)
