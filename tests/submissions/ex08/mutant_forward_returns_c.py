"""Returns the cell state c from lstm_forward instead of the hidden state h.

expect: forward_last_state FAIL "cell state c instead of the hidden state h"
expect: forward_sequences FAIL "cell state c instead"
expect: cell_step_matches_keras ERROR "does not define lstm_cell_forward"
expect: hidden_cell_step ERROR "does not define lstm_cell_forward"
expect: hidden_forward FAIL "returned the cell state c instead of the hidden state h"
expect: hidden_keras_cell ERROR "does not define LSTMCell"
expect: keras_cell_matches_lstm ERROR "does not define LSTMCell"
expect: keras_cell_structure ERROR "does not define LSTMCell"
expect: sequence_model_trains ERROR "does not define LSTMCell"
"""
import numpy as np


def _sig(a):
    return 1 / (1 + np.exp(-a))


def lstm_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    u = recurrent_kernel.shape[0]
    h, c = np.zeros((x.shape[0], u)), np.zeros((x.shape[0], u))
    cells = []
    for t in range(x.shape[1]):
        i, f, g, o = np.split(x[:, t] @ kernel + h @ recurrent_kernel + bias, 4, axis=1)
        c = _sig(f) * c + _sig(i) * np.tanh(g)
        h = _sig(o) * np.tanh(c)
        cells.append(c)
    return np.stack(cells, 1) if return_sequences else c
