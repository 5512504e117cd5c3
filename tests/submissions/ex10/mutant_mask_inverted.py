"""Reads the mask with 1 = blocked (the PyTorch key_padding_mask habit).

expect: attention_no_mask PASS
expect: attention_with_mask FAIL "1 = blocked"
expect: mha_cross_attention FAIL "1 = blocked"
expect: mha_self_attention FAIL "1 = blocked"
expect: encoder_layer_norm ERROR "does not define transformer_encoder_block"
expect: encoder_matches_reference ERROR "does not define transformer_encoder_block"
expect: encoder_residuals ERROR "does not define transformer_encoder_block"
expect: encoder_shape_and_params ERROR "does not define transformer_encoder_block"
expect: hidden_attention FAIL "mask read with 1 = blocked: in Keras 1 = attend, 0 = blocked"
expect: hidden_encoder ERROR "does not define transformer_encoder_block"
expect: hidden_mha FAIL "mask read with 1 = blocked: in Keras 1 = attend, 0 = blocked"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: positional_encoding_values ERROR "does not define positional_encoding"
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + mask * -1e9
    w = np.exp(scores - scores.max(-1, keepdims=True))
    w = w / w.sum(-1, keepdims=True)
    return w @ v, w


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    q = np.einsum("btd,dhk->bhtk", query, weights["query_kernel"]) + weights["query_bias"][:, None]
    k = np.einsum("btd,dhk->bhtk", key, weights["key_kernel"]) + weights["key_bias"][:, None]
    v = np.einsum("btd,dhk->bhtk", value, weights["value_kernel"]) + weights["value_bias"][:, None]
    o, _ = scaled_dot_product_attention(q, k, v, None if mask is None else mask[:, None])
    return np.einsum("bhtk,hko->bto", o, weights["output_kernel"]) + weights["output_bias"]
