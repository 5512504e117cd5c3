"""Leaves out the bias.

expect: cell_matches_simple_rnn FAIL "forgot the bias"
expect: hidden_cell FAIL "forgot the bias"
"""
import numpy as np


def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel)
