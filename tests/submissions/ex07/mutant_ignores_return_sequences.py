"""Always returns the last state, whatever return_sequences says.

expect: forward_last_state PASS
expect: forward_sequences FAIL "only the last state"
expect: cell_matches_simple_rnn ERROR "does not define rnn_cell_forward"
expect: hidden_cell ERROR "does not define rnn_cell_forward"
expect: hidden_forward FAIL "returned only the last state although return_sequences=True"
"""
import numpy as np


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    h = h0
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
    return h
