"""A different correct numpy solution: all input projections at once with einsum, a list of
named gates, float64 throughout (no Keras cell in this file).

expect: cell_step_matches_keras PASS
expect: forward_last_state PASS
expect: forward_sequences PASS
expect: hidden_cell_step PASS
expect: hidden_forward PASS
expect: hidden_keras_cell ERROR "does not define LSTMCell"
expect: keras_cell_matches_lstm ERROR "does not define LSTMCell"
expect: keras_cell_structure ERROR "does not define LSTMCell"
expect: sequence_model_trains ERROR "does not define LSTMCell"
"""
import numpy as np


def _gates(z):
    i, f, g, o = np.array_split(z, 4, axis=-1)
    s = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731
    return s(i), s(f), np.tanh(g), s(o)


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, g, o = _gates(np.einsum("bd,dk->bk", x_t, kernel) + np.einsum("bu,uk->bk", h_prev, recurrent_kernel) + bias)
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def lstm_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    x = np.asarray(x, dtype=np.float64)
    proj = np.einsum("btd,dk->tbk", x, kernel) + bias
    units = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], units))
    c = np.zeros_like(h)
    hs = []
    for p in proj:
        i, f, g, o = _gates(p + h @ recurrent_kernel)
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
    return np.transpose(np.array(hs), (1, 0, 2)) if return_sequences else h
