"""Returns the state after the first step instead of the last one.

expect: forward_last_state FAIL "first state"
expect: forward_sequences PASS
"""
import numpy as np


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    h, out = h0, []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else out[0]
