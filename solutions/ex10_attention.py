"""Reference solution of ex10 (Transformer pieces): numpy attention, Keras encoder block."""
import keras
import numpy as np


def _softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def scaled_dot_product_attention(q, k, v, mask=None):
    d = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    if mask is not None:
        scores = np.where(np.asarray(mask) != 0, scores, -1e9)
    weights = _softmax(scores, axis=-1)
    return weights @ v, weights


def positional_encoding(length, depth):
    pos = np.arange(length)[:, None]
    i = np.arange(depth)[None, :]
    angle = pos / np.power(10000.0, (2 * (i // 2)) / depth)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    w = weights
    q = np.einsum("btd,dhk->bhtk", query, w["query_kernel"]) + w["query_bias"][None, :, None, :]
    k = np.einsum("bsd,dhk->bhsk", key, w["key_kernel"]) + w["key_bias"][None, :, None, :]
    v = np.einsum("bsd,dhk->bhsk", value, w["value_kernel"]) + w["value_bias"][None, :, None, :]
    heads, _ = scaled_dot_product_attention(q, k, v, None if mask is None else np.asarray(mask)[:, None])
    return np.einsum("bhtk,hko->bto", heads, w["output_kernel"]) + w["output_bias"]


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    attention = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=dropout)(x, x)
    attention = keras.layers.Dropout(dropout)(attention)
    x = keras.layers.LayerNormalization()(keras.layers.Add()([x, attention]))
    ff = keras.layers.Dense(ff_dim, activation="relu")(x)
    ff = keras.layers.Dense(d_model)(ff)
    ff = keras.layers.Dropout(dropout)(ff)
    return keras.layers.LayerNormalization()(keras.layers.Add()([x, ff]))
