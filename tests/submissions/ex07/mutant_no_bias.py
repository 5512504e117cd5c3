"""Leaves out the bias.

expect: cell_matches_simple_rnn FAIL "forgot the bias"
expect: hidden_cell FAIL "forgot the bias"
expect: forward_last_state ERROR "does not define rnn_forward"
expect: forward_sequences ERROR "does not define rnn_forward"
expect: hidden_forward ERROR "does not define rnn_forward"
"""
import numpy as np


def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel)
