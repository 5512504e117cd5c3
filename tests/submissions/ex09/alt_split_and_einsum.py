"""A different correct solution: np.split into gates, einsum, bias unpacked by name, vectorised over time for the input part.

expect: * PASS
"""
import numpy as np


def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _step(x_proj, h_prev, recurrent_kernel, rec_bias):
    xz, xr, xh = np.split(x_proj, 3, axis=-1)
    hz, hr, hh = np.split(np.einsum("bu,uk->bk", h_prev, recurrent_kernel) + rec_bias, 3, axis=-1)
    z = _sigmoid(xz + hz)
    r = _sigmoid(xr + hr)
    cand = np.tanh(xh + r * hh)
    return z * h_prev + (1.0 - z) * cand


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    input_bias, rec_bias = bias
    return _step(x_t @ kernel + input_bias, h_prev, recurrent_kernel, rec_bias)


def gru_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    input_bias, rec_bias = bias
    x_proj = np.einsum("btd,dk->btk", x.astype(np.float64), kernel) + input_bias  # all steps at once
    h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
    seq = []
    for t in range(x.shape[1]):
        h = _step(x_proj[:, t], h, recurrent_kernel, rec_bias)
        seq.append(h)
    return np.stack(seq, axis=1) if return_sequences else h


def gru_param_count(units, input_dim, reset_after=True):
    per_block = input_dim * units + units * units + units * (2 if reset_after else 1)
    return 3 * per_block
