"""TensorFlow-namespace spelling (tf.keras.layers, activation=tf.nn.relu,
tf.keras.initializers.GlorotUniform()) with the same mistake as mutant_encoder_pre_norm: the
pre-norm block instead of the paper's post-norm.  It must get that file's verdicts.

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
import tensorflow as tf


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    L = tf.keras.layers
    init = tf.keras.initializers.GlorotUniform()
    n = L.LayerNormalization()(x)
    y = L.Add()([x, L.MultiHeadAttention(num_heads, key_dim, dropout=dropout)(n, n)])
    n = L.LayerNormalization()(y)
    hidden = L.Dense(ff_dim, activation=tf.nn.relu, kernel_initializer=init)(n)
    return L.Add()([y, L.Dense(x.shape[-1], kernel_initializer=init)(hidden)])
