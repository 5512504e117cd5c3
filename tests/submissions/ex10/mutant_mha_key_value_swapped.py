"""Takes the arguments in PyTorch's (query, key, value) order: key and value are swapped.

expect: mha_self_attention PASS
expect: mha_cross_attention FAIL "key and value swapped"
expect: attention_no_mask ERROR "does not define scaled_dot_product_attention"
expect: attention_with_mask ERROR "does not define scaled_dot_product_attention"
expect: encoder_layer_norm ERROR "does not define transformer_encoder_block"
expect: encoder_matches_reference ERROR "does not define transformer_encoder_block"
expect: encoder_residuals ERROR "does not define transformer_encoder_block"
expect: encoder_shape_and_params ERROR "does not define transformer_encoder_block"
expect: hidden_attention ERROR "does not define scaled_dot_product_attention"
expect: hidden_encoder ERROR "does not define transformer_encoder_block"
expect: hidden_mha FAIL "key and value swapped: the arguments are (query, value,"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: positional_encoding_values ERROR "does not define positional_encoding"
"""
import numpy as np


def multi_head_attention(query, key, value, weights, num_heads, mask=None):
    q = np.einsum("btd,dhk->bhtk", query, weights["query_kernel"]) + weights["query_bias"][:, None]
    k = np.einsum("btd,dhk->bhtk", key, weights["key_kernel"]) + weights["key_bias"][:, None]
    v = np.einsum("btd,dhk->bhtk", value, weights["value_kernel"]) + weights["value_bias"][:, None]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask[:, None] != 0, scores, -1e9)
    w = np.exp(scores - scores.max(-1, keepdims=True))
    w = w / w.sum(-1, keepdims=True)
    return np.einsum("bhtk,hko->bto", w @ v, weights["output_kernel"]) + weights["output_bias"]
