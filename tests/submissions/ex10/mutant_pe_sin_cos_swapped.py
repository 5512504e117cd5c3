"""Puts cos in the even columns and sin in the odd ones.

expect: positional_encoding_values FAIL "sin and cos swapped"
expect: hidden_positional_encoding FAIL "sin and cos swapped"
"""
import numpy as np


def positional_encoding(length, depth):
    pos = np.arange(length)[:, None]
    i = np.arange(depth)[None, :]
    angle = pos / 10000 ** (2 * (i // 2) / depth)
    return np.where(i % 2 == 0, np.cos(angle), np.sin(angle))
