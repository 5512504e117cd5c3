"""Counts the stride-1 conv only at the positions that survive pooling.

expect: stride_vs_pooling_cost FAIL "only at the pooled positions"
expect: same_padding_amounts ERROR "does not define same_padding"
expect: conv_valid ERROR "does not define conv2d_forward"
expect: conv_same ERROR "does not define conv2d_forward"
expect: conv_strided ERROR "does not define conv2d_forward"
expect: max_pooling ERROR "does not define max_pool2d_forward"
expect: hidden_same_padding ERROR "does not define same_padding"
expect: hidden_conv ERROR "does not define conv2d_forward"
expect: hidden_pool_and_cost ERROR "does not define max_pool2d_forward"
"""
import math


def downsample_cost(input_shape, filters, kernel_size):
    h, w, c = input_shape
    per = kernel_size * kernel_size * c
    return {"conv_then_pool": (h // 2) * (w // 2) * filters * per,
            "strided_conv": math.ceil(h / 2) * math.ceil(w / 2) * filters * per}
