"""Concatenates all the sines, then all the cosines (a tutorial layout), instead of interleaving.

expect: positional_encoding_values FAIL "two halves"
"""
import numpy as np


def positional_encoding(length, depth):
    pos = np.arange(length)[:, None]
    i = np.arange(depth // 2)[None, :]
    angle = pos / 10000 ** (2 * i / depth)
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=-1)
