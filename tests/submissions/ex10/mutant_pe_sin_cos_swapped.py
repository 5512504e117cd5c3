"""Puts cos in the even columns and sin in the odd ones.

expect: positional_encoding_values FAIL "sin and cos swapped"
expect: hidden_positional_encoding FAIL "sin and cos swapped"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: encoder_layer_norm ERROR "does not define transformer_encoder_block"
expect: encoder_matches_reference ERROR "does not define transformer_encoder_block"
expect: encoder_residuals ERROR "does not define transformer_encoder_block"
expect: encoder_shape_and_params ERROR "does not define transformer_encoder_block"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder ERROR "does not define transformer_encoder_block"
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
"""
import numpy as np


def positional_encoding(length, depth):
    pos = np.arange(length)[:, None]
    i = np.arange(depth)[None, :]
    angle = pos / 10000 ** (2 * (i // 2) / depth)
    return np.where(i % 2 == 0, np.cos(angle), np.sin(angle))
