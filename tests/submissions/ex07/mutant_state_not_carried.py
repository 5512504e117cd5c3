"""Computes every step from h0: the state never carries over.

expect: forward_sequences FAIL "not carried"
expect: hidden_forward FAIL "not carried"
expect: cell_matches_simple_rnn ERROR "does not define rnn_cell_forward"
expect: forward_last_state FAIL "the state is not carried: every step starts again from h0"
expect: hidden_cell ERROR "does not define rnn_cell_forward"
"""
import numpy as np


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    out = [np.tanh(x[:, t] @ kernel + h0 @ recurrent_kernel + bias) for t in range(x.shape[1])]
    return np.stack(out, 1) if return_sequences else out[-1]
