"""Counts the stride-1 conv only at the positions that survive pooling.

expect: stride_vs_pooling_cost FAIL "only at the pooled positions"
"""
import math


def downsample_cost(input_shape, filters, kernel_size):
    h, w, c = input_shape
    per = kernel_size * kernel_size * c
    return {"conv_then_pool": (h // 2) * (w // 2) * filters * per,
            "strided_conv": math.ceil(h / 2) * math.ceil(w / 2) * filters * per}
