"""ex07 -- A recurrent cell from scratch.

A recurrent network reads a sequence one step at a time and keeps a *state*
h that summarises what it has seen so far.  The simplest cell (Elman's, Keras
``SimpleRNN``) updates it with one affine map and a tanh:

    h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)

The same three weights are used at every step -- that is what lets one cell
read sequences of any length.  Shapes, in Keras's own layout (so that your
function and ``keras.layers.SimpleRNN`` can share weights):

    x_t               (B, D)   one time step of a batch of B sequences, D features
    h_prev, h_t       (B, U)   the state, U units
    kernel            (D, U)   input -> state
    recurrent_kernel  (U, U)   state -> state (row j: how unit j of h_prev feeds each unit)
    bias              (U,)

A whole sequence x has shape (B, T, D): time is axis 1 (Keras's
"batch-major" layout).  ``rnn_forward`` starts from the given h0, applies the
cell T times, and returns the last state h_T (B, U) -- or, with
``return_sequences=True``, every state h_1 ... h_T stacked on axis 1, (B, T, U).
The initial state h0 is *not* part of the output.

You can check yourself against Keras:

    layer = keras.layers.SimpleRNN(U, return_sequences=...)
    layer.build(x.shape)
    layer.set_weights([kernel, recurrent_kernel, bias])
    layer(x, initial_state=[h0])

Grading: the grader builds exactly that layer with random weights and compares
your outputs on random inputs (values in [-1, 1]) for several batch sizes,
sequence lengths, input sizes and unit counts (including 1), to an absolute
and relative tolerance of 1e-5; hidden checks draw other shapes from the
instructor's seed.  Use numpy only; float32 or float64 are both fine.  Time
limit 20 s per check; memory limit 1 GB.
"""
import numpy as np  # noqa: F401  (you will need it)


def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One step of a SimpleRNN: returns h_t of shape (B, U)."""
    raise NotImplementedError


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    """Run the cell over x (B, T, D) from the initial state h0 (B, U).

    Returns h_T (B, U), or all states (B, T, U) when return_sequences=True;
    equal to keras.layers.SimpleRNN with the same weights.
    """
    raise NotImplementedError
