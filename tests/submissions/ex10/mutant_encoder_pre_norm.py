"""Writes the pre-norm block (GPT-2 style) where the exercise asks for the paper's post-norm.

expect: encoder_shape_and_params PASS
expect: encoder_layer_norm FAIL "not layer-normalized"
expect: encoder_matches_reference FAIL "pre-norm"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: encoder_residuals FAIL "the residual connections must add the block's input x and"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder FAIL "post-norm ends with LayerNorm(y + FFN(y)); this looks like"
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
expect: positional_encoding_values ERROR "does not define positional_encoding"
"""
import keras


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    d_model = x.shape[-1]
    n = keras.layers.LayerNormalization()(x)
    y = x + keras.layers.MultiHeadAttention(num_heads, key_dim, dropout=dropout)(n, n)
    n = keras.layers.LayerNormalization()(y)
    return y + keras.layers.Dense(d_model)(keras.layers.Dense(ff_dim, activation="relu")(n))
