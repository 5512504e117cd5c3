"""ex07's truth in numpy: SimpleRNN's recurrence h_t = act(x_t W + h_{t-1} U + b), with the knobs that
reproduce each classic mistake (``grader.checks.ex07_rnn`` names them; the default knobs are Keras's SimpleRNN,
tested against it in tests/test_ex07_rnn.py)."""
from __future__ import annotations

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# The activations a check may name (by name: a check's arguments are the key of its value in the release).
ACTIVATIONS = {"tanh": np.tanh, "sigmoid": sigmoid, "relu": lambda z: np.maximum(z, 0), "identity": lambda z: z}


def numpy_rnn(x, h0, kernel, recurrent_kernel, bias, *, act="tanh", transpose=False, use_bias=True,
              use_h=True, carry=True):
    """Every step's state (B, T, U) in float64, from ``h0``.

    act: the activation's name in ACTIVATIONS.  transpose: h_prev @ recurrent_kernel.T.  use_bias=False: no
    bias.  use_h=False: no recurrent term.  carry=False: every step starts again from h0.
    """
    x, h0 = np.asarray(x, np.float64), np.asarray(h0, np.float64)
    f = ACTIVATIONS[act]
    u = recurrent_kernel.T if transpose else recurrent_kernel
    h, out = h0, []
    for t in range(x.shape[1]):
        prev = h if carry else h0
        z = x[:, t] @ kernel + (prev @ u if use_h else 0.0) + (bias if use_bias else 0.0)
        h = f(z)
        out.append(h)
    return np.stack(out, axis=1)
