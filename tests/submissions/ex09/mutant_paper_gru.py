"""The original paper's GRU (Cho et al. 2014) as a popular course writes it: the
reset gate applied to h_prev before the recurrent matmul AND Cho's mixing
h = (1 - z) * h_prev + z * h~.  The count of parameters is right.

expect: cell_matches_keras_gru FAIL "original paper's GRU"
expect: forward_last_state FAIL "original paper's GRU"
expect: forward_sequences FAIL "original paper's GRU"
expect: hidden_cell FAIL "original paper's GRU"
expect: hidden_forward FAIL "original paper's GRU"
"""
import numpy as np


def _sig(a):
    return 1 / (1 + np.exp(-a))


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[1]
    xp = x_t @ kernel + bias[0]
    hp = h_prev @ recurrent_kernel + bias[1]
    z = _sig(xp[:, :u] + hp[:, :u])
    r = _sig(xp[:, u:2 * u] + hp[:, u:2 * u])
    hh = np.tanh(xp[:, 2 * u:] + (r * h_prev) @ recurrent_kernel[:, 2 * u:] + bias[1][2 * u:])
    return (1 - z) * h_prev + z * hh


def gru_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
    out = []
    for t in range(x.shape[1]):
        h = gru_cell_forward(x[:, t], h, kernel, recurrent_kernel, bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else h


def gru_param_count(units, input_dim, reset_after=True):
    biases = 2 * units if reset_after else units
    return 3 * (units * (units + input_dim) + biases)
