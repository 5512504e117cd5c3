"""Normalises the scores over the queries (axis -2) instead of the keys.

expect: attention_no_mask FAIL "softmax over the wrong axis"
expect: hidden_attention FAIL "wrong axis"
expect: attention_with_mask FAIL "softmax over the wrong axis: normalise over the keys (last"
expect: encoder_layer_norm ERROR "does not define transformer_encoder_block"
expect: encoder_matches_reference ERROR "does not define transformer_encoder_block"
expect: encoder_residuals ERROR "does not define transformer_encoder_block"
expect: encoder_shape_and_params ERROR "does not define transformer_encoder_block"
expect: hidden_encoder ERROR "does not define transformer_encoder_block"
expect: hidden_mha ERROR "does not define multi_head_attention"
expect: hidden_positional_encoding ERROR "does not define positional_encoding"
expect: mha_cross_attention ERROR "does not define multi_head_attention"
expect: mha_self_attention ERROR "does not define multi_head_attention"
expect: positional_encoding_values ERROR "does not define positional_encoding"
"""
import numpy as np


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask != 0, scores, -1e9)
    w = np.exp(scores - scores.max(-2, keepdims=True))
    w = w / w.sum(-2, keepdims=True)
    return w @ v, w
