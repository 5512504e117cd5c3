"""ex09 -- GRU gates, in Keras's own convention.

A Gated Recurrent Unit (Cho et al. 2014) keeps one state h and two gates:

* the update gate z decides how much of the old state to keep;
* the reset gate r decides how much of the old state the candidate h~ sees.

Keras's GRU (``reset_after=True``, the default since TF 2, the cuDNN variant):

    z  = sigmoid(x_t W_z + b_in_z + h_prev U_z + b_rec_z)
    r  = sigmoid(x_t W_r + b_in_r + h_prev U_r + b_rec_r)
    h~ = tanh(x_t W_h + b_in_h + r * (h_prev U_h + b_rec_h))
    h_t = z * h_prev + (1 - z) * h~

Two details differ from the paper and from many tutorials -- the grader
names both if you get them wrong:

1. The reset gate multiplies the recurrent term *after* the matmul (and its
   bias): ``r * (h_prev @ U_h + b_rec_h)``.  ``(r * h_prev) @ U_h`` is the
   ``reset_after=False`` variant, a different function.
2. z weights the *old* state: ``h_t = z * h_prev + (1 - z) * h~``.  Cho's
   paper writes the mix the other way round; Keras does not.

Layout (U units, D input features):

    kernel            (D, 3U)  columns [0:U] -> z, [U:2U] -> r, [2U:3U] -> h
    recurrent_kernel  (U, 3U)  same column order
    bias              (2, 3U)  bias[0]: input biases, bias[1]: recurrent biases

Hence the parameter count 3 * (U * (U + D) + 2U): three blocks, each with a
(D, U) kernel, a (U, U) recurrent kernel and two bias vectors.  With
``reset_after=False`` the bias is (3U,), one vector per block:
3 * (U * (U + D) + U).

Check yourself against Keras:

    layer = keras.layers.GRU(U, return_sequences=...)   # reset_after=True
    layer.build(x.shape)
    layer.set_weights([kernel, recurrent_kernel, bias])
    layer(x)                       # zero initial state
    layer(x, initial_state=[h0])   # from h0

Grading: the grader builds exactly that layer with random weights and compares
your outputs on random inputs (values in [-1, 1]) for several batch sizes,
sequence lengths, input sizes and unit counts (including 1), to an absolute
and relative tolerance of 1e-5; ``gru_param_count`` is compared with
``count_params()`` of a real GRU; hidden checks draw other shapes from the
instructor's seed.  Use numpy only.  Time limit 20 s per check; memory
limit 1 GB.
"""
import numpy as np  # noqa: F401  (you will need it)


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One GRU step (reset_after=True): x_t (B, D), h_prev (B, U) -> h_t (B, U)."""
    raise NotImplementedError


def gru_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    """Run the GRU over x (B, T, D) from a zero state.

    Returns h_T (B, U), or every state (B, T, U) when return_sequences=True;
    equal to keras.layers.GRU with the same weights.
    """
    raise NotImplementedError


def gru_param_count(units, input_dim, reset_after=True):
    """Trainable parameters of keras.layers.GRU(units, reset_after=...) on input_dim features (an int)."""
    raise NotImplementedError
