"""TensorFlow-tutorial-style keras.layers.Layer subclasses (GlobalSelfAttention and FeedForward
layers in an EncoderLayer) with the same mistake as mutant_encoder_no_residual_ffn: the
FeedForward layer normalises its output without adding its input back.  It must get that file's
verdicts.

expect: encoder_shape_and_params PASS
expect: encoder_residuals FAIL "no residual connection around the feed-forward"
expect: encoder_matches_reference FAIL "around the feed-forward"
expect: hidden_encoder FAIL "around the feed-forward"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
expect: positional_encoding_values ERROR "does not define positional_encoding"
"""
import tensorflow as tf


class GlobalSelfAttention(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__()
        self.mha = tf.keras.layers.MultiHeadAttention(**kwargs)
        self.add = tf.keras.layers.Add()
        self.layernorm = tf.keras.layers.LayerNormalization()

    def call(self, x):
        return self.layernorm(self.add([x, self.mha(query=x, value=x, key=x)]))


class FeedForward(tf.keras.layers.Layer):
    def __init__(self, d_model, dff):
        super().__init__()
        self.seq = tf.keras.Sequential([tf.keras.layers.Dense(dff, activation="relu"),
                                        tf.keras.layers.Dense(d_model)])
        self.layer_norm = tf.keras.layers.LayerNormalization()

    def call(self, x):
        return self.layer_norm(self.seq(x))  # the residual x + seq(x) is missing


class EncoderLayer(tf.keras.layers.Layer):
    def __init__(self, d_model, num_heads, key_dim, dff, dropout_rate=0.0):
        super().__init__()
        self.self_attention = GlobalSelfAttention(num_heads=num_heads, key_dim=key_dim, dropout=dropout_rate)
        self.ffn = FeedForward(d_model, dff)

    def call(self, x):
        return self.ffn(self.self_attention(x))


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    return EncoderLayer(x.shape[-1], num_heads, key_dim, ff_dim, dropout)(x)
