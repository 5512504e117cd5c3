"""Computes c_t = i * c~ and drops the forget gate's f * c_prev (also in the Keras cell).

expect: cell_step_matches_keras FAIL "forgot the previous cell state"
expect: forward_last_state FAIL "forgot the previous cell state"
expect: keras_cell_matches_lstm FAIL "forgot the previous cell state"
expect: forward_sequences FAIL "forgot the previous cell state: c_t = f * c_prev + i * c~,"
expect: hidden_cell_step FAIL "forgot the previous cell state: c_t = f * c_prev + i * c~,"
expect: hidden_forward FAIL "forgot the previous cell state: c_t = f * c_prev + i * c~,"
expect: hidden_keras_cell FAIL "forgot the previous cell state: c_t = f * c_prev + i * c~,"
expect: sequence_model_trains ERROR "does not define build_sequence_model"
"""
import keras
import numpy as np
from keras import ops


def _sig(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, g, o = np.split(x_t @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=1)
    c = _sig(i) * np.tanh(g)
    return _sig(o) * np.tanh(c), c


def lstm_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    u = recurrent_kernel.shape[0]
    h, c = np.zeros((x.shape[0], u)), np.zeros((x.shape[0], u))
    out = []
    for t in range(x.shape[1]):
        h, c = lstm_cell_forward(x[:, t], h, c, kernel, recurrent_kernel, bias)
        out.append(h)
    return np.stack(out, 1) if return_sequences else h


class LSTMCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 4 * self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, 4 * self.units), name="recurrent_kernel")
        self.bias = self.add_weight(shape=(4 * self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h, c = states
        i, f, g, o = ops.split(ops.matmul(inputs, self.kernel) + ops.matmul(h, self.recurrent_kernel) + self.bias, 4,
                               axis=-1)
        c = ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]
