"""A different correct solution: plain Python loops over batch, units and features (math.tanh).

expect: * PASS
"""
import math

import numpy as np


def rnn_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    batch, dim = x_t.shape
    units = kernel.shape[1]
    out = np.zeros((batch, units), dtype=np.float32)
    for b in range(batch):
        for u in range(units):
            s = float(bias[u])
            for d in range(dim):
                s += float(x_t[b, d]) * float(kernel[d, u])
            for v in range(units):
                s += float(h_prev[b, v]) * float(recurrent_kernel[v, u])
            out[b, u] = math.tanh(s)
    return out


def rnn_forward(x, h0, kernel, recurrent_kernel, bias, return_sequences=False):
    states = []
    h = h0
    for t in range(x.shape[1]):
        h = rnn_cell_forward(x[:, t, :], h, kernel, recurrent_kernel, bias)
        states.append(h)
    return np.stack(states, axis=1) if return_sequences else states[-1]
