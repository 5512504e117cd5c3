"""ex10 -- Transformer pieces: attention, positions, heads, an encoder block.

1. Scaled dot-product attention (Vaswani et al. 2017).  Every query asks
   every key how well they match; the answer mixes the values:

       scores  = q @ k^T / sqrt(d)        (..., Tq, Tk), d = q.shape[-1]
       weights = softmax(scores)          over the LAST axis: for each query,
                                          the weights over the keys sum to 1
       output  = weights @ v              (..., Tq, dv)

   Without the 1/sqrt(d) the scores grow with d and the softmax saturates.
   A mask (broadcastable to (..., Tq, Tk)) says which keys a query may see.
   Keras's convention, used here: **1 = attend, 0 = blocked**; set blocked
   scores to a large negative number (-1e9) before the softmax.  q, k and v
   may have any number of leading (batch, head) axes -- use ``@`` and
   ``np.swapaxes(k, -1, -2)``, not ``.T``.  The grader's masks hold 0s and 1s
   (int32) and never block every key of a query.

2. Sinusoidal positional encoding, interleaved as in the paper:

       PE[pos, 2i]     = sin(pos / 10000 ** (2i / depth))
       PE[pos, 2i + 1] = cos(pos / 10000 ** (2i / depth))

   Columns 2i and 2i + 1 share one frequency.  Result: (length, depth).
   (Some tutorials concatenate all the sines and then all the cosines; that is
   a different layout and does not pass.)

3. Multi-head attention in numpy, equal to ``keras.layers.MultiHeadAttention``
   given the same weights.  ``weights`` is a dict in Keras's layout:

       query_kernel (d, H, key_dim)     query_bias (H, key_dim)
       key_kernel   (d, H, key_dim)     key_bias   (H, key_dim)
       value_kernel (d, H, value_dim)   value_bias (H, value_dim)
       output_kernel (H, value_dim, d_out)          output_bias (d_out,)

   For each head h: project the query with query_kernel[:, h] (+ bias), the
   key and the value likewise, run scaled dot-product attention with
   d = key_dim (the width of ONE head, not the model width d), then
   output = sum over heads of head_output[h] @ output_kernel[h] + output_bias.
   The argument order is Keras's: (query, value, key).  query (B, Tq, d),
   value and key (B, Tk, d), mask (B, Tq, Tk) with 1 = attend; returns the
   output (B, Tq, d_out).  ``np.einsum`` makes this short; reshapes work too.
   Check yourself: build ``keras.layers.MultiHeadAttention(H, key_dim,
   value_dim=..., output_shape=...)``, call it once, ``set_weights`` in the
   order query, key, value, output (kernel then bias), and compare.

4. ``transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0)``
   with Keras layers, post-norm as in the original paper:

       y   = LayerNormalization()(x + Dropout(MultiHeadAttention(num_heads, key_dim)(x, x)))
       out = LayerNormalization()(y + Dropout(Dense(d_model)(Dense(ff_dim, activation="relu")(y))))

   d_model = x.shape[-1]; the output has the input's shape.  Use
   ``keras.layers.MultiHeadAttention``, ``Dense`` and ``LayerNormalization``
   (the epsilon is yours to choose); ``x + y`` or ``keras.layers.Add`` both work.

Grading: attention and the positional encoding are compared with their
definitions, multi-head attention with Keras's layer given identical random
weights (self- and cross-attention, with and without masks, several batch
sizes, lengths, head counts and widths), all to a tolerance of 1e-5.  The
encoder block is built on ``keras.Input((T, d_model))``: output shape, the
parameter count of the reference block, two LayerNormalizations with a
normalized output, both residual connections (probed by zeroing the attention
and the feed-forward weights), and its output compared (to 1e-4) with the
reference post-norm block given the same weights.  The block may be written
with layers on the tensor or as a ``keras.layers.Layer`` subclass (keras.io's
``TransformerBlock`` style), with ``x + y`` or ``tf.add``: the grader judges
what it computes.  Hidden checks draw other
shapes from the instructor's seed.  Time limit 30 s per check; memory
limit 2 GB.
"""
import keras  # noqa: F401
import numpy as np  # noqa: F401


def scaled_dot_product_attention(q, k, v, mask=None):
    """Returns (output (..., Tq, dv), weights (..., Tq, Tk)); mask 1 = attend."""
    raise NotImplementedError


def positional_encoding(length, depth):
    """The interleaved sinusoidal encoding, an array of shape (length, depth)."""
    raise NotImplementedError


def multi_head_attention(query, value, key, weights, num_heads, mask=None):
    """Keras-layout multi-head attention in numpy; returns (B, Tq, d_out)."""
    raise NotImplementedError


def transformer_encoder_block(x, num_heads, key_dim, ff_dim, dropout=0.0):
    """A post-norm Transformer encoder block on the Keras tensor x (B, T, d_model); returns a tensor of x's shape."""
    raise NotImplementedError
