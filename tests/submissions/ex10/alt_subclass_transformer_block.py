"""A keras.io-style TransformerBlock keras.layers.Layer subclass (self.att MultiHeadAttention,
self.ffn a Sequential of Dense(ff_dim, relu) and Dense(d_model), self.layernorm1/2 with
epsilon=1e-6, self.dropout1/2), post-norm as the syllabus asks, called on x inside
transformer_encoder_block; the numpy functions vectorised with einsum.  All correct: full marks.

expect: * PASS
"""
import keras
import numpy as np
from keras import layers


def scaled_dot_product_attention(q, k, v, mask=None):
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    logits = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        logits = np.where(np.asarray(mask).astype(bool), logits, -1e9)
    logits = logits - logits.max(axis=-1, keepdims=True)
    weights = np.exp(logits)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights


def positional_encoding(length, depth):
    positions = np.arange(length, dtype=np.float64)[:, None]
    rates = 1.0 / np.power(10000.0, (np.arange(depth) // 2 * 2) / depth)
    angles = positions * rates[None, :]
    pe = np.empty((length, depth))
    pe[:, 0::2] = np.sin(angles[:, 0::2])
    pe[:, 1::2] = np.cos(angles[:, 1::2])
    return pe


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    w = {name: np.asarray(a, dtype=np.float64) for name, a in weights.items()}
    q = np.einsum("bqd,dhk->bhqk", query, w["query_kernel"]) + w["query_bias"][:, None, :]
    k = np.einsum("bsd,dhk->bhsk", key, w["key_kernel"]) + w["key_bias"][:, None, :]
    v = np.einsum("bsd,dhk->bhsk", value, w["value_kernel"]) + w["value_bias"][:, None, :]
    heads, _ = scaled_dot_product_attention(q, k, v, None if mask is None else np.asarray(mask)[:, None, :, :])
    return np.einsum("bhqk,hko->bqo", heads, w["output_kernel"]) + w["output_bias"]


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, key_dim, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs, training=training)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.dropout2(self.ffn(out1), training=training)
        return self.layernorm2(out1 + ffn_output)


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    return TransformerBlock(x.shape[-1], num_heads, key_dim, ff_dim, rate=dropout)(x)
