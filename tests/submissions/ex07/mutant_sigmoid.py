"""Squashes the state with a sigmoid instead of tanh.

expect: cell_matches_simple_rnn FAIL "sigmoid instead of tanh"
expect: forward_sequences FAIL "sigmoid instead of tanh"
expect: forward_last_state FAIL "used sigmoid instead of tanh"
expect: hidden_cell FAIL "used sigmoid instead of tanh"
expect: hidden_forward FAIL "used sigmoid instead of tanh"
"""
import numpy as np


def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    return 1 / (1 + np.exp(-(x_t @ kernel + h_prev @ recurrent_kernel + bias)))


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    h, out = h0, []
    for t in range(x.shape[1]):
        h = rnn_cell_forward(x[:, t], h, kernel, recurrent_kernel, bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else h
