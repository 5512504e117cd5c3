"""A student who divides with // for 'same' padding.

expect: length_same FAIL "rounds down"
expect: length_valid PASS
"""


def conv_output_length(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return n // stride
    p = 0 if padding == "valid" else padding
    return (n + 2 * p - kernel_size) // stride + 1
