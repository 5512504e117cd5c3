"""Pads only one side: n + p - k instead of n + 2p - k.

expect: length_int_padding FAIL "one side"
expect: length_same PASS
"""
import math


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / stride)
    p = 0 if padding == "valid" else padding
    return (n + p - kernel_size) // stride + 1
