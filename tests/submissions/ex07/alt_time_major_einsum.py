"""A different correct solution: float64, einsum, time-major loop over np.moveaxis(x, 1, 0).

expect: * PASS
"""
import numpy as np


def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    pre = np.einsum("bd,du->bu", x_t.astype(np.float64), kernel) + np.einsum("bv,vu->bu", h_prev, recurrent_kernel)
    return np.tanh(pre + bias[None, :])


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    h = np.array(h0, dtype=np.float64)
    seq = np.empty((x.shape[1],) + h.shape)
    for t, x_t in enumerate(np.moveaxis(x, 1, 0)):
        h = rnn_cell_forward(x_t, h, kernel, recurrent_kernel, bias)
        seq[t] = h
    if return_sequences:
        return np.moveaxis(seq, 0, 1)
    return seq[-1]
