"""Counts the kernels of the stacked convolutions but leaves the biases out.

expect: stacked_params FAIL "forgot the biases"
expect: receptive_fields PASS
"""


def receptive_field(layers):
    rf, jump = 1, 1
    for k, s in layers:
        rf += (k - 1) * jump
        jump *= s
    return rf


def stacked_conv_params(channels, kernel_size, depth):
    return depth * kernel_size * kernel_size * channels * channels
