"""Adds up (k - 1) for every layer but forgets that earlier strides stretch the steps.

expect: receptive_fields FAIL "ignored the strides"
expect: hidden_arithmetic FAIL "ignored the strides"
"""


def receptive_field(layers):
    return 1 + sum(k - 1 for k, _ in layers)
