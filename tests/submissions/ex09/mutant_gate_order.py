"""Reads the reset gate from the first U columns and the update gate from the next U.

expect: cell_matches_keras_gru FAIL "wrong order"
expect: hidden_forward FAIL "wrong order"
expect: forward_last_state FAIL "gates in the wrong order: read r from the first U columns"
expect: forward_sequences FAIL "gates in the wrong order: read r from the first U columns"
expect: hidden_cell FAIL "gates in the wrong order: read r from the first U columns"
expect: hidden_param_count ERROR "does not define gru_param_count"
expect: param_count ERROR "does not define gru_param_count"
"""
import numpy as np


def _sig(a):
    return 1 / (1 + np.exp(-a))


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[1]
    xp = x_t @ kernel + bias[0]
    hp = h_prev @ recurrent_kernel + bias[1]
    r = _sig(xp[:, :u] + hp[:, :u])
    z = _sig(xp[:, u:2 * u] + hp[:, u:2 * u])
    hh = np.tanh(xp[:, 2 * u:] + r * hp[:, 2 * u:])
    return z * h_prev + (1 - z) * hh


def gru_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
    out = []
    for t in range(x.shape[1]):
        h = gru_cell_forward(x[:, t], h, kernel, recurrent_kernel, bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else h
