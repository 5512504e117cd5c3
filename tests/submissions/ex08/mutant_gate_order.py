"""Reads the four gate blocks as i, f, o, c (numpy and the Keras cell); Keras's order is i, f, c, o.

expect: cell_step_matches_keras FAIL "wrong order"
expect: forward_sequences FAIL "read the 4 blocks as i, f, o, c"
expect: keras_cell_structure PASS
expect: keras_cell_matches_lstm FAIL "wrong order"
expect: forward_last_state FAIL "gates in the wrong order: you read the 4 blocks as i, f, o,"
expect: hidden_cell_step FAIL "gates in the wrong order: you read the 4 blocks as i, f, o,"
expect: hidden_forward FAIL "gates in the wrong order: you read the 4 blocks as i, f, o,"
expect: hidden_keras_cell FAIL "gates in the wrong order: you read the 4 blocks as i, f, o,"
expect: sequence_model_trains ERROR "does not define build_sequence_model"
"""
import keras
import numpy as np
from keras import ops


def _sig(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    i, f, o, g = np.split(x_t @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=1)
    c = _sig(f) * c_prev + _sig(i) * np.tanh(g)
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
        i, f, o, g = ops.split(ops.matmul(inputs, self.kernel) + ops.matmul(h, self.recurrent_kernel) + self.bias, 4,
                               axis=-1)
        c = ops.sigmoid(f) * c + ops.sigmoid(i) * ops.tanh(g)
        h = ops.sigmoid(o) * ops.tanh(c)
        return h, [h, c]
