"""A different correct solution: a per-head loop with reshapes and tensordot instead of einsum,
an additive mask, python loops for the positional encoding, keras.layers.Add and epsilon=1e-6.

expect: * PASS
"""
import math

import keras
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    q = np.asarray(q, dtype=np.float64)
    scores = np.matmul(q, np.swapaxes(k, -1, -2)) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + (1.0 - np.asarray(mask, dtype=np.float64)) * -1e9
    scores = scores - np.max(scores, axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= np.sum(weights, axis=-1, keepdims=True)
    return np.matmul(weights, v), weights


def positional_encoding(length, depth):
    pe = np.zeros((length, depth))
    for pos in range(length):
        for i in range(0, depth, 2):
            angle = pos / (10000 ** (i / depth))
            pe[pos, i] = math.sin(angle)
            if i + 1 < depth:
                pe[pos, i + 1] = math.cos(angle)
    return pe


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    batch, tq, d = query.shape
    out = np.zeros((batch, tq, weights["output_bias"].shape[0]))
    for h in range(num_heads):
        q = np.tensordot(query, weights["query_kernel"][:, h, :], axes=([2], [0])) + weights["query_bias"][h]
        k = np.tensordot(key, weights["key_kernel"][:, h, :], axes=([2], [0])) + weights["key_bias"][h]
        v = np.tensordot(value, weights["value_kernel"][:, h, :], axes=([2], [0])) + weights["value_bias"][h]
        head, _ = scaled_dot_product_attention(q, k, v, mask)
        out += head.reshape(batch * tq, -1).dot(weights["output_kernel"][h]).reshape(batch, tq, -1)
    return out + weights["output_bias"]


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    attention = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=dropout)
    x = keras.layers.LayerNormalization(epsilon=1e-6)(keras.layers.Add()([x, attention(x, x)]))
    hidden = keras.layers.Dense(ff_dim, activation="relu")(x)
    ff = keras.layers.Dropout(dropout)(keras.layers.Dense(d_model)(hidden))
    return keras.layers.LayerNormalization(epsilon=1e-6)(keras.layers.Add()([x, ff]))
