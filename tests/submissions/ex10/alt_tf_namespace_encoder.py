"""TensorFlow-namespace spelling of the functional block: tf.keras.layers.MultiHeadAttention,
Dense(ff_dim, activation=tf.nn.relu, kernel_initializer=tf.keras.initializers.GlorotUniform()),
Dense(d_model, kernel_initializer=tf.random_normal_initializer(0., 0.02)),
tf.keras.layers.LayerNormalization(epsilon=1e-6) and tf.keras.layers.Add; the numpy functions
with loops over heads and positions.  All correct: full marks.

expect: * PASS
"""
import numpy as np
import tensorflow as tf


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


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    L = tf.keras.layers
    d_model = x.shape[-1]
    attention = L.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=dropout,
                                     kernel_initializer=tf.keras.initializers.GlorotUniform())(x, x)
    attention = L.Dropout(dropout)(attention)
    y = L.LayerNormalization(epsilon=1e-6)(L.Add()([x, attention]))
    hidden = L.Dense(ff_dim, activation=tf.nn.relu, kernel_initializer=tf.keras.initializers.GlorotUniform())(y)
    ff = L.Dense(d_model, kernel_initializer=tf.random_normal_initializer(0., 0.02))(hidden)
    ff = L.Dropout(dropout)(ff)
    return L.LayerNormalization(epsilon=1e-6)(L.Add()([y, ff]))
