"""Normalises the attention output alone: no residual connection around the attention.

expect: encoder_shape_and_params PASS
expect: encoder_layer_norm PASS
expect: encoder_residuals FAIL "no residual connection around the attention"
expect: encoder_matches_reference FAIL "no residual connection around the attention"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder FAIL "transformer_encoder_block("
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
expect: positional_encoding_values ERROR "does not define positional_encoding"
expect: hidden_encoder FAIL "transformer_encoder_block(keras.Input(("
"""
import keras


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    a = keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout)(x, x)
    y = keras.layers.LayerNormalization()(a)
    f = keras.layers.Dense(d_model)(keras.layers.Dense(ff_dim, activation="relu")(y))
    return keras.layers.LayerNormalization()(y + f)
