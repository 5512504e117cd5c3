"""Flattens H x W but forgets the channels.

expect: flatten_explosion FAIL "forgot the channels"
"""


def flatten_dense_param_count(feature_shape, units):
    h, w, c = feature_shape
    return (h * w + 1) * units
