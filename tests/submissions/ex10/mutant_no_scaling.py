"""Forgets the 1/sqrt(d_k) scaling of the scores (and so does its multi-head attention).

expect: attention_no_mask FAIL "no 1/sqrt(d_k) scaling"
expect: attention_with_mask FAIL "no 1/sqrt(d_k) scaling"
expect: mha_self_attention FAIL "no 1/sqrt(d_k) scaling"
expect: positional_encoding_values ERROR "does not define positional_encoding"
expect: encoder_layer_norm ERROR "does not define transformer_encoder_block"
expect: encoder_matches_reference ERROR "does not define transformer_encoder_block"
expect: encoder_residuals ERROR "does not define transformer_encoder_block"
expect: encoder_shape_and_params ERROR "does not define transformer_encoder_block"
expect: hidden_attention FAIL "no 1/sqrt(d_k) scaling: divide the scores q k^T by sqrt(d)"
expect: hidden_encoder ERROR "does not define transformer_encoder_block"
expect: hidden_mha FAIL "no 1/sqrt(d_k) scaling of the scores"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: mha_cross_attention FAIL "no 1/sqrt(d_k) scaling of the scores"
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2)
    if mask is not None:
        scores = np.where(mask == 1, scores, -1e9)
    w = np.exp(scores - scores.max(-1, keepdims=True))
    w = w / w.sum(-1, keepdims=True)
    return w @ v, w


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    q = np.einsum("btd,dhk->bhtk", query, weights["query_kernel"]) + weights["query_bias"][:, None]
    k = np.einsum("btd,dhk->bhtk", key, weights["key_kernel"]) + weights["key_bias"][:, None]
    v = np.einsum("btd,dhk->bhtk", value, weights["value_kernel"]) + weights["value_bias"][:, None]
    o, _ = scaled_dot_product_attention(q, k, v, None if mask is None else mask[:, None])
    return np.einsum("bhtk,hko->bto", o, weights["output_kernel"]) + weights["output_bias"]
