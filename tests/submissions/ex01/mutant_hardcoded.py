"""Hard-codes the answers of a few public cases: those checks pass, the rest and the hidden ones fail.

expect: classic_cases PASS
expect: length_valid PASS
expect: hidden_lengths FAIL "returned"
expect: hidden_params FAIL "returned"
expect: pool_shapes ERROR "does not define pool_output_shape"
expect: dense_params ERROR "does not define dense_param_count"
expect: flatten_explosion ERROR "does not define flatten_dense_param_count"
expect: length_same FAIL "returned 1,"
expect: length_int_padding FAIL "returned 1,"
expect: conv_shapes FAIL "returned (1, 1, 32)"
expect: conv_params FAIL "returned 0,"
expect: hidden_shapes FAIL "returned (1, 1,"
"""
_LENGTHS = {(32, 5, 1, "valid"): 28, (7, 3, 2, "valid"): 3, (8, 3, 2, "valid"): 3, (227, 11, 4, "valid"): 55,
            (10, 1, 3, "valid"): 4}
_PARAMS = {(5, 3, 10): 760, (3, 128, 64): 73792}


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    return _LENGTHS.get((n, kernel_size, stride, padding), 1)


def conv_output_shape(input_shape, filters, kernel_size, strides=1, padding="valid"):
    return {(32, 32, 3): (32, 32, 10), (40, 50, 128): (40, 50, 64)}.get(tuple(input_shape), (1, 1, filters))


def conv_param_count(kernel_size, in_channels, filters, use_bias=True):
    return _PARAMS.get((kernel_size, in_channels, filters), 0)
