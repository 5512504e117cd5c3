"""Normalises only once, at the end.

expect: encoder_shape_and_params FAIL "a LayerNormalization is missing"
expect: encoder_layer_norm FAIL "1 LayerNormalization"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: encoder_matches_reference FAIL "transformer_encoder_block("
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder FAIL "a LayerNormalization is missing (each has 2 * d_model"
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
expect: positional_encoding_values ERROR "does not define positional_encoding"
expect: encoder_matches_reference FAIL "transformer_encoder_block(keras.Input((10, 16)),"
"""
import keras


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    y = x + keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout)(x, x)
    f = keras.layers.Dense(d_model)(keras.layers.Dense(ff_dim, activation="relu")(y))
    return keras.layers.LayerNormalization()(y + f)
