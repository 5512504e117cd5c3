"""Reference solution of ex09 (GRU gates, Keras's reset_after=True convention)."""
import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[-1]
    x_part = x_t @ kernel + bias[0]                 # (B, 3U): z, r, h
    h_part = h_prev @ recurrent_kernel + bias[1]    # (B, 3U)
    z = _sigmoid(x_part[:, :units] + h_part[:, :units])
    r = _sigmoid(x_part[:, units:2 * units] + h_part[:, units:2 * units])
    h_tilde = np.tanh(x_part[:, 2 * units:] + r * h_part[:, 2 * units:])
    return z * h_prev + (1.0 - z) * h_tilde


def gru_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    batch, steps, _ = x.shape
    h = np.zeros((batch, recurrent_kernel.shape[0]), dtype=np.result_type(x, kernel))
    states = []
    for t in range(steps):
        h = gru_cell_forward(x[:, t], h, kernel, recurrent_kernel, bias)
        states.append(h)
    return np.stack(states, axis=1) if return_sequences else h


def gru_param_count(units, input_dim, reset_after=True):
    biases = 2 * units if reset_after else units
    return 3 * (units * (units + input_dim) + biases)
