"""Scales every head's scores by 1/sqrt(d_model): key_dim taken as the whole model width.

expect: mha_self_attention FAIL "key_dim taken as the whole model width"
expect: mha_cross_attention FAIL "key_dim taken as the whole model width"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: encoder_layer_norm ERROR "does not define transformer_encoder_block"
expect: encoder_matches_reference ERROR "does not define transformer_encoder_block"
expect: encoder_residuals ERROR "does not define transformer_encoder_block"
expect: encoder_shape_and_params ERROR "does not define transformer_encoder_block"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder ERROR "does not define transformer_encoder_block"
expect: hidden_mha FAIL "key_dim taken as the whole model width: scale by 1/sqrt(key_"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: positional_encoding_values ERROR "does not define positional_encoding"
"""
import numpy as np


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    d_model = query.shape[-1]
    q = np.einsum("btd,dhk->bhtk", query, weights["query_kernel"]) + weights["query_bias"][:, None]
    k = np.einsum("btd,dhk->bhtk", key, weights["key_kernel"]) + weights["key_bias"][:, None]
    v = np.einsum("btd,dhk->bhtk", value, weights["value_kernel"]) + weights["value_bias"][:, None]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_model)
    if mask is not None:
        scores = np.where(mask[:, None] != 0, scores, -1e9)
    w = np.exp(scores - scores.max(-1, keepdims=True))
    w = w / w.sum(-1, keepdims=True)
    return np.einsum("bhtk,hko->bto", w @ v, weights["output_kernel"]) + weights["output_bias"]
