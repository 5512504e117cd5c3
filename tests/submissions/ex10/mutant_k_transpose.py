"""Attention written with k.T, as in many 2-D tutorials: right for a single
(T, d) matrix, but on a batch .T reverses every axis and the matmul fails.
The ERROR keeps the check's own hint (".T reverses every axis") beside the
traceback hint (tests/test_submissions.py checks the hint).

expect: attention_no_mask ERROR "matmul"
expect: attention_with_mask ERROR "matmul"
expect: hidden_attention ERROR|FAIL "scaled_dot_product_attention"
expect: * ERROR "does not define"
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.T / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask == 1, scores, -1e9)
    w = np.exp(scores - scores.max(-1, keepdims=True))
    w = w / w.sum(-1, keepdims=True)
    return w @ v, w
