"""Gives the attention key_dim=d_model instead of the key_dim argument.

expect: encoder_shape_and_params FAIL "key_dim taken as the whole model width"
expect: encoder_residuals PASS
expect: encoder_matches_reference FAIL "does not have the shape"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder FAIL "key_dim taken as the whole model width:"
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
expect: positional_encoding_values ERROR "does not define positional_encoding"
"""
import keras


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    a = keras.layers.MultiHeadAttention(num_heads, key_dim=d_model, dropout=dropout)(x, x)
    y = keras.layers.LayerNormalization()(x + a)
    f = keras.layers.Dense(d_model)(keras.layers.Dense(ff_dim, activation="relu")(y))
    return keras.layers.LayerNormalization()(y + f)
