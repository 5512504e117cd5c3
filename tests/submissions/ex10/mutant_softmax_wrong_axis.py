"""Normalises the scores over the queries (axis -2) instead of the keys.

expect: attention_no_mask FAIL "softmax over the wrong axis"
expect: hidden_attention FAIL "wrong axis"
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask != 0, scores, -1e9)
    w = np.exp(scores - scores.max(-2, keepdims=True))
    w = w / w.sum(-2, keepdims=True)
    return w @ v, w
