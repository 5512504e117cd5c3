"""A keras.layers.Layer subclass whose call works on tensors with TensorFlow ops: the residual
additions are tf.add, the feed-forward's ReLU is tf.nn.relu applied to the first Dense layer's
output (which has no activation of its own); MultiHeadAttention, Dense, LayerNormalization and
Dropout are attributes.  Post-norm.  All correct: full marks.

expect: * PASS
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers


def _softmax_last(z):
    z = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def scaled_dot_product_attention(q, k, v, mask=None):
    d_k = np.shape(q)[-1]
    scores = np.matmul(q, np.swapaxes(k, -1, -2)) / np.sqrt(d_k)
    if mask is not None:
        scores = scores + (1.0 - np.asarray(mask, dtype=np.float64)) * -1e9
    weights = _softmax_last(scores)
    return np.matmul(weights, v), weights


def positional_encoding(length, depth):
    pe = np.zeros((length, depth))
    for pos in range(length):
        for col in range(depth):
            angle = pos / 10000 ** ((col - col % 2) / depth)
            pe[pos, col] = np.sin(angle) if col % 2 == 0 else np.cos(angle)
    return pe


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    outputs = 0.0
    for h in range(num_heads):
        q = query @ weights["query_kernel"][:, h] + weights["query_bias"][h]
        k = key @ weights["key_kernel"][:, h] + weights["key_bias"][h]
        v = value @ weights["value_kernel"][:, h] + weights["value_bias"][h]
        head, _ = scaled_dot_product_attention(q, k, v, mask)
        outputs = outputs + head @ weights["output_kernel"][h]
    return outputs + weights["output_bias"]


class PostNormEncoder(keras.layers.Layer):
    def __init__(self, num_heads, key_dim, ff_dim, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.num_heads, self.key_dim, self.ff_dim, self.rate = num_heads, key_dim, ff_dim, dropout

    def build(self, input_shape):
        d_model = input_shape[-1]
        self.attention = layers.MultiHeadAttention(self.num_heads, self.key_dim, dropout=self.rate)
        self.norm_attention = layers.LayerNormalization()
        self.expand = layers.Dense(self.ff_dim)
        self.project = layers.Dense(d_model)
        self.norm_ffn = layers.LayerNormalization()
        self.drop_attention = layers.Dropout(self.rate)
        self.drop_ffn = layers.Dropout(self.rate)

    def call(self, x, training=None):
        a = self.drop_attention(self.attention(x, x, training=training), training=training)
        y = self.norm_attention(tf.add(x, a))
        f = self.project(tf.nn.relu(self.expand(y)))
        f = self.drop_ffn(f, training=training)
        return self.norm_ffn(tf.add(y, f))


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    return PostNormEncoder(num_heads, key_dim, ff_dim, dropout)(x)
