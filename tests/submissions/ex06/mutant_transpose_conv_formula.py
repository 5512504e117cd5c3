"""Transposed-convolution length as (n - 1) * s + k for "valid" even without
output_padding -- Keras uses n * s + max(k - s, 0), which differs when k < s.

expect: conv_transpose_lengths FAIL "n * s + max(k - s, 0)"
"""


def conv_transpose_output_length(n, kernel_size, stride, padding, output_padding=None):
    pad = kernel_size // 2 if padding == "same" else 0
    if output_padding is None:
        if padding == "same":
            return n * stride
        return (n - 1) * stride + kernel_size
    return (n - 1) * stride + kernel_size - 2 * pad + output_padding
