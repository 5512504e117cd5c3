"""Normalises only once, at the end.

expect: encoder_shape_and_params FAIL "a LayerNormalization is missing"
expect: encoder_layer_norm FAIL "1 LayerNormalization"
"""
import keras


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    y = x + keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout)(x, x)
    f = keras.layers.Dense(d_model)(keras.layers.Dense(ff_dim, activation="relu")(y))
    return keras.layers.LayerNormalization()(y + f)
