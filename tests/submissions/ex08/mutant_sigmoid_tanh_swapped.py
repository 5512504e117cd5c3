"""Uses tanh for the gates and sigmoid for the candidate and the output squashing.

expect: cell_step_matches_keras FAIL "sigmoid and tanh swapped"
expect: hidden_forward FAIL "sigmoid and tanh swapped"
expect: forward_last_state FAIL "sigmoid and tanh swapped: gates i, f, o use sigmoid; the"
expect: forward_sequences FAIL "sigmoid and tanh swapped: gates i, f, o use sigmoid; the"
expect: hidden_cell_step FAIL "sigmoid and tanh swapped: gates i, f, o use sigmoid; the"
expect: hidden_keras_cell ERROR "does not define LSTMCell"
expect: keras_cell_matches_lstm ERROR "does not define LSTMCell"
expect: keras_cell_structure ERROR "does not define LSTMCell"
expect: sequence_model_trains ERROR "does not define LSTMCell"
"""
import numpy as np


def _sig(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, g, o = np.split(x_t @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=1)
    c = np.tanh(f) * c_prev + np.tanh(i) * _sig(g)
    return np.tanh(o) * _sig(c), c


def lstm_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    u = recurrent_kernel.shape[0]
    h, c = np.zeros((x.shape[0], u)), np.zeros((x.shape[0], u))
    out = []
    for t in range(x.shape[1]):
        h, c = lstm_cell_forward(x[:, t], h, c, kernel, recurrent_kernel, bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else h
