"""A different correct solution: gates sliced by hand, float32 numpy, a cell that keeps its
states as a tuple and slices with keras.ops, and a Sequential model with a zero forget bias.

expect: * PASS
"""
import keras
import numpy as np
from keras import ops


def _sigmoid(a):
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    z = (np.dot(x_t, kernel) + np.dot(h_prev, recurrent_kernel) + bias).astype(np.float32)
    input_gate = _sigmoid(z[:, 0 * u:1 * u])
    forget_gate = _sigmoid(z[:, 1 * u:2 * u])
    candidate = np.tanh(z[:, 2 * u:3 * u])
    output_gate = _sigmoid(z[:, 3 * u:4 * u])
    c_t = forget_gate * c_prev + input_gate * candidate
    return output_gate * np.tanh(c_t), c_t


def lstm_forward(x, kernel, recurrent_kernel, bias, return_sequences=False):
    b, steps = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((b, u), np.float32)
    c = np.zeros((b, u), np.float32)
    hs = np.zeros((b, steps, u), np.float32)
    for t in range(steps):
        h, c = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
        hs[:, t, :] = h
    if return_sequences:
        return hs
    return hs[:, -1, :]


class LSTMCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = (units, units)
        self.output_size = units

    def build(self, input_shape):
        u = self.units
        self.bias = self.add_weight(name="bias", shape=(4 * u,), initializer="zeros")
        self.recurrent_kernel = self.add_weight(name="recurrent_kernel", shape=(u, 4 * u), initializer="orthogonal")
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], 4 * u), initializer="glorot_uniform")

    def call(self, inputs, states):
        h_prev, c_prev = states
        u = self.units
        z = ops.add(ops.add(ops.dot(inputs, self.kernel), ops.dot(h_prev, self.recurrent_kernel)), self.bias)
        i = ops.sigmoid(z[:, :u])
        f = ops.sigmoid(z[:, u:2 * u])
        g = ops.tanh(z[:, 2 * u:3 * u])
        o = ops.sigmoid(z[:, 3 * u:])
        c = f * c_prev + i * g
        h = o * ops.tanh(c)
        return h, (h, c)


def build_sequence_model(input_shape):
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        keras.layers.RNN(LSTMCell(24)),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mean_squared_error")
    return model
