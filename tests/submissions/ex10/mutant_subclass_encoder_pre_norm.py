"""A keras.io-style TransformerBlock keras.layers.Layer subclass with the same mistake as
mutant_encoder_pre_norm: the pre-norm block (GPT-2 style: LayerNorm before each sublayer, the
residual stream left unnormalised) where the exercise asks for the paper's post-norm.  It must get
that file's verdicts.

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
from keras import layers


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, key_dim, ff_dim, rate=0.0, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=rate)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization()
        self.layernorm2 = layers.LayerNormalization()

    def call(self, inputs):
        normed = self.layernorm1(inputs)
        out1 = inputs + self.att(normed, normed)
        return out1 + self.ffn(self.layernorm2(out1))


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    return TransformerBlock(x.shape[-1], num_heads, key_dim, ff_dim, rate=dropout)(x)
