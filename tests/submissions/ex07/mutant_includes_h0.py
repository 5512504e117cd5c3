"""Puts the initial state in front of the returned sequence (T + 1 entries).

expect: forward_sequences FAIL "h0 in front"
expect: forward_last_state PASS
expect: cell_matches_simple_rnn ERROR "does not define rnn_cell_forward"
expect: hidden_cell ERROR "does not define rnn_cell_forward"
expect: hidden_forward FAIL "put h0 in front of the sequence: the output has one entry"
"""
import numpy as np


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    states = [h0]
    for t in range(x.shape[1]):
        states.append(np.tanh(x[:, t] @ kernel + states[-1] @ recurrent_kernel + bias))
    return np.stack(states, 1) if return_sequences else states[-1]
