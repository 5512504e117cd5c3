"""ex10's truths that Keras has no public layer for: scaled dot-product attention, the positional encoding and
multi-head attention in numpy (Keras's layout), each with the knobs that reproduce a known mistake
(``grader.checks.ex10_attention``; tested against keras.ops.dot_product_attention, the paper's definition and
keras.layers.MultiHeadAttention in tests/test_ex10_attention.py)."""
from __future__ import annotations

import numpy as np

NEG = -1e9


def softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def attention(q, k, v, mask=None, *, scale=None, invert_mask=False, ignore_mask=False, axis=-1):
    """(output, weights) in float64.  scale defaults to 1/sqrt(d); the knobs reproduce mistakes."""
    q, k, v = (np.asarray(a, np.float64) for a in (q, k, v))
    s = q @ np.swapaxes(k, -1, -2)
    s = s * (1.0 / np.sqrt(q.shape[-1]) if scale is None else scale)
    if mask is not None and not ignore_mask:
        attend = np.asarray(mask) != 0
        s = np.where(~attend if invert_mask else attend, s, NEG)
    w = softmax(s, axis=axis)
    return w @ v, w


def positional_encoding_reference(length, depth, *, swap=False, halves=False, column_exponent=False):
    pos = np.arange(length)[:, None].astype(np.float64)
    j = np.arange(depth)[None, :]
    if halves:  # sin for the first half of the columns, cos for the second (a common tutorial layout)
        half = depth // 2
        i = np.arange(half)[None, :]
        angle = pos / np.power(10000.0, 2 * i / depth)
        return np.concatenate([np.sin(angle), np.cos(angle)], axis=1)[:, :depth]
    exponent = (2 * j if column_exponent else 2 * (j // 2)) / depth
    angle = pos / np.power(10000.0, exponent)
    even, odd = (np.cos, np.sin) if swap else (np.sin, np.cos)
    return np.where(j % 2 == 0, even(angle), odd(angle))


def mha_reference(query, value, key, w, mask=None, *, scale=None, single_head=False, swap_kv=False, **knobs):
    """Multi-head attention in numpy (Keras layout) with knobs for the classic mistakes."""
    if swap_kv:
        key, value = value, key
    query, value, key = (np.asarray(a, np.float64) for a in (query, value, key))
    q = np.einsum("btd,dhk->bhtk", query, w["query_kernel"]) + w["query_bias"][None, :, None]
    k = np.einsum("bsd,dhk->bhsk", key, w["key_kernel"]) + w["key_bias"][None, :, None]
    v = np.einsum("bsd,dhk->bhsk", value, w["value_kernel"]) + w["value_bias"][None, :, None]
    m = None if mask is None else np.asarray(mask)[:, None]
    if single_head:  # all heads as one: one softmax over the concatenated features
        b, h, t, kd = q.shape
        flat = lambda a: np.swapaxes(a, 1, 2).reshape(b, a.shape[2], 1, -1).swapaxes(1, 2)  # noqa: E731
        o, _ = attention(flat(q), flat(k), flat(v), m, scale=scale, **knobs)
        heads = o.swapaxes(1, 2).reshape(b, t, h, -1).swapaxes(1, 2)
    else:
        heads, _ = attention(q, k, v, m, scale=scale, **knobs)
    return np.einsum("bhtk,hko->bto", heads, w["output_kernel"]) + w["output_bias"]
