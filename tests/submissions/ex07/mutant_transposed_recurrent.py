"""Multiplies the previous state by the transposed recurrent kernel.

expect: cell_matches_simple_rnn FAIL "recurrent_kernel.T"
expect: forward_last_state FAIL "recurrent_kernel.T"
expect: forward_sequences FAIL "multiplied h_prev by recurrent_kernel.T (the layout is"
expect: hidden_cell FAIL "multiplied h_prev by recurrent_kernel.T: the layout is"
expect: hidden_forward FAIL "multiplied h_prev by recurrent_kernel.T (the layout is"
"""
import numpy as np


def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel.T + bias)


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    h, out = h0, []
    for t in range(x.shape[1]):
        h = rnn_cell_forward(x[:, t], h, kernel, recurrent_kernel, bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else h
