"""Writes the pre-norm block (GPT-2 style) where the exercise asks for the paper's post-norm.

expect: encoder_shape_and_params PASS
expect: encoder_layer_norm FAIL "not layer-normalized"
expect: encoder_matches_reference FAIL "pre-norm"
"""
import keras


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    n = keras.layers.LayerNormalization()(x)
    y = x + keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout)(n, n)
    n = keras.layers.LayerNormalization()(y)
    return y + keras.layers.Dense(d_model)(keras.layers.Dense(ff_dim, activation="relu")(n))
