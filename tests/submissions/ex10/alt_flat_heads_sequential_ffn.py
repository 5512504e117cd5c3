"""A different correct solution: heads split by reshaping flattened projections, a boolean
mask with np.where(-inf), the angle table built with np.outer, a ReLU layer and a nested
Sequential feed-forward inside the functional block.

expect: * PASS
"""
import keras
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = np.einsum("...qd,...kd->...qk", q, k) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(np.asarray(mask).astype(bool), scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    w = e / e.sum(axis=-1, keepdims=True)
    return np.einsum("...qk,...kv->...qv", w, v), w


def positional_encoding(length, depth):
    rates = 1.0 / np.power(10000.0, np.arange(0, depth, 2) / depth)
    angles = np.outer(np.arange(length), rates)
    pe = np.empty((length, depth))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)[:, : depth // 2]
    return pe


def _split(x, kernel, bias):
    d, heads, width = kernel.shape
    flat = x @ kernel.reshape(d, heads * width) + bias.reshape(-1)
    b, t, _ = x.shape
    return flat.reshape(b, t, heads, width).transpose(0, 2, 1, 3)


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    q = _split(query, weights["query_kernel"], weights["query_bias"])
    k = _split(key, weights["key_kernel"], weights["key_bias"])
    v = _split(value, weights["value_kernel"], weights["value_bias"])
    m = None if mask is None else np.asarray(mask)[:, np.newaxis, :, :]
    heads, _ = scaled_dot_product_attention(q, k, v, m)
    b, h, t, vd = heads.shape
    concat = heads.transpose(0, 2, 1, 3).reshape(b, t, h * vd)
    return concat @ weights["output_kernel"].reshape(h * vd, -1) + weights["output_bias"]


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    attended = keras.layers.MultiHeadAttention(num_heads, key_dim)(query=x, value=x, key=x)
    y = keras.layers.LayerNormalization(epsilon=1e-5)(x + keras.layers.Dropout(dropout)(attended))
    ffn = keras.Sequential([keras.layers.Dense(ff_dim), keras.layers.ReLU(), keras.layers.Dense(d_model),
                            keras.layers.Dropout(dropout)])
    return keras.layers.LayerNormalization(epsilon=1e-5)(y + ffn(y))
