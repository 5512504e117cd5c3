"""Concatenates all the sines, then all the cosines (a tutorial layout), instead of interleaving.

expect: positional_encoding_values FAIL "two halves"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: encoder_layer_norm ERROR "does not define transformer_encoder_block"
expect: encoder_matches_reference ERROR "does not define transformer_encoder_block"
expect: encoder_residuals ERROR "does not define transformer_encoder_block"
expect: encoder_shape_and_params ERROR "does not define transformer_encoder_block"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder ERROR "does not define transformer_encoder_block"
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: hidden_positional_encoding FAIL "sin and cos concatenated as two halves; the paper"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
"""
import numpy as np


def positional_encoding(length, depth):
    pos = np.arange(length)[:, None]
    i = np.arange(depth // 2)[None, :]
    angle = pos / 10000 ** (2 * i / depth)
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=-1)
