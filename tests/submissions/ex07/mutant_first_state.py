"""Returns the state after the first step instead of the last one.

expect: forward_last_state FAIL "first state"
expect: forward_sequences PASS
expect: cell_matches_simple_rnn ERROR "does not define rnn_cell_forward"
expect: hidden_cell ERROR "does not define rnn_cell_forward"
expect: hidden_forward FAIL "returned the first state h_1 instead of the last h_T"
"""
import numpy as np


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    h, out = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else out[0]
